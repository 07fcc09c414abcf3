using System.Runtime.InteropServices;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// One engine step of a move, seen from the host that made it: the event, the segment that
/// arrived (if any), and the host's TCB before and after. The properties of the RFC's
/// segment-arrival rules start from it; it costs no allocation.
/// </summary>
public readonly ref struct HostStep
{
    private HostStep(ref readonly EngineStep step, ref readonly Endpoint before, ref readonly Endpoint after)
    {
        Step = ref step;
        Before = ref before;
        After = ref after;
    }

    /// <summary>The engine step, read in place in the log.</summary>
    public readonly ref readonly EngineStep Step;

    /// <summary>The host's TCB before the move, read in place in the world.</summary>
    public readonly ref readonly Endpoint Before;

    /// <summary>The host's TCB after the move, read in place in the world.</summary>
    public readonly ref readonly Endpoint After;

    public int Host => Step.Host;

    public bool HasSegment => Step.Segment.HasValue;

    public Segment Segment => Step.Segment.GetValueOrDefault();

    /// <summary>Does the move make exactly one engine step (every move but loss, duplication and a crash)?</summary>
    public static bool Made(StepLog log) => log.Steps.Count == 1;

    /// <summary>Did the move's engine step take an arriving segment (cheap: no copy of the hosts)?</summary>
    public static bool Arrived(StepLog log) => log.Steps.Count == 1 && CollectionsMarshal.AsSpan(log.Steps)[0].Segment.HasValue;

    /// <summary>The endpoint of host <paramref name="h"/>, read in place.</summary>
    public static ref readonly Endpoint EndpointOf(in World w, int h) => ref h == 0 ? ref w.A.Ep : ref w.B.Ep;

    /// <summary>The move's one engine step (call only when <see cref="Made"/>).</summary>
    public static HostStep Of(in World before, in World after, StepLog log)
    {
        ref readonly var s = ref CollectionsMarshal.AsSpan(log.Steps)[0];
        return new HostStep(in s, in EndpointOf(before, s.Host), in EndpointOf(after, s.Host));
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
    public static bool NewAckProcessed(StateIds s, in Endpoint b, in Segment seg) => AcksNew(b, seg) && ReachesAckCheck(s, b, seg);

    /// <summary>The segment's ACK acknowledges something new, SND.UNA &lt; SEG.ACK =&lt; SND.NXT (an RST's never counts), whether or not it gets as far as the ACK check.</summary>
    public static bool AcksNew(in Endpoint b, in Segment seg) => !seg.IsRst && seg.IsAck && Seq.Lt(b.SndUna, seg.Ack) && Seq.Le(seg.Ack, b.SndNxt);

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
