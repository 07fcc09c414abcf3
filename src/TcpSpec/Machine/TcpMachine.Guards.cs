namespace TcpSpec;

// The guards of spec/tcp.spec.md. Pure: they read the TCB and the segment and change nothing.
public static partial class TcpMachine
{
    // RFC 9293 §3.10.7.4 first, Table 6: the four cases of segment length × receive window.
    internal static partial bool SeqAcceptable(ref TcpContext ctx)
    {
        ref readonly var ep = ref ctx.Ep;
        var seg = ctx.Seg;
        uint len = seg.SegLen;
        uint wnd = ep.RcvWnd;
        uint nxt = ep.RcvNxt;
        if (len == 0)
            return wnd == 0 ? seg.Seq == nxt : Seq.InWindow(seg.Seq, nxt, nxt + wnd);
        if (wnd == 0) return false;
        return Seq.InWindow(seg.Seq, nxt, nxt + wnd) || Seq.InWindow(seg.Seq + len - 1, nxt, nxt + wnd);
    }

    // SND.UNA < SEG.ACK =< SND.NXT (RFC 9293 §3.10.7.3 and §3.10.7.4 fifth).
    internal static partial bool AckAcceptable(ref TcpContext ctx) =>
        ctx.Seg.IsAck && Seq.Lt(ctx.Ep.SndUna, ctx.Seg.Ack) && Seq.Le(ctx.Seg.Ack, ctx.Ep.SndNxt);

    internal static partial bool AckOfUnsent(ref TcpContext ctx) => Seq.Gt(ctx.Seg.Ack, ctx.Ep.SndNxt);

    internal static partial bool AckBit(ref TcpContext ctx) => ctx.Seg.IsAck;

    // RFC 5961 §3.2: only a reset at exactly RCV.NXT resets the connection.
    internal static partial bool RstExact(ref TcpContext ctx) => ctx.Seg.Seq == ctx.Ep.RcvNxt;

    internal static partial bool PassiveOpen(ref TcpContext ctx) => ctx.Ep.Has(EndpointFlags.Passive);

    // RFC 9293 Figure 7 line 6: the peer's SYN (at IRS) again, now with an ACK of our SYN.
    internal static partial bool CompletesSimultaneousOpen(ref TcpContext ctx) =>
        ctx.Seg.Seq + 1 == ctx.Ep.RcvNxt && AckAcceptable(ref ctx);

    // Our FIN is out and this segment acknowledges it: SEG.ACK = SND.NXT, the octet after the FIN.
    internal static partial bool FinAcked(ref TcpContext ctx) =>
        ctx.Ep.Has(EndpointFlags.FinSent) && ctx.Seg.IsAck && ctx.Seg.Ack == ctx.Ep.SndNxt;

    // The segment's first octet is at or before RCV.NXT and its last within the window: all of it
    // (text and FIN) is processed now rather than held (RFC 9293 §3.10.7.4 first, SHLD-31). RCV.NXT
    // here counts the held text it has reached (a SYN's, accepted by the row's ReceiveText first).
    internal static partial bool InOrder(ref TcpContext ctx)
    {
        var seg = ctx.Seg;
        ref readonly var ep = ref ctx.Ep;
        uint nxt = ep.RcvNxt;
        if (ep.HeldLen > 0 && Seq.Le(ep.HeldSeq, nxt) && Seq.Gt(ep.HeldSeq + ep.HeldLen, nxt)) nxt = ep.HeldSeq + ep.HeldLen;
        return Seq.Le(seg.TextSeq, nxt) && Seq.Le(seg.Seq + seg.SegLen, ep.RcvNxt + ep.RcvWnd);
    }

    // Guards for profiles (spec/tcp.spec.md "Guards for profiles"): used by overlay rows only.

    // The segment carries text besides its SYN and FIN (RFC 9293 §3.10.7.2 third: a SYN's text).
    internal static partial bool CarriesText(ref TcpContext ctx) => ctx.Seg.Length > 0;

