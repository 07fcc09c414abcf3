using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// The answer an arriving segment is owed in the same move: an acknowledgment of RCV.NXT for a
/// segment that occupies sequence space, a reset for a segment no connection can take.
/// </summary>
public sealed class ArrivalAnswered : IProperty
{
    public string Name => "arrival-answered";
    public StepFacts Interest => StepFacts.Arrival;

    public string Description =>
        "A segment that occupies sequence space (text, SYN or FIN) arriving once the peer's SYN is known is answered in the same move by a segment with ACK=RCV.NXT, or its ACK is deferred (RFC 9293 §3.10.7.4 first: an unacceptable segment is acknowledged; seventh, eighth: text and FIN are acknowledged, §3.8.6.3 delayed ACK; RFC 5681 §4.2: an out-of-order segment at once); a SYN,ACK in SYN-SENT is answered with ACK=RCV.NXT and a SYN in SYN-SENT or LISTEN with <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> (§3.10.7.3 fourth, §3.10.7.2 third); a reset is no answer where an ACK is owed (§3.5.2 (3)). A segment that no connection takes gets a reset: any non-reset in CLOSED (§3.10.7.1), one with an ACK in LISTEN (§3.10.7.2 second), an unacceptable ACK in SYN-SENT (§3.10.7.3 first) or SYN-RECEIVED (§3.10.7.4 fifth).";

    public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
    {
        if (!HostStep.Arrived(log)) return null;
        var step = HostStep.Of(before, after, log);
        var seg = step.Segment;
        if (seg.IsRst) return null; // resets: reset-processing
        var s = model.States;
        ref readonly var b = ref step.Before;
        string who = model.Scenario.HostNames[step.Host];
        if (OwesReset(s, b, seg))
            return SentReset(step, log) ? null : $"{who} in {s.Name(b.State)} got {seg} (SND.UNA={b.SndUna}, SND.NXT={b.SndNxt}), which no connection takes, and sent no reset";
        if (!OwesAck(s, b, seg) || s.Idle(step.After.State)) return null; // a SYN that sends SYN-RECEIVED back to LISTEN ends the attempt (§3.10.7.4 fourth)
        if (!step.Before.Has(EndpointFlags.SynReceived) && !seg.IsAck)
            return SentSynAck(step, log) ? null : $"{who} in {s.Name(b.State)} got {seg} and did not answer <SEQ=ISS={step.After.Iss}><ACK={step.After.RcvNxt}><CTL=SYN,ACK>";
        if (step.SentAckOfRcvNxt(log) || (step.After.Timers & TimerKind.DelayedAck) != 0) return null;
        return $"{who} in {s.Name(b.State)} got {seg} (RCV.NXT={b.RcvNxt}, RCV.WND={b.RcvWnd}) and sent no ACK of RCV.NXT={step.After.RcvNxt} in reply";
    }

    private static bool OwesAck(StateIds s, in Endpoint b, in Segment seg)
    {
        if (seg.SegLen == 0) return false;
        if (!b.Has(EndpointFlags.SynReceived)) return seg.IsSyn && (s.Is(b.State, s.SynSent) || s.Is(b.State, s.Listen)) && !OwesReset(s, b, seg);
        // Figure 7 lines 6-7: the SYN,ACK that completes a simultaneous open repeats a SYN already acknowledged; nothing answers it.
        if (s.Is(b.State, s.SynReceived) && seg.IsSyn && Arrival.NewAckProcessed(s, b, seg)) return false;
        bool acceptable = Acceptability.Sequence(b, seg);
        // §3.10.7.4 seventh: after the peer's FIN (CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT) the text of an acceptable segment is ignored.
        int st = (int)b.State;
        if (acceptable && !seg.IsSyn && !seg.IsFin && (st == s.CloseWait || st == s.Closing || st == s.LastAck || st == s.TimeWait)) return false;
        // §3.10.7.4 fifth: an acceptable segment without ACK (a FIN, a bare one) is dropped unanswered.
        return seg.IsAck || seg.IsSyn || !acceptable;
    }

    private static bool OwesReset(StateIds s, in Endpoint b, in Segment seg)
    {
        if (s.Is(b.State, s.Closed)) return true;
        if (!seg.IsAck) return false;
        if (s.Is(b.State, s.Listen)) return true;
        bool newAck = Seq.Lt(b.SndUna, seg.Ack) && Seq.Le(seg.Ack, b.SndNxt);
        if (s.Is(b.State, s.SynSent)) return !newAck;
        // SYN-RECEIVED: an acceptable segment (no SYN: those are challenged) whose ACK does not acknowledge our SYN.
        return s.Is(b.State, s.SynReceived) && !seg.IsSyn && Acceptability.Sequence(b, seg) && !newAck;
    }

    /// <summary>RFC 9293 §3.10.7.2 third, §3.10.7.3 fourth: a SYN in LISTEN or SYN-SENT is answered &lt;SEQ=ISS&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=SYN,ACK&gt;.</summary>
    private static bool SentSynAck(in HostStep step, StepLog log)
    {
        foreach (var f in log.Sent)
            if (f.From == step.Host && f.Seg.IsSyn && f.Seg.IsAck && f.Seg.Seq == step.After.Iss && f.Seg.Ack == step.After.RcvNxt) return true;
        return false;
    }

    private static bool SentReset(in HostStep step, StepLog log)
    {
        foreach (var f in log.Sent)
            if (f.From == step.Host && f.Seg.IsRst) return true;
        return false;
    }
}
