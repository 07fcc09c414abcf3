using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// One engine step of a move, seen from the host that made it: the event, the segment that
/// arrived (if any), and the host's TCB before and after. The properties of the RFC's
/// segment-arrival rules start from it; it costs no allocation.
/// </summary>
public readonly struct HostStep
{
    private HostStep(int host, EngineStep step, in Endpoint before, in Endpoint after)
    {
        Host = host;
        Step = step;
        Before = before;
        After = after;
    }

    public int Host { get; }

    public EngineStep Step { get; }

    public Endpoint Before { get; }

    public Endpoint After { get; }

    public bool HasSegment => Step.Segment.HasValue;

    public Segment Segment => Step.Segment.GetValueOrDefault();

    /// <summary>The move's one engine step (every move makes at most one), or false for moves without one (loss, duplication, crash).</summary>
    public static bool Of(in World before, in World after, StepLog log, out HostStep step)
    {
        if (log.Steps.Count != 1)
        {
            step = default;
            return false;
        }
        var s = log.Steps[0];
        step = new HostStep(s.Host, s, before.Host(s.Host).Ep, after.Host(s.Host).Ep);
        return true;
    }

    /// <summary>Did the host send, in this move, a segment that acknowledges RCV.NXT as it is after the move (MUST-58's aggregated ACK, or any segment carrying it)?</summary>
    public bool SentAckOfRcvNxt(StepLog log)
    {
        foreach (var f in log.Sent)
            if (f.From == Host && f.Seg.IsAck && !f.Seg.IsRst && f.Seg.Ack == After.RcvNxt) return true;
        return false;
    }

    /// <summary>Did the host send anything in this move?</summary>
    public bool Sent(StepLog log)
    {
        foreach (var f in log.Sent)
            if (f.From == Host) return true;
        return false;
    }

    /// <summary>Did the host's user get a notice of this kind in this move?</summary>
    public bool Told(StepLog log, NoticeKind kind)
    {
        foreach (var n in log.Notices)
            if (n.Host == Host && n.Notice.Kind == kind) return true;
        return false;
    }
}

/// <summary>
/// Which arriving segments the RFC's checks let through to ACK processing (RFC 9293 §3.10.7.3
/// fourth, §3.10.7.4 first to fifth), written from the RFC's text with <see cref="Acceptability"/>.
/// </summary>
public static class Arrival
{
    /// <summary>
    /// The segment reaches "fifth, check the ACK field" (or, in SYN-SENT, the SYN processing of
    /// §3.10.7.3 fourth) with an ACK that acknowledges something new: SND.UNA &lt; SEG.ACK =&lt; SND.NXT.
    /// </summary>
    public static bool NewAckProcessed(StateIds s, in Endpoint b, in Segment seg)
    {
        if (seg.IsRst || !seg.IsAck || !Seq.Lt(b.SndUna, seg.Ack) || !Seq.Le(seg.Ack, b.SndNxt)) return false;
        return ReachesAckCheck(s, b, seg);
    }

    /// <summary>The segment passes the checks before "fifth, check the ACK field" (RST excepted: the caller's).</summary>
    public static bool ReachesAckCheck(StateIds s, in Endpoint b, in Segment seg)
    {
        var st = b.State;
        // §3.10.7.3 fourth: a SYN whose ACK (if any) was acceptable (first) is processed.
        if (s.Is(st, s.SynSent)) return seg.IsSyn;
        // Figure 7 line 6: in a simultaneous open the peer's SYN,ACK (its SEQ is IRS) completes the handshake.
        if (s.Is(st, s.SynReceived)) return seg.IsSyn ? seg.IsAck && seg.Seq == b.Irs : Acceptability.Sequence(b, seg);
        // §3.10.7.4 fourth: a SYN in a synchronized state is only challenged (RFC 5961 §4.2).
        return s.Synchronized(st) && !seg.IsSyn && Acceptability.Sequence(b, seg);
    }

    /// <summary>The sequence number just past the segment: SEG.SEQ + SEG.LEN.</summary>
    public static uint End(in Segment seg) => seg.Seq + seg.SegLen;
}
