using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// A deferred ACK is deferred, never dropped (RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2): when the
/// delayed-ACK timer of a host holding unacknowledged text fires, that move sends
/// <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;</c> (MUST-40: the delay is bounded, under 0.5 s;
/// the timer is that bound); and no more than two full-sized segments' worth waits for it
/// (SHLD-19: an ACK at least for every second full-sized segment). Vacuous when delayed ACKs
/// are off (the timer is never armed and nothing is deferred).
/// </summary>
public sealed class DelayedAckBounded : IProperty
{
    public string Name => "delayed-ack-bounded";

    /// <summary>
    /// Only a host's engine step changes what it holds unacknowledged (a crash clears it) and the
    /// delayed-ACK timeout is one: a move without one leaves both hosts as they were before it,
    /// which the move that led there was judged on.
    /// </summary>
    public StepFacts Interest => StepFacts.EngineStep;

    public string Description =>
        "When the delayed-ACK timer of a host that holds unacknowledged text fires, an ACK of RCV.NXT goes out in that move (RFC 9293 §3.8.6.3, MUST-40: the delay is bounded); and less than two full-sized segments' worth of text ever waits for an ACK (SHLD-19).";

    public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
    {
        for (int h = 0; h < 2; h++)
        {
            ref readonly var ep = ref HostStep.EndpointOf(after, h);
            if (ep.RcvUnacked >= 2u * model.Config.Mss)
                return $"{model.Scenario.HostNames[h]} holds {ep.RcvUnacked} octet(s) of text unacknowledged, two full-sized segments' worth or more (MSS {model.Config.Mss}): SHLD-19 asks for an ACK at least every second one";
        }
        if (move.Kind != MoveKind.Timer || (TimerKind)move.Index != TimerKind.DelayedAck) return null;
        ref readonly var b = ref HostStep.EndpointOf(before, move.Host);
        if (b.RcvUnacked == 0) return null;
        ref readonly var a = ref HostStep.EndpointOf(after, move.Host);
        foreach (var f in log.Sent)
            if (f.From == move.Host && f.Seg.IsAck && !f.Seg.IsRst && f.Seg.Ack == a.RcvNxt) return null;
        return $"{model.Scenario.HostNames[move.Host]}'s delayed-ACK timer fired with {b.RcvUnacked} octet(s) of text unacknowledged, and no ACK of RCV.NXT={a.RcvNxt} went out: the deferred ACK was dropped, not delayed (MUST-40)";
    }
}
