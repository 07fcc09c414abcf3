using System.Net;

namespace TcpSpec.Conformance.Pcap;

/// <summary>One end of a connection: an address and a port.</summary>
public readonly record struct TcpAddress(IPAddress Address, ushort Port) : IComparable<TcpAddress>
{
    public int CompareTo(TcpAddress other)
    {
        var a = Address.GetAddressBytes();
        var b = other.Address.GetAddressBytes();
        int c = a.Length.CompareTo(b.Length);
        if (c != 0) return c;
        for (int i = 0; i < a.Length; i++)
        {
            c = a[i].CompareTo(b[i]);
            if (c != 0) return c;
        }
        return Port.CompareTo(other.Port);
    }

    public override string ToString() => CapturedSegment.Format(Address, Port);
}

/// <summary>A segment of a connection, with the side that sent it (0 = A, 1 = B).</summary>
public readonly record struct ConnectionSegment(CapturedSegment Captured, int From)
{
    public Segment Seg => Captured.Seg;
}

/// <summary>
/// The segments of one TCP connection (one incarnation of a 4-tuple). A is the client: the side
/// that sent the first SYN without ACK; when no such SYN was captured, the side that received
/// the first SYN,ACK, and failing that (the capture began mid-connection) the side that sent the
/// first segment.
/// </summary>
public sealed class Connection
{
    internal Connection(int number, TcpAddress a, TcpAddress b, int incarnation)
    {
        Number = number;
        A = a;
        B = b;
        Incarnation = incarnation;
    }

    public int Number { get; }

    public TcpAddress A { get; private set; }

    public TcpAddress B { get; private set; }

    /// <summary>1 for the first connection on its 4-tuple, 2 for the next one (after a close), and so on.</summary>
    public int Incarnation { get; }

    public List<ConnectionSegment> Segments { get; } = new();

    /// <summary>How A was chosen: "sent the first SYN", "received the first SYN,ACK" or "sent the first segment (no handshake captured)".</summary>
    public string ClientReason { get; internal set; } = "";

    /// <summary>True when the capture holds no SYN of this connection: it began mid-connection.</summary>
    public bool MidStream { get; internal set; }

    public TcpAddress Address(int side) => side == 0 ? A : B;

    internal void Swap()
    {
        (A, B) = (B, A);
        for (int i = 0; i < Segments.Count; i++) Segments[i] = Segments[i] with { From = 1 - Segments[i].From };
    }

    public override string ToString() => $"{A} ↔ {B}";
}

/// <summary>
/// Splits a capture's segments into connections by their unordered 4-tuple. A 4-tuple used again
/// (after TIME-WAIT, RFC 9293 §3.6.1 and RFC 6191) becomes a new connection at the new SYN: a SYN
/// without ACK that comes after the previous connection closed (a reset, or a FIN each way), or
/// that opens with a different initial sequence number than its sender used before.
/// </summary>
public static class ConnectionSplitter
{
    private sealed class Tracker
    {
        public required Connection Current;
        public bool Reset;
        public readonly bool[] Fin = new bool[2];
        public readonly uint?[] SynSeq = new uint?[2];

        public bool Closed => Reset || (Fin[0] && Fin[1]);
    }

    public static IReadOnlyList<Connection> Split(IEnumerable<CapturedSegment> segments)
    {
        var result = new List<Connection>();
        var byTuple = new Dictionary<(TcpAddress, TcpAddress), Tracker>();
        var incarnations = new Dictionary<(TcpAddress, TcpAddress), int>();
        foreach (var cs in segments)
        {
            var src = new TcpAddress(cs.Src, cs.SrcPort);
            var dst = new TcpAddress(cs.Dst, cs.DstPort);
            var key = src.CompareTo(dst) <= 0 ? (src, dst) : (dst, src);
            var seg = cs.Seg;
            bool newSyn = seg.IsSyn && !seg.IsAck && !seg.IsRst;
            if (byTuple.TryGetValue(key, out var t))
            {
                int side = t.Current.A.Equals(src) ? 0 : 1;
                if (newSyn && (t.Closed || (t.SynSeq[side] is uint old && old != seg.Seq)))
                    t = null;
            }
            if (t is null)
            {
                int n = incarnations.GetValueOrDefault(key) + 1;
                incarnations[key] = n;
                t = new Tracker { Current = new Connection(result.Count + 1, src, dst, n) };
                byTuple[key] = t;
                result.Add(t.Current);
            }
            int from = t.Current.A.Equals(src) ? 0 : 1;
            t.Current.Segments.Add(new ConnectionSegment(cs, from));
            if (seg.IsRst) t.Reset = true;
            if (seg.IsFin) t.Fin[from] = true;
            if (newSyn && t.SynSeq[from] is null) t.SynSeq[from] = seg.Seq;
        }
        foreach (var c in result) ChooseClient(c);
        return result;
    }

    private static void ChooseClient(Connection c)
    {
        int syn = c.Segments.FindIndex(s => s.Seg.IsSyn && !s.Seg.IsAck && !s.Seg.IsRst);
        if (syn >= 0)
        {
            if (c.Segments[syn].From == 1) c.Swap();
            c.ClientReason = "sent the first SYN";
            return;
        }
        int synAck = c.Segments.FindIndex(s => s.Seg.IsSyn && s.Seg.IsAck && !s.Seg.IsRst);
        if (synAck >= 0)
        {
            if (c.Segments[synAck].From == 0) c.Swap();
            c.ClientReason = "received the first SYN,ACK (its SYN was not captured)";
            return;
        }
        c.MidStream = true;
        c.ClientReason = "sent the first segment (no handshake captured: the capture began mid-connection)";
    }
}
