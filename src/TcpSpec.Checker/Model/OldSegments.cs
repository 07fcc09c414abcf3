using System.Runtime.CompilerServices;

namespace TcpSpec.Checker.Model;

/// <summary>Room for the remembered segments, inline in the world value.</summary>
[InlineArray(OldSegments.Capacity)]
public struct OldSegmentBuffer
{
    private Flight _first;
}

/// <summary>
/// What the network remembers for the --stale budget: per sending host, the first segment of
/// each kind (SYN, SYN,ACK, bare ACK, text, FIN, RST) it sent in the run, whatever its
/// incarnation. RFC 9293 §3.4 lets any segment sent within the last MSL arrive again; the model
/// keeps only the oldest of each kind because it is the one furthest behind the connection (the
/// most stale ACK, the lowest old text, the SYN of the handshake, a previous life's FIN), so the
/// set is bounded (2 × 6 entries), written once and then constant: it adds few states. It is
/// recorded only while stale budget is left, and forgotten when the budget is spent, because it
/// can no longer change the future: worlds that differ only in it are then one state.
/// </summary>
public struct OldSegments
{
    public const int Capacity = 12;

    private OldSegmentBuffer _items;

    public byte Count;

    public readonly Flight this[int i] => _items[i];

    /// <summary>The kind a segment is remembered under.</summary>
    public static int KindOf(in Segment s) =>
        s.IsRst ? 0 : s.IsSyn ? (s.IsAck ? 2 : 1) : s.IsFin ? 3 : s.Length > 0 ? 4 : 5;

    /// <summary>Remembers <paramref name="f"/> unless a segment of its kind from its sender is remembered already.</summary>
    public void Remember(in Flight f)
    {
        int kind = KindOf(f.Seg);
        for (int i = 0; i < Count; i++)
            if (_items[i].From == f.From && KindOf(_items[i].Seg) == kind) return;
        if (Count == Capacity) return;
        // Kept sorted, so the order segments were sent in does not make two states of one.
        int j = Count;
        while (j > 0 && Flight.Compare(_items[j - 1], f) > 0)
        {
            _items[j] = _items[j - 1];
            j--;
        }
        _items[j] = f;
        Count++;
    }

    public void Clear()
    {
        for (int i = 0; i < Count; i++) _items[i] = default;
        Count = 0;
    }

    /// <summary>Writes the remembered segments as fingerprint words; returns how many.</summary>
    internal readonly int WriteWords(Span<ulong> into)
    {
        for (int i = 0; i < Count; i++) _items[i].WriteWords(into.Slice(i * Flight.Words, Flight.Words));
        return Count * Flight.Words;
    }
}
