using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// What an arriving reset does, in every state and for every reset (the live exchange's and the
/// hostile network's alike): RFC 9293 §3.10.7.1–§3.10.7.4 second, with RFC 5961 §3.2.
/// </summary>
public sealed class ResetProcessing : IProperty
{
    public string Name => "reset-processing";
    public StepFacts Interest => StepFacts.ResetArrival;

    public string Description =>
        "An arriving reset is never answered by a reset. In CLOSED and LISTEN it is ignored (RFC 9293 §3.10.7.1, §3.10.7.2 first). In SYN-SENT one whose ACK acknowledges the SYN closes the connection and tells the user \"connection reset\"; any other is dropped (§3.10.7.3 second). Past SYN-SENT one outside the window is dropped, one inside it but not at RCV.NXT gets a challenge ACK and changes nothing (RFC 5961 §3.2), and one at RCV.NXT ends the connection: SYN-RECEIVED returns to LISTEN after a passive OPEN and otherwise closes with \"connection refused\"; ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2 and CLOSE-WAIT close with \"connection reset\"; CLOSING, LAST-ACK and TIME-WAIT close (§3.10.7.4 second).";

    public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
    {
        if (!HostStep.Arrived(log) || !log.Steps[0].Segment.GetValueOrDefault().IsRst) return null;
        var step = HostStep.Of(before, after, log);
        var s = model.States;
        var seg = step.Segment;
        ref readonly var b = ref step.Before;
        string? why = Judge(s, step, log);
        return why is null ? null
            : $"{model.Scenario.HostNames[step.Host]} in {s.Name(b.State)} got {seg} (SND.UNA={b.SndUna}, SND.NXT={b.SndNxt}, RCV.NXT={b.RcvNxt}, RCV.WND={b.RcvWnd}): {why}";
    }

    private static string? Judge(StateIds s, in HostStep step, StepLog log)
    {
        var seg = step.Segment;
        ref readonly var b = ref step.Before;
        foreach (var f in log.Sent)
            if (f.From == step.Host && f.Seg.IsRst) return $"it answered with the reset {f.Seg}";

        if (s.Idle(b.State)) return Unchanged(s, step, log, "ignored");
        if (s.Is(b.State, s.SynSent))
        {
            bool acksSyn = seg.IsAck && Seq.Lt(b.SndUna, seg.Ack) && Seq.Le(seg.Ack, b.SndNxt);
            return acksSyn ? Ends(s, step, log, s.Closed, NoticeKind.ConnectionReset) : Unchanged(s, step, log, "dropped");
        }
        if (!Acceptability.Sequence(b, seg)) return Unchanged(s, step, log, "dropped (outside the window)");
        if (!Acceptability.ExactReset(b, seg))
        {
            string? changed = Unchanged(s, step, log, "answered by a challenge ACK only", sendsChallenge: true);
            if (changed is not null) return changed;
            foreach (var f in log.Sent)
                if (f.From == step.Host && f.Seg.Flags == TcpFlags.Ack && f.Seg.Seq == b.SndNxt && f.Seg.Ack == b.RcvNxt) return null;
            return $"a reset inside the window but not at RCV.NXT must get a challenge ACK <SEQ={b.SndNxt}><ACK={b.RcvNxt}><CTL=ACK>";
        }
        if (s.Is(b.State, s.SynReceived))
            return b.Has(EndpointFlags.Passive) ? Ends(s, step, log, s.Listen, null) : Ends(s, step, log, s.Closed, NoticeKind.ConnectionRefused);
        bool told = (int)b.State == s.Established || (int)b.State == s.FinWait1 || (int)b.State == s.FinWait2 || (int)b.State == s.CloseWait;
        return Ends(s, step, log, s.Closed, told ? NoticeKind.ConnectionReset : null);
    }

    /// <summary>The reset must leave the connection as it was: same state and sequence variables, and nothing sent unless a challenge ACK is due.</summary>
    private static string? Unchanged(StateIds s, in HostStep step, StepLog log, string how, bool sendsChallenge = false)
    {
        ref readonly var b = ref step.Before;
        ref readonly var a = ref step.After;
        if (a.State != b.State || a.SndUna != b.SndUna || a.SndNxt != b.SndNxt || a.RcvNxt != b.RcvNxt || a.Iss != b.Iss || a.Irs != b.Irs)
            return $"it must be {how}, but the host moved to {s.Name(a.State)} (SND.UNA={a.SndUna}, SND.NXT={a.SndNxt}, RCV.NXT={a.RcvNxt})";
        if (!sendsChallenge && step.Sent(log)) return $"it must be {how}, but the host sent a segment";
        if (step.Told(log, NoticeKind.ConnectionReset) || step.Told(log, NoticeKind.ConnectionRefused)) return $"it must be {how}, but the user was told of a reset";
        return null;
    }

    private static string? Ends(StateIds s, in HostStep step, StepLog log, int next, NoticeKind? notice)
    {
        if ((int)step.After.State != next) return $"the reset must take it to {s.Name((TcpState)next)}, but it went to {s.Name(step.After.State)}";
        if (step.Sent(log)) return $"a connection ended by a reset sends nothing";
        if (notice is { } n && !step.Told(log, n))
            return $"the user must be told \"{(n == NoticeKind.ConnectionRefused ? "connection refused" : "connection reset")}\"";
        if (notice != NoticeKind.ConnectionReset && step.Told(log, NoticeKind.ConnectionReset)) return $"the user was told \"connection reset\", but the RFC says {(notice is null ? "nothing" : "\"connection refused\"")} here";
        if (notice != NoticeKind.ConnectionRefused && step.Told(log, NoticeKind.ConnectionRefused)) return $"the user was told \"connection refused\", but the RFC says {(notice is null ? "nothing" : "\"connection reset\"")} here";
        return null;
    }
}
