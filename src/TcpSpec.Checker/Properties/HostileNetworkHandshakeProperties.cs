using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// The hostile-network properties of the RFC's first check for a connection with a window
/// (an unacceptable segment is answered with an ACK) and of the states before it: a listener
/// (RFC 9293 §3.10.7.2) and SYN-SENT (§3.10.7.3). Written from the RFC's text, like the others.
/// </summary>
public static partial class HostileNetworkProperties
{
    public static readonly IProperty UnacceptableAcked = new UnacceptableSegmentIsAcknowledged();
    public static readonly IProperty ListenerRejects = new ListenerRepliesOrDrops();
    public static readonly IProperty SynSentRejects = new SynSentResetsBadAckOrDrops();
    public static readonly IProperty SynSentSynchronizes = new SynSentTakesAcceptableSynAck();
    public static readonly IProperty TimeWaitFinAcked = new TimeWaitAcknowledgesFin();

    /// <summary>Did the host send <c>&lt;SEQ=<paramref name="seq"/>&gt;&lt;CTL=RST&gt;</c> in this move?</summary>
    private static bool SentReset(StepLog log, int host, uint seq)
    {
        foreach (var f in log.Sent)
            if (f.From == host && f.Seg.Flags == TcpFlags.Rst && f.Seg.Seq == seq) return true;
        return false;
    }

    private static bool SentAnything(StepLog log, int host)
    {
        foreach (var f in log.Sent)
            if (f.From == host) return true;
        return false;
    }

