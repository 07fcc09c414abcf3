using System.Runtime.CompilerServices;

namespace TcpSpec.Checker.Model;

/// <summary>A segment in flight: which way it goes and which incarnation of its sender sent it.</summary>
public readonly record struct Flight(Segment Seg, byte From, byte Incarnation)
{
    /// <summary>The incarnation of segments sent before the run began: old duplicates a scenario starts with.</summary>
    public const byte PreviousLife = 255;

    public byte To => (byte)(1 - From);

    internal ulong Key =>
        (ulong)Seg.Seq << 32 | (ulong)Seg.Ack ^ ((ulong)Seg.Flags << 56) ^ ((ulong)From << 63) ^ ((ulong)Incarnation << 48) ^ ((ulong)Seg.Length << 40) ^ Seg.Payload;

    /// <summary>The words the fingerprint reads for a segment in flight, field by field (a <see cref="Flight"/> has padding).</summary>
    internal const int Words = 3;

    internal void WriteWords(Span<ulong> into)
    {
        into[0] = (ulong)Seg.Seq | (ulong)Seg.Ack << 32;
        into[1] = (ulong)Seg.Flags | (ulong)Seg.Window << 8 | (ulong)Seg.Length << 24 | (ulong)From << 40 | (ulong)Incarnation << 48;
        into[2] = Seg.Payload;
    }

    /// <summary>A total order, so the multiset has one canonical form.</summary>
    internal static int Compare(in Flight a, in Flight b)
    {
        int c = a.From.CompareTo(b.From);
        if (c != 0) return c;
        c = a.Seg.Seq.CompareTo(b.Seg.Seq);
        if (c != 0) return c;
        c = ((byte)a.Seg.Flags).CompareTo((byte)b.Seg.Flags);
        if (c != 0) return c;
        c = a.Seg.Ack.CompareTo(b.Seg.Ack);
        if (c != 0) return c;
        c = a.Seg.Length.CompareTo(b.Seg.Length);
        if (c != 0) return c;
        c = a.Seg.Payload.CompareTo(b.Seg.Payload);
        if (c != 0) return c;
        c = a.Incarnation.CompareTo(b.Incarnation);
        return c != 0 ? c : a.Seg.Window.CompareTo(b.Seg.Window);
    }
}

/// <summary>Room for the segments in flight, inline in the world value.</summary>
[InlineArray(Network.Capacity)]
public struct FlightBuffer
{
    private Flight _first;
}

/// <summary>
/// The network between the two hosts: a multiset of segments in flight, kept sorted so that
/// two worlds that differ only in the order segments were sent are one state. Any segment may
/// be delivered next (reordering), lost or duplicated.
/// </summary>
public struct Network
{
    /// <summary>The most segments the model can hold; the --max-in-flight bound is at most this.</summary>
    public const int Capacity = 12;

    private FlightBuffer _items;

    public byte Count;

    /// <summary>More segments were sent than Capacity holds: the world is outside the model's bound.</summary>
    public bool Overflowed;

    public readonly Flight this[int i] => _items[i];

    public void Add(in Flight f)
    {
        if (Count == Capacity)
        {
            Overflowed = true;
            return;
        }
        int i = Count;
        while (i > 0 && Flight.Compare(_items[i - 1], f) > 0)
        {
            _items[i] = _items[i - 1];
            i--;
        }
        _items[i] = f;
        Count++;
    }

    public void RemoveAt(int index)
    {
        for (int i = index; i < Count - 1; i++) _items[i] = _items[i + 1];
        Count--;
        _items[Count] = default;
    }

    public readonly bool AnyFrom(int host, int incarnation)
    {
        for (int i = 0; i < Count; i++)
            if (_items[i].From == host && _items[i].Incarnation == incarnation) return true;
        return false;
    }

    /// <summary>Writes the segments in flight, in their canonical order, as fingerprint words; returns how many.</summary>
    internal readonly int WriteWords(Span<ulong> into)
    {
        for (int i = 0; i < Count; i++) _items[i].WriteWords(into.Slice(i * Flight.Words, Flight.Words));
        return Count * Flight.Words;
    }
}
