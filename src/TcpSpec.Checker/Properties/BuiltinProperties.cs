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
        public string Description => "Every event a host meets is decided by a row of the table (no undecided (state, event) at run time).";

        public string? CheckStep(ModelSpec spec, in World before, Move move, in World after, StepLog log) =>
            log.Undecided is { } u
                ? $"{spec.Scenario.HostNames[u.Host]} in {spec.States.Name(u.From)} met {TcpMachine.EventNames[(int)u.Event]} and no row of the table decides it"
                : null;
    }

    private sealed class DataDeliveredExactlyOnce : IProperty
    {
        public string Name => "data-exactly-once";
        public string Description => "Text arrives exactly once, in order and uncorrupted; on a run with no abort, reset or crash, all of it arrives.";

        public string? CheckStep(ModelSpec spec, in World before, Move move, in World after, StepLog log) =>
            log.DataAnomalies.Count > 0 ? log.DataAnomalies[0] : null;

        public string? CheckEnding(ModelSpec spec, in World w)
        {
            if (Disrupted(w)) return null;
            for (int h = 0; h < 2; h++)
            {
                var peer = w.Host(1 - h);
                if (w.Host(h).Expected != peer.Sent)
                    return $"{spec.Scenario.HostNames[1 - h]} sent {peer.Sent} octet(s) but only {w.Host(h).Expected} arrived at {spec.Scenario.HostNames[h]}, with no abort, reset or crash";
            }
            return null;
        }
    }

    private sealed class NoPhantomConnection : IProperty
    {
        public string Name => "no-phantom-connection";
        public string Description => "A host never reaches ESTABLISHED for a connection its peer's incarnation did not open (old duplicates never open connections).";

        public string? CheckStep(ModelSpec spec, in World before, Move move, in World after, StepLog log) =>
            log.PhantomAnomalies.Count > 0 ? log.PhantomAnomalies[0] : null;
    }

    private sealed class SequenceSyncWhenQuiet : IProperty
    {
        public string Name => "seq-sync-when-quiet";
        public string Description => "When both hosts are ESTABLISHED, nothing is in flight and nothing awaits retransmission (SND.UNA = SND.NXT on both), each one's SND.NXT equals the other's RCV.NXT.";

        public string? CheckStep(ModelSpec spec, in World before, Move move, in World after, StepLog log)
        {
            var s = spec.States;
            if (after.Net.Count != 0 || !s.Is(after.A.Ep.State, s.Established) || !s.Is(after.B.Ep.State, s.Established)) return null;
            if (after.A.Ep.SndUna != after.A.Ep.SndNxt || after.B.Ep.SndUna != after.B.Ep.SndNxt) return null; // a loss awaits retransmission
            if (after.A.Ep.SndNxt != after.B.Ep.RcvNxt)
                return $"both ESTABLISHED and nothing in flight, but {spec.Scenario.HostNames[0]}'s SND.NXT={after.A.Ep.SndNxt} ≠ {spec.Scenario.HostNames[1]}'s RCV.NXT={after.B.Ep.RcvNxt}";
            if (after.B.Ep.SndNxt != after.A.Ep.RcvNxt)
                return $"both ESTABLISHED and nothing in flight, but {spec.Scenario.HostNames[1]}'s SND.NXT={after.B.Ep.SndNxt} ≠ {spec.Scenario.HostNames[0]}'s RCV.NXT={after.A.Ep.RcvNxt}";
            return null;
        }
    }

    private sealed class SequenceVariablesMoveForward : IProperty
    {
        public string Name => "seq-monotonic";
        public string Description => "Within a connection, SND.UNA, SND.NXT and RCV.NXT only move forward (modulo 2^32).";

        public string? CheckStep(ModelSpec spec, in World before, Move move, in World after, StepLog log)
        {
            for (int h = 0; h < 2; h++)
            {
                var a = before.Host(h);
                var b = after.Host(h);
                if (a.Incarnation != b.Incarnation || a.Ep.Iss != b.Ep.Iss || spec.States.Idle(a.Ep.State) || spec.States.Idle(b.Ep.State)) continue;
                string who = spec.Scenario.HostNames[h];
                if (Seq.Lt(b.Ep.SndUna, a.Ep.SndUna)) return $"{who}'s SND.UNA moved back from {a.Ep.SndUna} to {b.Ep.SndUna}";
                if (Seq.Lt(b.Ep.SndNxt, a.Ep.SndNxt)) return $"{who}'s SND.NXT moved back from {a.Ep.SndNxt} to {b.Ep.SndNxt}";
                if (a.Ep.Has(EndpointFlags.SynReceived) && b.Ep.Has(EndpointFlags.SynReceived) && Seq.Lt(b.Ep.RcvNxt, a.Ep.RcvNxt))
                    return $"{who}'s RCV.NXT moved back from {a.Ep.RcvNxt} to {b.Ep.RcvNxt}";
            }
            return null;
        }
    }

    private sealed class BothClosedAtTheEnd : IProperty
    {
        public string Name => "both-closed";
        public string Description => "Every run ends with both hosts CLOSED (or LISTEN for a listener) and nothing in flight, through the graceful path unless the scenario aborts or crashes; an ending short of that is a deadlock.";

        public string? CheckEnding(ModelSpec spec, in World w)
        {
            var s = spec.States;
            for (int h = 0; h < 2; h++)
            {
                var st = w.Host(h).Ep.State;
                bool ok = s.Is(st, s.Closed) || (s.Is(st, s.Listen) && spec.MayListen(h) && (!spec.Scenario.Graceful || spec.Scenario.ListenAtEnd[h]));
                if (!ok) return $"deadlock: no move is enabled, but {spec.Scenario.HostNames[h]} is in {s.Name(st)}";
            }
            if (w.Net.Count > 0) return $"the run ended with {w.Net.Count} segment(s) still in flight";
            if (spec.Scenario.Graceful && Disrupted(w))
            {
                for (int h = 0; h < 2; h++)
                {
                    var m = w.Host(h).Marks & (HostMarks.Reset | HostMarks.Aborted | HostMarks.Crashed);
                    if (m != 0) return $"the connection did not close gracefully: {spec.Scenario.HostNames[h]} was {Describe(m)}";
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
