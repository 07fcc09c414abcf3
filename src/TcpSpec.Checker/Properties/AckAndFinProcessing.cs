using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// How the TCB moves on an acceptable segment (RFC 9293 §3.10.7.3 fourth, §3.10.7.4 fifth and
/// eighth): a new ACK advances SND.UNA, the ACK of our FIN and the peer's FIN change the state
/// as the RFC's per-state text says, and the user is told "connection closing".
/// </summary>
public sealed class AckAndFinProcessing : IProperty
{
    public string Name => "ack-and-fin-processing";
    public StepFacts Interest => StepFacts.Arrival;

    public string Description =>
        "On an acceptable segment: an ACK of something new (SND.UNA < SEG.ACK =< SND.NXT) sets SND.UNA to SEG.ACK (RFC 9293 §3.10.7.3 fourth, §3.10.7.4 fifth); one with SND.UNA =< SEG.ACK =< SND.NXT from a segment not older than the last window update (SND.WL1, SND.WL2) updates SND.WND (fifth; the one that ends SYN-RECEIVED always does); the ACK of the host's FIN moves FIN-WAIT-1 to FIN-WAIT-2, CLOSING to TIME-WAIT and LAST-ACK to CLOSED (fifth); a new FIN that RCV.NXT advances over tells the user \"connection closing\" and moves SYN-RECEIVED and ESTABLISHED to CLOSE-WAIT, FIN-WAIT-1 to CLOSING (TIME-WAIT if its FIN is acknowledged too), FIN-WAIT-2 to TIME-WAIT (eighth); the peer's FIN again in TIME-WAIT restarts the 2 MSL timeout (eighth).";

    public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
    {
        if (!HostStep.Arrived(log)) return null;
        var step = HostStep.Of(before, after, log);
        var seg = step.Segment;
        if (seg.IsRst) return null;
        var s = model.States;
        ref readonly var b = ref step.Before;
        string? why = Judge(model, step, after, log);
        return why is null ? null
            : $"{model.Scenario.HostNames[step.Host]} in {s.Name(b.State)} got {seg} (SND.UNA={b.SndUna}, SND.NXT={b.SndNxt}, RCV.NXT={b.RcvNxt}): {why}";
    }

    private static string? Judge(TwoHostModel model, in HostStep step, in World after, StepLog log)
    {
        var s = model.States;
        var seg = step.Segment;
        ref readonly var b = ref step.Before;
        ref readonly var a = ref step.After;
        bool idle = s.Idle(a.State);
        // Whether the segment gets as far as the ACK check, asked once: each rule below needs it (the RST case is the caller's).
        bool reaches = Arrival.ReachesAckCheck(s, b, seg);

        bool newAck = reaches && Arrival.AcksNew(b, seg); // Arrival.NewAckProcessed, reusing the check above
        if (newAck && !idle && a.SndUna != seg.Ack) return $"SND.UNA must advance to SEG.ACK={seg.Ack}, but it is {a.SndUna}";

        if (reaches && UpdatesWindow(s, b, seg) && !idle && (a.SndWnd != seg.Window || a.SndWl1 != seg.Seq || a.SndWl2 != seg.Ack))
            return $"the send window must be updated from it (SND.WL1={b.SndWl1}, SND.WL2={b.SndWl2}): SND.WND={seg.Window}, SND.WL1={seg.Seq}, SND.WL2={seg.Ack}, but they are {a.SndWnd}, {a.SndWl1}, {a.SndWl2}";

        bool finAcked = newAck && b.Has(EndpointFlags.FinSent) && seg.Ack == b.SndNxt;
        bool finArrived = seg.IsFin && reaches && !idle && Seq.Lt(b.RcvNxt, Arrival.End(seg)) && a.RcvNxt == Arrival.End(seg);
        if (finArrived && !step.Told(log, NoticeKind.RemoteClosing)) return $"it took the FIN and did not tell its user \"connection closing\"";

        int expected = Next(s, b.State, finAcked, finArrived);
        // §3.10.4: a CLOSE queued in SYN-RECEIVED is taken once the FIN moves it to CLOSE-WAIT, so LAST-ACK.
        bool queuedClose = finArrived && s.Is(b.State, s.SynReceived) && b.Has(EndpointFlags.FinQueued) && (int)a.State == s.LastAck;
        if (expected >= 0 && (int)a.State != expected && !queuedClose)
            return $"{What(finAcked, finArrived)} must take it to {s.Name((TcpState)expected)}, but it went to {s.Name(a.State)}";

        if (s.Is(b.State, s.TimeWait) && seg.IsFin && seg.IsAck && Arrival.End(seg) == b.RcvNxt && !model.Options.UntimedTimers)
        {
            int full = Math.Min(TimerClock.Ticks(2 * model.Config.MslMs, model.Config.InitialRtoMs), TimerClock.MaxTicks);
            if (!s.Is(a.State, s.TimeWait) || after.Clock.Left(step.Host, TimerKind.TimeWait) != full)
                return $"the peer's FIN again must restart the 2 MSL timeout in TIME-WAIT ({full} ticks), but {after.Clock.Left(step.Host, TimerKind.TimeWait)} are left in {s.Name(a.State)}";
        }
        return null;
    }

    /// <summary>
    /// RFC 9293 §3.10.7.4 fifth, ESTABLISHED (and the states that share its processing: FIN-WAIT-1,
    /// FIN-WAIT-2, CLOSE-WAIT, CLOSING) and SYN-RECEIVED: an ACK with SND.UNA =&lt; SEG.ACK =&lt; SND.NXT
    /// from a segment not older than the last window update (SND.WL1 &lt; SEG.SEQ, or SND.WL1 = SEG.SEQ
    /// and SND.WL2 =&lt; SEG.ACK) sets SND.WND, SND.WL1 and SND.WL2. For a segment that reaches the ACK check (the caller's test).
    /// </summary>
    private static bool UpdatesWindow(StateIds s, in Endpoint b, in Segment seg)
    {
        int st = (int)b.State;
        if (!(st == s.Established || st == s.FinWait1 || st == s.FinWait2 || st == s.CloseWait || st == s.Closing || st == s.SynReceived)) return false;
        if (!seg.IsAck) return false;
        if (st == s.SynReceived ? !(Seq.Lt(b.SndUna, seg.Ack) && Seq.Le(seg.Ack, b.SndNxt)) : !(Seq.Le(b.SndUna, seg.Ack) && Seq.Le(seg.Ack, b.SndNxt))) return false;
        return st == s.SynReceived || Seq.Lt(b.SndWl1, seg.Seq) || (b.SndWl1 == seg.Seq && Seq.Le(b.SndWl2, seg.Ack));
    }

    private static string What(bool finAcked, bool finArrived) =>
        finAcked && finArrived ? "the ACK of its FIN with the peer's FIN" : finAcked ? "the ACK of its FIN" : "the peer's FIN";

    /// <summary>The state RFC 9293 §3.10.7.4 fifth and eighth prescribe, or -1 when they prescribe none.</summary>
    private static int Next(StateIds s, TcpState from, bool finAcked, bool finArrived)
    {
        int f = (int)from;
        if (finArrived)
        {
            if (f == s.SynSent || f == s.SynReceived || f == s.Established) return s.CloseWait;
            if (f == s.FinWait1) return finAcked ? s.TimeWait : s.Closing;
            if (f == s.FinWait2) return s.TimeWait;
            return -1;
        }
        if (!finAcked) return -1;
        if (f == s.FinWait1) return s.FinWait2;
        if (f == s.Closing) return s.TimeWait;
        if (f == s.LastAck) return s.Closed;
        return -1;
    }
}
