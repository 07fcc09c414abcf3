using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// Properties of what a host does with a segment that is not part of the live exchange: a
/// forged one of the blind attacker (--attack) or an old one the network delivers again
/// (--stale). They judge only those ghost arrivals (marked by their move), by the RFC's rules
/// against the target's TCB as it was before the segment arrived; on other runs they are vacuous.
/// </summary>
public static partial class HostileNetworkProperties
{
    public static readonly IProperty ResetNeedsExactSeq = new ResetOnlyFromExactRst();
    public static readonly IProperty SynIsChallenged = new SynInSynchronizedStateIsChallenged();
    public static readonly IProperty ForgedDataAcceptable = new ForgedTextOnlyIfAcceptable();
    public static readonly IProperty UnacceptableDropped = new UnacceptableSegmentChangesNothing();

    public static IReadOnlyList<IProperty> All { get; } = [ResetNeedsExactSeq, SynIsChallenged, ForgedDataAcceptable, UnacceptableDropped, UnacceptableAcked, ListenerRejects, SynSentRejects, SynSentSynchronizes, TimeWaitFinAcked];

    /// <summary>The ghost segment a move brings, its target, and the target before and after; false for other moves.</summary>
    private static bool Ghost(TwoHostModel model, in World before, Move move, in World after, out Segment seg, out int host, out Endpoint b, out Endpoint a)
    {
        seg = default;
        host = 0;
        b = a = default;
        if (move.Kind is not (MoveKind.Inject or MoveKind.Stale)) return false;
        var f = Stepper.Arriving(model, before, move)!.Value;
        seg = f.Seg;
        host = f.To;
        b = before.Host(host).Ep;
        a = after.Host(host).Ep;
        // A crash between the segment's sending and now is no matter: the target is judged as it is.
        return true;
    }

    private static string What(Move move) => move.Kind == MoveKind.Inject ? $"a forged {Forgery.Name(move.Index)}" : "an old segment delivered again";

    /// <summary>Did the host send an ACK <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;</c> (a challenge ACK) in this move?</summary>
    private static bool SentAck(StepLog log, int host, in Endpoint b)
    {
        foreach (var f in log.Sent)
            if (f.From == host && f.Seg.Flags == TcpFlags.Ack && f.Seg.Seq == b.SndNxt && f.Seg.Ack == b.RcvNxt) return true;
        return false;
    }

    private static bool WasReset(StepLog log, int host) =>
        log.Notices.Any(n => n.Host == host && n.Notice.Kind is NoticeKind.ConnectionReset or NoticeKind.ConnectionRefused);

