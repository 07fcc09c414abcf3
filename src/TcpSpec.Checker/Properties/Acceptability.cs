namespace TcpSpec.Checker.Properties;

/// <summary>
/// The RFC's acceptability tests, written again from the RFC text for the properties to judge
/// the table by (not the table's guards: a property that used them would agree with any edit).
/// </summary>
public static class Acceptability
{
    /// <summary>
    /// RFC 9293 §3.10.7.4 first, Table 6: the segment occupies sequence space inside the receive
    /// window (a zero-length segment: its SEQ is; a segment with text or SYN/FIN: its first or last octet is).
    /// </summary>
    public static bool Sequence(in Endpoint ep, in Segment seg)
    {
        uint len = seg.SegLen;
        uint wnd = ep.RcvWnd;
        uint nxt = ep.RcvNxt;
        if (len == 0) return wnd == 0 ? seg.Seq == nxt : Seq.InWindow(seg.Seq, nxt, nxt + wnd);
        if (wnd == 0) return false;
        return Seq.InWindow(seg.Seq, nxt, nxt + wnd) || Seq.InWindow(seg.Seq + len - 1, nxt, nxt + wnd);
    }

    /// <summary>RFC 5961 §3.2: a reset is taken only at exactly RCV.NXT.</summary>
    public static bool ExactReset(in Endpoint ep, in Segment seg) => seg.IsRst && seg.Seq == ep.RcvNxt;

    /// <summary>RFC 9293 §3.10.7.4 fifth, SYN-RECEIVED: SND.UNA &lt; SEG.ACK =&lt; SND.NXT.</summary>
    public static bool AckOfOurSyn(in Endpoint ep, in Segment seg) =>
        seg.IsAck && Seq.Lt(ep.SndUna, seg.Ack) && Seq.Le(seg.Ack, ep.SndNxt);

    /// <summary>
    /// RFC 5961 §5.2 (RFC 9293 §3.10.7.4 fifth, MAY-12): in a synchronized state an ACK is
    /// acceptable only if (SND.UNA − MAX.SND.WND) =&lt; SEG.ACK =&lt; SND.NXT; any other is discarded.
    /// </summary>
    public static bool AckInRange(in Endpoint ep, in Segment seg) =>
        seg.IsAck && Seq.Le(ep.SndUna - ep.MaxSndWnd, seg.Ack) && Seq.Le(seg.Ack, ep.SndNxt);
}
