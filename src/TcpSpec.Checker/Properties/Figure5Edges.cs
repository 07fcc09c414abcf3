using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// Every state change is an arrow of RFC 9293 Figure 5, taken on the event the figure (or the
/// event-processing text of §3.10 that completes it) names: a transition table of the figure,
/// written here, not read from the spec.
/// </summary>
public sealed class Figure5Edges : IProperty
{
    public string Name => "figure-5-edges";
    public StepFacts Interest => StepFacts.StateChange;

    public string Description =>
        "Every state change is an arrow of RFC 9293 Figure 5 on its event: OPEN, SEND and CLOSE as the figure draws them; a SYN takes LISTEN and SYN-SENT to SYN-RECEIVED, a SYN,ACK SYN-SENT to ESTABLISHED; an ACK of the SYN takes SYN-RECEIVED to ESTABLISHED, of the FIN FIN-WAIT-1 to FIN-WAIT-2, CLOSING to TIME-WAIT and LAST-ACK to CLOSED; a FIN takes ESTABLISHED to CLOSE-WAIT, FIN-WAIT-1 to CLOSING, FIN-WAIT-2 to TIME-WAIT; plus the arrows the text adds: FIN-WAIT-1 to TIME-WAIT on a FIN that acknowledges our FIN (RFC 1122 §4.2.2.8), a FIN or a queued CLOSE taken with the ACK that ends SYN-RECEIVED (§3.10.7.4 fifth, eighth; §3.10.4), SYN-SENT to CLOSE-WAIT on a SYN,ACK with FIN (§3.10.7.3 fourth), and the ways to CLOSED (ABORT, RST, the retransmission and user timeouts, ICMP in SYN-SENT, the TIME-WAIT timeout) and back to LISTEN (only a passive OPEN's SYN-RECEIVED, on a RST, a SYN or a give-up: §3.10.7.4 second, fourth; RFC 1122 §4.2.2.8).";

    public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
    {
        if (!HostStep.Made(log)) return null;
        var step = HostStep.Of(before, after, log);
        if (step.Before.State == step.After.State) return null;
        if (Allowed(model.States, step)) return null;
        string on = step.HasSegment ? step.Segment.ToString() : TcpMachine.EventNames[(int)step.Step.Event];
        return $"{model.Scenario.HostNames[step.Host]} went from {model.States.Name(step.Before.State)} to {model.States.Name(step.After.State)} on {on}: no arrow of Figure 5 (or of the RFC's text) does that";
    }

    private static bool Allowed(StateIds s, in HostStep step)
    {
        int from = (int)step.Before.State;
        int to = (int)step.After.State;
        bool passive = step.Before.Has(EndpointFlags.Passive);
        bool synReceivedPassive = from == s.SynReceived && passive;
        switch (step.Step.Event)
        {
            case TcpEvent.OpenPassive: return from == s.Closed && to == s.Listen;
            case TcpEvent.OpenActive: return (from == s.Closed || from == s.Listen) && to == s.SynSent;
            case TcpEvent.Send: return from == s.Listen && to == s.SynSent;
            case TcpEvent.Close:
                return ((from == s.Listen || from == s.SynSent) && to == s.Closed)
                    || ((from == s.SynReceived || from == s.Established) && to == s.FinWait1)
                    || (from == s.CloseWait && to == s.LastAck);
            case TcpEvent.Abort: return to == s.Closed;
            case TcpEvent.RetransmitTimeout: return to == s.Closed || (to == s.Listen && synReceivedPassive);
            case TcpEvent.UserTimeout: return to == s.Closed;
            case TcpEvent.TimeWaitTimeout: return from == s.TimeWait && to == s.Closed;
            case TcpEvent.IcmpHard: return from == s.SynSent && to == s.Closed;
        }
        if (!step.HasSegment) return false;
        var seg = step.Segment;
        if (seg.IsRst)
            return from == s.SynReceived ? to == (passive ? s.Listen : s.Closed) : !s.Idle(step.Before.State) && to == s.Closed;
        if (seg.IsSyn)
        {
            if (from == s.Listen) return !seg.IsAck && to == s.SynReceived;
            if (from == s.SynSent) return seg.IsAck ? to == s.Established || (seg.IsFin && to == s.CloseWait) : to == s.SynReceived;
            if (from == s.SynReceived)
                return (synReceivedPassive && to == s.Listen) || (seg.IsAck && (to == s.Established || to == s.FinWait1)); // Figure 7 line 6, then a queued CLOSE
            return false;
        }
        if (!seg.IsAck) return false;
        if (from == s.SynReceived)
            return to == s.Established || to == s.FinWait1 || (seg.IsFin && (to == s.CloseWait || to == s.LastAck));
        if (from == s.Established) return seg.IsFin && to == s.CloseWait;
        if (from == s.FinWait1) return to == s.FinWait2 || (seg.IsFin && (to == s.Closing || to == s.TimeWait));
        if (from == s.FinWait2) return seg.IsFin && to == s.TimeWait;
        if (from == s.Closing) return to == s.TimeWait;
        if (from == s.LastAck) return to == s.Closed;
        return false;
    }
}