    private sealed class ResetOnlyFromExactRst : IProperty
    {
        public string Name => "rst-exact-or-challenged";
        public StepFacts Interest => StepFacts.Ghost;
        public string Description => "A reset that is not forged at exactly RCV.NXT never ends or changes a connection: inside the window it gets a challenge ACK, outside it is dropped (RFC 5961 §3.2).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (!Ghost(model, before, move, after, out var seg, out int h, out var b, out var a) || !seg.IsRst) return null;
            if (!b.Has(EndpointFlags.SynReceived) || Acceptability.ExactReset(b, seg)) return null; // before SYN-RECEIVED no window exists; an exact one resets (§3.2 (1))
            string who = model.Scenario.HostNames[h];
            if (a != b || WasReset(log, h))
                return $"{who} in {model.States.Name(b.State)} took {What(move)} {seg} (RCV.NXT={b.RcvNxt}): it is not at exactly RCV.NXT and must not change the connection, but {who} went to {model.States.Name(a.State)}";
            if (Acceptability.Sequence(b, seg) && !SentAck(log, h, b))
                return $"{who} in {model.States.Name(b.State)} took {What(move)} {seg} inside its window (RCV.NXT={b.RcvNxt}, RCV.WND={b.RcvWnd}) without sending a challenge ACK <SEQ={b.SndNxt}><ACK={b.RcvNxt}>";
            return null;
        }
    }

    private sealed class SynInSynchronizedStateIsChallenged : IProperty
    {
        public string Name => "syn-challenged";
        public StepFacts Interest => StepFacts.Ghost;
        public string Description => "A SYN arriving in a synchronized state, at any sequence number, or in SYN-RECEIVED after an active OPEN (\"handle per the directions for synchronized states\"), gets a challenge ACK and changes nothing: never a reset or an abort; in SYN-RECEIVED after a passive OPEN, one that passes the sequence test returns the connection to LISTEN (RFC 9293 §3.10.7.4 fourth; RFC 5961 §4.2). The peer's own SYN again (SEG.SEQ = IRS) is not a new SYN: unacceptable-acked and the table's Deliberate choices answer it.";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (!Ghost(model, before, move, after, out var seg, out int h, out var b, out var a) || !seg.IsSyn || seg.IsRst) return null;
            string who = model.Scenario.HostNames[h];
            if ((int)b.State == model.States.SynReceived)
            {
                if (seg.Seq == b.Irs || !Acceptability.Sequence(b, seg)) return null; // the peer's SYN again; or the first check's ACK (unacceptable-acked)
                if (b.Has(EndpointFlags.Passive))
                    return (int)a.State == model.States.Listen ? null
                        : $"{who} in SYN-RECEIVED after a passive OPEN took {What(move)} {seg}, which passes the sequence test, and must return to LISTEN, but it went to {model.States.Name(a.State)}";
            }
            else if (!model.States.Synchronized(b.State)) return null;
            if (a != b || WasReset(log, h))
                return $"{who} in {model.States.Name(b.State)} took {What(move)} {seg}: a SYN in a synchronized state must only be challenged, but {who} went to {model.States.Name(a.State)}";
            if (!SentAck(log, h, b))
                return $"{who} in {model.States.Name(b.State)} got {What(move)} {seg} and sent no challenge ACK <SEQ={b.SndNxt}><ACK={b.RcvNxt}>";
            return null;
        }
    }

    private sealed class ForgedTextOnlyIfAcceptable : IProperty
    {
        public string Name => "forged-data-rejected";
        public StepFacts Interest => StepFacts.Ghost;
        public string Description => "Forged or old text reaches the application only if the segment is acceptable: its sequence numbers in the receive window (RFC 9293 Table 6) and its ACK in (SND.UNA − MAX.SND.WND) .. SND.NXT (RFC 5961 §5.2).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (!Ghost(model, before, move, after, out var seg, out int h, out var b, out _) || seg.Length == 0) return null;
            if (!log.Text.Any(t => t.Host == h)) return null;
            bool ack = (int)b.State == model.States.SynReceived ? Acceptability.AckOfOurSyn(b, seg) : Acceptability.AckInRange(b, seg);
            if (Acceptability.Sequence(b, seg) && ack) return null;
            string who = model.Scenario.HostNames[h];
            string why = !Acceptability.Sequence(b, seg)
                ? $"its SEQ is outside the window (RCV.NXT={b.RcvNxt}, RCV.WND={b.RcvWnd})"
                : $"its ACK is not acceptable (SND.UNA={b.SndUna}, SND.NXT={b.SndNxt}, MAX.SND.WND={b.MaxSndWnd})";
            return $"{who} in {model.States.Name(b.State)} delivered the text of {What(move)} {seg} to its application, but {why}";
        }
    }

    private sealed class UnacceptableSegmentChangesNothing : IProperty
    {
        public string Name => "unacceptable-dropped";
        public StepFacts Interest => StepFacts.Ghost;
        public string Description => "A forged or old segment the RFC says to drop (sequence test failed, an unacceptable ACK in SYN-RECEIVED, an ACK of the unsent or below SND.UNA − MAX.SND.WND) leaves the TCB as it was: it opens, closes and moves no connection (RFC 9293 §3.10.7.4 first, fifth; RFC 5961 §5.2).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (!Ghost(model, before, move, after, out var seg, out int h, out var b, out var a) || seg.IsRst || seg.IsSyn) return null; // RST and SYN: the two properties above
            string? rule = Rule(model, b, seg);
            if (rule is null || a == b) return null;
            string who = model.Scenario.HostNames[h];
            string change = a.State != b.State ? $"went to {model.States.Name(a.State)}" : $"changed its TCB ({b} → {a})";
            return $"{who} in {model.States.Name(b.State)} got {What(move)} {seg}, which {rule} and must be dropped, but {who} {change}";
        }

        /// <summary>Why the RFC drops the segment, or null if it does not.</summary>
        private static string? Rule(TwoHostModel model, in Endpoint b, in Segment seg)
        {
            bool synRcvd = (int)b.State == model.States.SynReceived;
            if (!synRcvd && !model.States.Synchronized(b.State)) return null;
            if ((int)b.State == model.States.TimeWait) // TIME-WAIT has its own rule for the one segment that can arrive: a retransmitted FIN restarts the 2 MSL timer
                return !seg.IsAck && Acceptability.Sequence(b, seg) ? "has no ACK bit (RFC 9293 §3.10.7.4 fifth)" : null;
            if (!Acceptability.Sequence(b, seg)) return $"fails the sequence test (RCV.NXT={b.RcvNxt}, RCV.WND={b.RcvWnd}; RFC 9293 Table 6)";
            if (!seg.IsAck) return "has no ACK bit (RFC 9293 §3.10.7.4 fifth)";
            if (synRcvd && !Acceptability.AckOfOurSyn(b, seg)) return $"does not acknowledge our SYN (SND.UNA={b.SndUna} < SEG.ACK =< SND.NXT={b.SndNxt} fails; RFC 9293 §3.10.7.4 fifth)";
            if (!synRcvd && Seq.Gt(seg.Ack, b.SndNxt)) return $"acknowledges what was never sent (SND.NXT={b.SndNxt}; RFC 9293 §3.10.7.4 fifth)";
            if (!synRcvd && !Acceptability.AckInRange(b, seg)) return $"acknowledges below SND.UNA − MAX.SND.WND (SND.UNA={b.SndUna}, MAX.SND.WND={b.MaxSndWnd}; RFC 5961 §5.2)";
            return null;
        }
    }
}
