using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// What a retransmission timeout does while sequence space is unacknowledged (RFC 9293 §3.8.1,
/// §3.8.3; RFC 6298 §5.4–§5.5): resend the oldest unacknowledged segment and count it. What
/// happens when the count reaches R1 and R2 (the notices, giving up, where the host goes) is
/// judged by <see cref="GiveUpProperties"/>.
/// </summary>
public sealed class Retransmission : IProperty
{
    public string Name => "retransmission";
    public StepFacts Interest => StepFacts.RetransmitTimeout | StepFacts.Sent;

    public string Description =>
        "Sequence space already sent is sent again only on a retransmission timeout (RFC 9293 §3.8.1; the model has no fast retransmit), but for the SYN,ACK that answers a SYN in SYN-SENT (§3.10.7.3 fourth) or SYN-RECEIVED, which R1 and R2 do not count. A retransmission timeout with unacknowledged sequence space that does not give up resends the oldest unacknowledged segment (SEQ=SND.UNA, RFC 6298 §5.4, RFC 9293 §3.8.1 MUST-18) and counts it towards R1 and R2 (§3.8.3); the R1 and R2 rules themselves are gives-up-at-r2's and reports-at-r1's.";

    public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
    {
        bool timeout = move.Kind == MoveKind.Timer && (TimerKind)move.Index == TimerKind.Retransmit;
        if ((!timeout && log.Sent.Count == 0) || !HostStep.Made(log)) return null;
        var step = HostStep.Of(before, after, log);
        var s = model.States;
        ref readonly var b = ref step.Before;
        if (!timeout) return Spurious(model, step, log);
        if (!Seq.Lt(b.SndUna, b.SndNxt)) return null; // nothing to retransmit
        string? why = Judge(model, s, step, log);
        return why is null ? null
            : $"{model.Scenario.HostNames[step.Host]} in {s.Name(b.State)} (SND.UNA={b.SndUna}, SND.NXT={b.SndNxt}, {b.Retries} retransmission(s) so far) timed out: {why}";
    }

    /// <summary>
    /// Sequence space already sent goes out again only on a retransmission timeout (the model has
    /// no fast retransmit, RFC 5681 §3.2): anything else is a retransmission the R1/R2 counts never
    /// see. The exception is the SYN,ACK that answers a SYN: in SYN-SENT (a simultaneous open,
    /// RFC 9293 §3.10.7.3 fourth: &lt;SEQ=ISS&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=SYN,ACK&gt;) and in SYN-RECEIVED
    /// (what the peer's retransmitted SYN asks for; spec/tcp.spec.md, Deliberate choices).
    /// </summary>
    private static string? Spurious(TwoHostModel model, in HostStep step, StepLog log)
    {
        ref readonly var b = ref step.Before;
        foreach (var f in log.Sent)
        {
            var seg = f.Seg;
            if (f.From != step.Host || seg.IsRst || seg.SegLen == 0 || !Seq.Lt(seg.Seq, b.SndNxt) || b.SndNxt == b.Iss) continue;
            if (seg.IsSyn && step.HasSegment && step.Segment.IsSyn && (model.States.Is(b.State, model.States.SynSent) || model.States.Is(b.State, model.States.SynReceived)))
            {
                if (step.After.Retries == b.Retries) continue;
                return $"{model.Scenario.HostNames[step.Host]} in {model.States.Name(b.State)} answered {step.Segment} with {seg} and counted it as a retransmission: R1 and R2 count the timer's retransmissions (§3.8.3)";
            }
            return $"{model.Scenario.HostNames[step.Host]} in {model.States.Name(b.State)} (SND.NXT={b.SndNxt}) sent {seg} again on {TcpMachine.EventNames[(int)step.Step.Event]}: already sent sequence space is retransmitted only on a retransmission timeout";
        }
        return null;
    }

    private static string? Judge(TwoHostModel model, StateIds s, in HostStep step, StepLog log)
    {
        ref readonly var b = ref step.Before;
        ref readonly var a = ref step.After;
        if (s.Idle(a.State)) return null; // it gave up: gives-up-at-r2 judges when, and what the user is told
        bool resent = false;
        foreach (var f in log.Sent)
            if (f.From == step.Host && !f.Seg.IsRst && f.Seg.Seq == b.SndUna && f.Seg.SegLen > 0) resent = true;
        if (!resent) return $"it did not resend the oldest unacknowledged segment (SEQ={b.SndUna})";
        if (a.Retries != b.Retries + 1) return $"the retransmission was not counted ({a.Retries} retransmission(s) after it)";
        return null;
    }
}