    // Wholly left of the window (RFC 9293 §3.10.7.4 first): it starts before RCV.NXT and its text
    // ends before it, or at it with no FIN (a FIN there would be new): nothing in it is new.
    internal static partial bool LeftOfWindow(ref TcpContext ctx)
    {
        var seg = ctx.Seg;
        uint nxt = ctx.Ep.RcvNxt;
        uint end = seg.TextSeq + seg.Length;
        return Seq.Lt(seg.Seq, nxt) && (Seq.Lt(end, nxt) || (end == nxt && !seg.IsFin));
    }

    // An exact duplicate ACK (RFC 5681 §2, RFC 9293 §3.10.7.4 fifth): no text, at RCV.NXT, acknowledging SND.NXT.
    internal static partial bool DuplicateAck(ref TcpContext ctx) =>
        ctx.Seg.IsAck && ctx.Seg.Length == 0 && ctx.Seg.Seq == ctx.Ep.RcvNxt && ctx.Seg.Ack == ctx.Ep.SndNxt;

    // The peer's FIN again: the segment ends exactly at RCV.NXT, its FIN at RCV.NXT - 1.
    internal static partial bool RetransmittedFin(ref TcpContext ctx) =>
        ctx.Seg.IsFin && ctx.Ep.Has(EndpointFlags.FinReceived) && ctx.Seg.Seq + ctx.Seg.SegLen == ctx.Ep.RcvNxt;

    // The peer's SYN again, at IRS, with no ACK: its first SYN's SYN,ACK was lost or is late.
    internal static partial bool RetransmittedSyn(ref TcpContext ctx) =>
        ctx.Seg.IsSyn && !ctx.Seg.IsAck && ctx.Ep.Has(EndpointFlags.SynReceived) && ctx.Seg.Seq == ctx.Ep.Irs;

    // RFC 9293 §3.10.4 SYN-RECEIVED: "If no SENDs have been issued and there is no pending data to send..."
    internal static partial bool SendsQueued(ref TcpContext ctx) => ctx.Ep.SndWritten > ctx.Ep.SentText;

    // The user's CLOSE was queued in SYN-RECEIVED, to be processed once ESTABLISHED.
    internal static partial bool CloseQueued(ref TcpContext ctx) => ctx.Ep.Has(EndpointFlags.FinQueued);

    internal static partial bool ForeignSpecified(ref TcpContext ctx) => ctx.Ep.Has(EndpointFlags.ForeignSpecified);

    internal static partial bool DataAvailable(ref TcpContext ctx) => ctx.Ep.RcvBuffered > 0;

    // R2 (RFC 9293 §3.8.3): the SYN's own threshold while our SYN is unacknowledged (MUST-23), else the data one.
    internal static partial bool RetriesExhausted(ref TcpContext ctx) => ctx.Ep.Retries >= R2(in ctx.Ep, ctx.Config);

    // This timeout makes the R1-th retransmission of the front segment (RFC 9293 §3.8.3 (b), (e); SHLD-9).
    internal static partial bool ReachesR1(ref TcpContext ctx) => ctx.Ep.Retries + 1 == ctx.Config.R1Retransmissions;

    // RFC 5961 §5.2 (MAY-12): SEG.ACK < SND.UNA - MAX.SND.WND acknowledges what was never in flight: blind injection.
    internal static partial bool AckTooOld(ref TcpContext ctx) =>
        ctx.Seg.IsAck && Seq.Lt(ctx.Seg.Ack, ctx.Ep.SndUna - ctx.Ep.MaxSndWnd);

    // RFC 5927 §4.1: an ICMP error is acted on only if the TCP header it quotes has SND.UNA =< SEG.SEQ < SND.NXT,
    // i.e. it is about a segment this connection sent and is still waiting to have acknowledged (the runtime
    // passes the quoted header as the step's segment). With nothing in flight no error is for the connection.
    internal static partial bool IcmpSeqAcceptable(ref TcpContext ctx) =>
        Seq.InWindow(ctx.Seg.Seq, ctx.Ep.SndUna, ctx.Ep.SndNxt);

    private static int R2(in Endpoint ep, TcpConfig c) =>
        ep.SndUna == ep.Iss && Seq.Gt(ep.SndNxt, ep.Iss) ? c.SynMaxRetransmissions : c.MaxRetransmissions;
}
