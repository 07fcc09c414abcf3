using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// What every segment a host sends looks like, judged against the sender's TCB (RFC 9293 §3.4,
/// §3.5.2, §3.8.6, §3.10): a SYN only while the host's own SYN is unacknowledged (RFC 9293 §3.8.1: a SYN is retransmitted like any segment), ACK = RCV.NXT
/// on everything once the peer's SYN is known, sequence numbers inside the send sequence space,
/// a FIN only after the user's CLOSE, and a reset of the shape its cause calls for.
/// </summary>
public sealed class SegmentShape : IProperty
{
    public string Name => "segment-shape";
    public StepFacts Interest => StepFacts.Sent;

    public string Description =>
        "Every segment a host sends has the RFC's shape: a SYN carries SEQ=ISS and is sent only while the host's SYN is unacknowledged (SND.UNA = ISS; so never once ESTABLISHED); once the peer's SYN is received, every non-reset segment carries ACK=RCV.NXT (RFC 9293 §3.4, §3.10.7.4 seventh); its sequence numbers lie in SND.UNA..SND.NXT (§3.3.1; a zero-window probe may repeat SND.UNA−1, §3.8.6.1); a FIN is sent only after the user's CLOSE (FIN-WAIT-1, CLOSING, LAST-ACK, §3.10.4); a move that ends the connection sends nothing but a reset; a reset answers a segment as <SEQ=SEG.ACK><CTL=RST> or <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (§3.10.7.1, §3.5.2) and a connection's own reset (ABORT, a give-up, any reset from a synchronized state) is <SEQ=SND.NXT><CTL=RST> (§3.10.5, §3.5.2 (3)).";

    public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
    {
        if (log.Sent.Count == 0 || !HostStep.Made(log)) return null;
        var step = HostStep.Of(before, after, log);
        foreach (var f in log.Sent)
        {
            if (f.From != step.Host) continue;
            string? why = Judge(model.States, step, f.Seg);
            if (why is not null)
                return $"{model.Scenario.HostNames[step.Host]} ({model.States.Name(step.Before.State)} → {model.States.Name(step.After.State)}, on {TcpMachine.EventNames[(int)step.Step.Event]}) sent {f.Seg}: {why}";
        }
        return null;
    }

    private static string? Judge(StateIds s, in HostStep step, in Segment seg)
    {
        ref readonly var b = ref step.Before;
        ref readonly var a = ref step.After;
        // A reset answers a segment with §3.10.7.1's shapes where no connection takes it; a connection's own reset (ABORT, a give-up, a reset of a synchronized connection) is <SEQ=SND.NXT>.
        if (seg.IsRst) return step.HasSegment && !s.Synchronized(b.State) ? ResetReply(step.Segment, seg) : ResetOfTheConnection(b, seg);
        if (s.Idle(a.State)) return "the move ended the connection, and then only a reset may be sent";
        if (seg.IsSyn)
        {
            if (seg.Seq != a.Iss) return $"a SYN must carry SEQ=ISS={a.Iss}";
            if (a.SndUna != a.Iss) return $"a SYN after the host's SYN was acknowledged (SND.UNA={a.SndUna}, ISS={a.Iss})";
        }
        if (a.Has(EndpointFlags.SynReceived))
        {
            if (!seg.IsAck) return $"no ACK bit, though the peer's SYN is received (RCV.NXT={a.RcvNxt})";
            if (seg.Ack != a.RcvNxt) return $"ACK={seg.Ack}, but RCV.NXT={a.RcvNxt}";
        }
        else if (seg.IsAck || !seg.IsSyn) return "before the peer's SYN is received only a SYN (without ACK) may be sent";
        bool probe = seg.SegLen == 0 && seg.Seq == a.SndUna - 1;
        if (!probe && (Seq.Lt(seg.Seq, a.SndUna) || Seq.Gt(Arrival.End(seg), a.SndNxt)))
            return $"its sequence numbers {seg.Seq}..{Arrival.End(seg)} are outside SND.UNA={a.SndUna}..SND.NXT={a.SndNxt}";
        if (seg.IsFin && !((int)a.State == s.FinWait1 || (int)a.State == s.Closing || (int)a.State == s.LastAck))
            return $"a FIN in {s.Name(a.State)}: a FIN follows the user's CLOSE, in FIN-WAIT-1, CLOSING or LAST-ACK";
        return null;
    }

    /// <summary>RFC 9293 §3.10.7.1 (and §3.5.2): the reset that answers <paramref name="cause"/>.</summary>
    private static string? ResetReply(in Segment cause, in Segment rst)
    {
        if (cause.IsRst) return "a reset in reply to a reset (§3.10.7.1: an incoming RST is discarded)";
        if (cause.IsAck)
            return rst.Seq == cause.Ack && !rst.IsAck ? null : $"the reset answering {cause} must be <SEQ={cause.Ack}><CTL=RST>";
        uint ack = Arrival.End(cause);
        return rst.Seq == 0 && rst.IsAck && rst.Ack == ack ? null : $"the reset answering {cause} must be <SEQ=0><ACK={ack}><CTL=RST,ACK>";
    }

    /// <summary>RFC 9293 §3.10.5 ABORT (and §3.8.3's give-up): &lt;SEQ=SND.NXT&gt;&lt;CTL=RST&gt;.</summary>
    private static string? ResetOfTheConnection(in Endpoint b, in Segment rst) =>
        rst.Seq == b.SndNxt && !rst.IsAck ? null : $"the reset that ends a connection must be <SEQ=SND.NXT={b.SndNxt}><CTL=RST>";
}
