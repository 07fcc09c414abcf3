using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>The properties every scenario is checked against.</summary>
public static class BuiltinProperties
{
    public static readonly IProperty NoUndecided = new NoUndecidedCell();
    public static readonly IProperty DataExactlyOnce = new DataDeliveredExactlyOnce();
    public static readonly IProperty NoPhantom = new NoPhantomConnection();
    public static readonly IProperty SyncWhenQuiet = new SequenceSyncWhenQuiet();
    public static readonly IProperty SeqMonotonic = new SequenceVariablesMoveForward();
    public static readonly IProperty ClosedAtEnd = new BothClosedAtTheEnd();

    public static IReadOnlyList<IProperty> All { get; } = new[] { NoUndecided, DataExactlyOnce, NoPhantom, SyncWhenQuiet, SeqMonotonic, ClosedAtEnd };

    private sealed class NoUndecidedCell : IProperty
    {
        public string Name => "no-undecided-cell";
        public StepFacts Interest => StepFacts.Undecided;
        public string Description => "Every event a host meets is decided by a row of the table (no undecided (state, event) at run time).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log) =>
            log.Undecided is { } u
                ? $"{model.Scenario.HostNames[u.Host]} in {model.States.Name(u.From)} met {TcpMachine.EventNames[(int)u.Event]} and no row of the table decides it"
                : null;
    }

    private sealed class DataDeliveredExactlyOnce : IProperty
    {
        public string Name => "data-exactly-once";
        public StepFacts Interest => StepFacts.Text;
        public string Description => "Text arrives exactly once, in order and uncorrupted; on a run with no abort, reset or crash, all of it arrives.";

        /// <summary>The ghost check: each arrival must be the next octets of the peer's current stream.</summary>
        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            foreach (var t in log.Text)
            {
                string who = model.Scenario.HostNames[t.Host];
                if (t.Stream == Forgery.StreamTag)
                    return $"{who} accepted {t.Length} octet(s) of forged text (the blind attacker's, not its peer's)";
                if (t.Stream != t.PeerStream)
                    return $"{who} accepted {t.Length} octet(s) of stream {t.Stream:X2} (a previous incarnation's), but its peer's current stream is {t.PeerStream:X2}";
                if (t.Offset != t.Expected)
                    return t.Offset < t.Expected
                        ? $"{who} accepted octets {t.Offset}..{t.Offset + t.Length - 1} again: octets up to {t.Expected - 1} had already arrived (duplicate delivery)"
                        : $"{who} accepted octets from {t.Offset} but expected octet {t.Expected} next (a gap: text lost or out of order)";
            }
            return null;
        }