    private sealed class UnacceptableSegmentIsAcknowledged : IProperty
    {
        public string Name => "unacceptable-acked";
        public StepFacts Interest => StepFacts.Ghost;
        public string Description => "A forged or old segment that fails the sequence test in SYN-RECEIVED or a synchronized state, unless it is a reset, is answered with <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (RFC 9293 §3.10.7.4 first, Table 6).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (!Ghost(model, before, move, after, out var seg, out int h, out var b, out _) || seg.IsRst) return null;
            bool synRcvd = (int)b.State == model.States.SynReceived;
            if (!synRcvd && !model.States.Synchronized(b.State)) return null;
            if (Acceptability.Sequence(b, seg)) return null;
            if (synRcvd && seg.IsSyn && seg.Seq == b.Irs) return null; // the peer's SYN again: without ACK answered with our SYN,ACK (the table's Deliberate choices), with one the crossing SYN,ACK of a simultaneous open (§3.5 Figure 7 line 6)
            if ((int)b.State == model.States.TimeWait && seg.IsFin && seg.Seq + seg.Length + 1 == b.RcvNxt) return null; // the retransmitted FIN of §3.10.7.4 fifth TIME-WAIT: acknowledged by its own rule
            if (SentAck(log, h, b)) return null;
            string who = model.Scenario.HostNames[h];
            return $"{who} in {model.States.Name(b.State)} got {What(move)} {seg}, which fails the sequence test (RCV.NXT={b.RcvNxt}, RCV.WND={b.RcvWnd}), and sent no ACK <SEQ={b.SndNxt}><ACK={b.RcvNxt}><CTL=ACK>";
        }
    }

    private sealed class ListenerRepliesOrDrops : IProperty
    {
        public string Name => "listen-rejects";
        public StepFacts Interest => StepFacts.Ghost;
        public string Description => "A forged or old segment at a listener that is not a SYN changes nothing: a reset is ignored, one with an ACK gets <SEQ=SEG.ACK><CTL=RST>, any other is dropped without a reply (RFC 9293 §3.10.7.2 first, second, fourth).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (!Ghost(model, before, move, after, out var seg, out int h, out var b, out var a) || (int)b.State != model.States.Listen) return null;
            if (seg.IsSyn && !seg.IsAck && !seg.IsRst) return null; // a connection request: the third check opens a connection
            string who = model.Scenario.HostNames[h];
            if (a != b) return $"{who} in LISTEN got {What(move)} {seg} and must stay as it was, but it {(a.State != b.State ? $"went to {model.States.Name(a.State)}" : $"changed its TCB ({b} → {a})")}";
            if (seg.IsRst) return null;
            if (seg.IsAck) return SentReset(log, h, seg.Ack) ? null : $"{who} in LISTEN got {What(move)} {seg}, which carries an ACK, and sent no reset <SEQ={seg.Ack}><CTL=RST>";
            return SentAnything(log, h) ? $"{who} in LISTEN got {What(move)} {seg}, which has neither SYN nor ACK, and sent a reply: it must be dropped" : null;
        }
    }

    /// <summary>ISS &lt; SEG.ACK =&lt; SND.NXT (in SYN-SENT, SND.UNA = ISS).</summary>
    private static bool AckOfOurSynSent(in Endpoint b, in Segment seg) => Seq.Gt(seg.Ack, b.Iss) && !Seq.Gt(seg.Ack, b.SndNxt);

    private sealed class SynSentResetsBadAckOrDrops : IProperty
    {
        public string Name => "syn-sent-rejects";
        public StepFacts Interest => StepFacts.Ghost;
        public string Description => "In SYN-SENT, a forged or old segment whose ACK is not ISS < SEG.ACK =< SND.NXT gets <SEQ=SEG.ACK><CTL=RST> (a reset is dropped), and one with neither SYN nor RST is dropped: either way the TCB stays as it was (RFC 9293 §3.10.7.3 first, fifth).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (!Ghost(model, before, move, after, out var seg, out int h, out var b, out var a) || (int)b.State != model.States.SynSent) return null;
            bool badAck = seg.IsAck && !AckOfOurSynSent(b, seg);
            if (!badAck && (seg.IsSyn || seg.IsRst)) return null; // the second and fourth checks
            string who = model.Scenario.HostNames[h];
            if (a != b) return $"{who} in SYN-SENT got {What(move)} {seg} and must stay as it was, but it {(a.State != b.State ? $"went to {model.States.Name(a.State)}" : $"changed its TCB ({b} → {a})")}";
            if (badAck && !seg.IsRst && !SentReset(log, h, seg.Ack))
                return $"{who} in SYN-SENT got {What(move)} {seg}, whose ACK is not in ISS={b.Iss} < SEG.ACK =< SND.NXT={b.SndNxt}, and sent no reset <SEQ={seg.Ack}><CTL=RST>";
            return null;
        }
    }

    private sealed class SynSentTakesAcceptableSynAck : IProperty
    {
        public string Name => "syn-sent-synchronizes";
        public StepFacts Interest => StepFacts.Ghost;
        public string Description => "In SYN-SENT, a SYN,ACK (forged or old) whose ACK is ISS < SEG.ACK =< SND.NXT establishes the connection: IRS = SEG.SEQ, RCV.NXT past the SYN (and past a FIN it carries, which then moves the connection to CLOSE-WAIT, else ESTABLISHED), and <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> is sent, alone or on queued text (RFC 9293 §3.10.7.3 fourth, §3.10.7.4 eighth).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (!Ghost(model, before, move, after, out var seg, out int h, out var b, out var a) || (int)b.State != model.States.SynSent) return null;
            if (!seg.IsSyn || !seg.IsAck || seg.IsRst || seg.Length != 0 || !AckOfOurSynSent(b, seg)) return null; // text on a SYN,ACK: held or delivered, no single rule
            string who = model.Scenario.HostNames[h];
            int want = seg.IsFin ? model.States.CloseWait : model.States.Established;
            uint rcvNxt = seg.Seq + 1 + (seg.IsFin ? 1u : 0u);
            if ((int)a.State != want || a.Irs != seg.Seq || a.RcvNxt != rcvNxt || a.SndUna != seg.Ack)
                return $"{who} in SYN-SENT took {What(move)} {seg} with an acceptable ACK and must enter {model.States.Name((TcpState)want)} with IRS={seg.Seq}, RCV.NXT={rcvNxt}, SND.UNA={seg.Ack}, but it has {model.States.Name(a.State)}, IRS={a.Irs}, RCV.NXT={a.RcvNxt}, SND.UNA={a.SndUna}";
            bool acked = false;
            foreach (var f in log.Sent)
            {
                if (f.From != h) continue;
                if (f.Seg.IsRst || f.Seg.IsSyn) return $"{who} in SYN-SENT took {What(move)} {seg} with an acceptable ACK and sent {f.Seg}: it must only acknowledge";
                if (f.Seg.IsAck && f.Seg.Seq == seg.Ack && f.Seg.Ack == rcvNxt) acked = true; // alone, or on queued text (§3.10.7.3 fourth: it MAY be included)
            }
            return acked ? null : $"{who} in SYN-SENT took {What(move)} {seg} and sent no ACK <SEQ={seg.Ack}><ACK={rcvNxt}><CTL=ACK>";
        }
    }

    private sealed class TimeWaitAcknowledgesFin : IProperty
    {
        public string Name => "time-wait-fin-acked";
        public StepFacts Interest => StepFacts.Ghost;
        public string Description => "In TIME-WAIT, a forged or old FIN with an ACK, whether the peer's FIN again (RCV.NXT − 1) or a new one that passes the sequence test, is acknowledged with <SEQ=SND.NXT><CTL=ACK>, restarts the 2 MSL timeout and leaves the host in TIME-WAIT (RFC 9293 §3.10.7.4 fifth and eighth, TIME-WAIT).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (!Ghost(model, before, move, after, out var seg, out int h, out var b, out var a) || (int)b.State != model.States.TimeWait) return null;
            if (!seg.IsFin || !seg.IsAck || seg.IsSyn || seg.IsRst) return null;
            if (!Acceptability.Sequence(b, seg) && seg.Seq + seg.Length + 1 != b.RcvNxt) return null; // unacceptable: the first check's ACK (unacceptable-acked)
            string who = model.Scenario.HostNames[h];
            if ((int)a.State != model.States.TimeWait) return $"{who} in TIME-WAIT got {What(move)} {seg} and must stay in TIME-WAIT, but it went to {model.States.Name(a.State)}";
            bool acked = false;
            foreach (var f in log.Sent)
                if (f.From == h && f.Seg.Flags == TcpFlags.Ack && f.Seg.Seq == b.SndNxt) acked = true;
            if (!acked) return $"{who} in TIME-WAIT got {What(move)} {seg} and sent no ACK <SEQ={b.SndNxt}><CTL=ACK>";
            int full = TimerClock.Ticks(2 * model.Config.MslMs, model.Config.InitialRtoMs);
            int was = before.Clock.Left(h, TimerKind.TimeWait);
            if (was > 0 && was != full && after.Clock.Left(h, TimerKind.TimeWait) != full) // a timed clock and a timer already running: it must start again
                return $"{who} in TIME-WAIT got {What(move)} {seg} and did not restart the 2 MSL timeout ({was} ticks were left, still {after.Clock.Left(h, TimerKind.TimeWait)})";
            return null;
        }
    }
}
