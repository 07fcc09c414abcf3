using TcpSpec.Conformance.Pcap;

namespace TcpSpec.Conformance.Observer;

/// <summary>
/// The segments one endpoint has received so far, in capture order, as they arrive (SEG.WND
/// scaled), and which of them must have arrived before a segment it sends: all but those captured
/// within the crossing window just before it (they may have crossed it on the wire).
/// </summary>
internal sealed class ReceivedSegments
{
    private readonly List<(CapturedSegment Captured, Segment Seg)> _received = new();
    private readonly int[] _shift = [-1, -1];

    public ReceivedSegments(Connection connection, int side, bool crossing)
    {
        ReadWindowScale(connection);
        Crossing = crossing ? CrossingWindow(connection, side) : 0;
    }

    /// <summary>The crossing window in seconds (0: every segment captured before a sent one had arrived).</summary>
    public double Crossing { get; }

    public int Count => _received.Count;

    public (CapturedSegment Captured, Segment Seg) this[int i] => _received[i];

    /// <summary>The captured segment the endpoint received, next in capture order.</summary>
    public void Add(ConnectionSegment cs) => _received.Add((cs.Captured, Scaled(cs)));

    /// <summary>How many received segments must have arrived by <paramref name="now"/>: all but those captured within the crossing window.</summary>
    public int MustApply(double now)
    {
        int n = _received.Count;
        while (n > 0 && _received[n - 1].Captured.Time + Crossing > now) n--;
        return n;
    }

    /// <summary>The frames of the received segments the observer let cross <paramref name="sent"/>, if any.</summary>
    public (long First, long Last)? DeferredBefore(CapturedSegment sent)
    {
        int must = MustApply(sent.Time);
        if (must >= _received.Count) return null;
        return (_received[must].Captured.Index, _received[^1].Captured.Index);
    }

    /// <summary>RFC 7323 §2.2: SEG.WND is scaled only when both SYNs carried the window scale option.</summary>
    private void ReadWindowScale(Connection connection)
    {
        foreach (var cs in connection.Segments)
        {
            if (cs.Seg.IsSyn && _shift[cs.From] < 0 && cs.Captured.Options.WindowScale >= 0) _shift[cs.From] = cs.Captured.Options.WindowScale;
        }
        if (_shift[0] < 0 || _shift[1] < 0) _shift[0] = _shift[1] = -1;
    }

    /// <summary>The captured segment as it arrives: SEG.WND scaled (and capped at what the TCB holds).</summary>
    private Segment Scaled(ConnectionSegment cs)
    {
        var seg = cs.Seg;
        int shift = _shift[cs.From];
        if (shift > 0 && !seg.IsSyn) seg = seg with { Window = (ushort)Math.Min(65535L, (long)seg.Window << shift) };
        return seg;
    }

    /// <summary>How much longer than the quickest observed reply a crossing may take.</summary>
    private const double JitterFactor = 1.5;

    /// <summary>
    /// The time within which a segment this endpoint sends may have left before a segment
    /// captured earlier reached it: the round trip between the capture point and this endpoint,
    /// estimated as the quickest reply (an ACK covering a received SYN, FIN or text) times
    /// <see cref="JitterFactor"/>. Zero when the capture was taken at this endpoint (its replies
    /// are captured at once), or no reply was seen.
    /// </summary>
    private static double CrossingWindow(Connection connection, int side)
    {
        double best = double.PositiveInfinity;
        var segs = connection.Segments;
        uint? high = null;
        for (int i = 0; i < segs.Count; i++)
        {
            if (segs[i].From == side || segs[i].Seg.SegLen == 0 || segs[i].Seg.IsRst) continue;
            uint end = segs[i].Seg.Seq + segs[i].Seg.SegLen;
            // Only segments that bring something new: an ACK covering a retransmission may answer the original.
            if (high is uint h && !Seq.Gt(end, h)) continue;
            high = end;
            for (int j = i + 1; j < segs.Count; j++)
            {
                var s = segs[j];
                if (s.From != side || !s.Seg.IsAck) continue;
                if (Seq.Ge(s.Seg.Ack, end))
                {
                    best = Math.Min(best, s.Captured.Time - segs[i].Captured.Time);
                    break;
                }
            }
        }
        // The quickest reply measures the round trip at its shortest; delays vary (queues, timers), so half as much again.
        return double.IsFinite(best) && best > 0 ? best * JitterFactor : 0;
    }
}