        public string? CheckEnding(TwoHostModel model, in World w)
        {
            if (Disrupted(w)) return null;
            for (int h = 0; h < 2; h++)
            {
                var peer = w.Host(1 - h);
                if (w.Host(h).Expected != peer.Sent)
                    return $"{model.Scenario.HostNames[1 - h]} sent {peer.Sent} octet(s) but only {w.Host(h).Expected} arrived at {model.Scenario.HostNames[h]}, with no abort, reset or crash";
            }
            return null;
        }
    }

    private sealed class NoPhantomConnection : IProperty
    {
        public string Name => "no-phantom-connection";
        public StepFacts Interest => StepFacts.Established;
        public string Description => "A host never reaches ESTABLISHED for a connection its peer's current incarnation did not open (old duplicates never open connections; a peer that crashed since cannot have a connection).";

        /// <summary>
        /// The ghost check: the IRS must be an ISS that the incarnation of the peer which sent the
        /// establishing segment chose in this run. Segments of a life before the run
        /// (<see cref="Flight.PreviousLife"/>) never establish anything legitimately.
        /// </summary>
        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            foreach (var e in log.Established)
            {
                // A segment of an incarnation that has crashed since never establishes a real
                // connection either: the peer that could answer is gone, so the connection is
                // half-open from birth (RFC 9293 §3.5.1, Figure 11).
                if (e.SenderIncarnation != Flight.PreviousLife && e.SenderIncarnation == e.PeerIncarnation)
                {
                    uint first = model.IssFor(1 - e.Host, e.SenderIncarnation);
                    uint step = model.Config.IssStep;
                    uint chosen = (e.PeerNextIss - first) / step;
                    uint k = e.Irs - first;
                    if (k % step == 0 && k / step < chosen) continue;
                }
                string life = e.SenderIncarnation == Flight.PreviousLife ? "a life before this run"
                    : e.SenderIncarnation < e.PeerIncarnation ? $"incarnation #{e.SenderIncarnation}, which has crashed since" : $"incarnation #{e.SenderIncarnation}";
                return $"{model.Scenario.HostNames[e.Host]} entered ESTABLISHED with IRS={e.Irs} on a segment from its peer's {life}, which never opened a connection with that ISS (the peer is now incarnation #{e.PeerIncarnation} in {model.States.Name(e.PeerState)})";
            }
            return null;
        }
    }

    private sealed class SequenceSyncWhenQuiet : IProperty
    {
        public string Name => "seq-sync-when-quiet";
        /// <summary>Its first test: nothing in flight after the move.</summary>
        public StepFacts Interest => StepFacts.Quiet;
        public string Description => "When both hosts are ESTABLISHED, nothing is in flight and nothing awaits retransmission (SND.UNA = SND.NXT on both), each one's SND.NXT equals the other's RCV.NXT.";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            var s = model.States;
            if (after.Net.Count != 0 || !s.Is(after.A.Ep.State, s.Established) || !s.Is(after.B.Ep.State, s.Established)) return null;
            if (after.A.Ep.SndUna != after.A.Ep.SndNxt || after.B.Ep.SndUna != after.B.Ep.SndNxt) return null; // a loss awaits retransmission
            if (after.A.Ep.SndNxt != after.B.Ep.RcvNxt)
                return $"both ESTABLISHED and nothing in flight, but {model.Scenario.HostNames[0]}'s SND.NXT={after.A.Ep.SndNxt} ≠ {model.Scenario.HostNames[1]}'s RCV.NXT={after.B.Ep.RcvNxt}";
            if (after.B.Ep.SndNxt != after.A.Ep.RcvNxt)
                return $"both ESTABLISHED and nothing in flight, but {model.Scenario.HostNames[1]}'s SND.NXT={after.B.Ep.SndNxt} ≠ {model.Scenario.HostNames[0]}'s RCV.NXT={after.A.Ep.RcvNxt}";
            return null;
        }
    }

    private sealed class SequenceVariablesMoveForward : IProperty
    {
        public string Name => "seq-monotonic";
        public StepFacts Interest => StepFacts.EngineStep;
        public string Description => "Within a connection, SND.UNA, SND.NXT and RCV.NXT only move forward (modulo 2^32).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            for (int h = 0; h < 2; h++)
            {
                // Read in place: copying four hosts per move was most of this property's cost.
                ref readonly var a = ref HostStep.EndpointOf(before, h);
                ref readonly var b = ref HostStep.EndpointOf(after, h);
                if ((h == 0 ? before.A.Incarnation != after.A.Incarnation : before.B.Incarnation != after.B.Incarnation)
                    || a.Iss != b.Iss || model.States.Idle(a.State) || model.States.Idle(b.State)) continue;
                string who = model.Scenario.HostNames[h];
                if (Seq.Lt(b.SndUna, a.SndUna)) return $"{who}'s SND.UNA moved back from {a.SndUna} to {b.SndUna}";
                if (Seq.Lt(b.SndNxt, a.SndNxt)) return $"{who}'s SND.NXT moved back from {a.SndNxt} to {b.SndNxt}";
                if (a.Has(EndpointFlags.SynReceived) && b.Has(EndpointFlags.SynReceived) && Seq.Lt(b.RcvNxt, a.RcvNxt))
                    return $"{who}'s RCV.NXT moved back from {a.RcvNxt} to {b.RcvNxt}";
            }
            return null;
        }
    }

    private sealed class BothClosedAtTheEnd : IProperty
    {
        public string Name => "both-closed";
        public StepFacts Interest => StepFacts.None;
        public string Description => "Every run ends with both hosts CLOSED (or LISTEN for a listener) and nothing in flight, through the graceful path unless the scenario aborts or crashes; an ending short of that is a deadlock.";

        public string? CheckEnding(TwoHostModel model, in World w)
        {
            var s = model.States;
            for (int h = 0; h < 2; h++)
            {
                var st = w.Host(h).Ep.State;
                // A blind attacker's exact reset killed the peer's side: this side is half-open and
                // learns of it only if it sends again (RFC 9293 §3.5.1); an idle one never does.
                if (w.Host(1 - h).Has(HostMarks.Hijacked) && w.Net.Count == 0) continue;
                // The peer aborted in CLOSING, LAST-ACK or TIME-WAIT, which sends nothing (RFC 9293 §3.10.5):
                // a host still waiting in FIN-WAIT-2 for its FIN waits for ever (the RFC has no FIN-WAIT-2 timeout).
                if (w.Host(1 - h).Has(HostMarks.Aborted) && s.Is(st, s.FinWait2) && w.Net.Count == 0) continue;
                bool ok = s.Is(st, s.Closed) || (s.Is(st, s.Listen) && model.MayListen(h) && (!model.Scenario.Graceful || model.Scenario.ListenAtEnd[h]));
                if (!ok) return $"deadlock: no move is enabled, but {model.Scenario.HostNames[h]} is in {s.Name(st)}";
            }
            if (w.Net.Count > 0) return $"the run ended with {w.Net.Count} segment(s) still in flight";
            if (model.Scenario.Graceful && Disrupted(w))
            {
                for (int h = 0; h < 2; h++)
                {
                    var m = w.Host(h).Marks & (HostMarks.Reset | HostMarks.Aborted | HostMarks.Crashed);
                    if (m != 0) return $"the connection did not close gracefully: {model.Scenario.HostNames[h]} was {Describe(m)}";
                }
            }
            return null;
        }

        private static string Describe(HostMarks m) =>
            (m & HostMarks.Reset) != 0 ? "reset (or gave up)" : (m & HostMarks.Aborted) != 0 ? "aborted" : "crashed";
    }

    /// <summary>An abort, a reset, a give-up or a crash happened on either host.</summary>
    public static bool Disrupted(in World w) =>
        ((w.A.Marks | w.B.Marks) & (HostMarks.Reset | HostMarks.Aborted | HostMarks.Crashed)) != 0;
}
