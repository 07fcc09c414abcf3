using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// When a host gives up on a connection, judged from RFC 9293 §3.8.3 and §3.10.8 (not from the
/// table's guards): it counts the retransmissions of the segment at the front of the queue
/// (the endpoint's retransmission count, which a timeout raises and an acknowledgment clears)
/// against the model's R1 and R2, and looks at what the host told its user and sent. Every move
/// is judged: no allocation, no LINQ.
/// </summary>
public static class GiveUpProperties
{
    public static readonly IProperty GivesUpAtR2 = new GivesUpOnlyAtR2();
    public static readonly IProperty ReportsAtR1 = new DeliveryProblemAtR1();
    public static readonly IProperty GoesBackWhereItOpened = new GiveUpReturnsToOpen();
    public static readonly IProperty ResetsWhenSynchronized = new GiveUpSendsReset();
    public static readonly IProperty UserTimeoutAborts = new UserTimeoutClosesAndTells();

    public static IReadOnlyList<IProperty> All { get; } = [GivesUpAtR2, ReportsAtR1, GoesBackWhereItOpened, ResetsWhenSynchronized, UserTimeoutAborts];

    /// <summary>The move is the expiry of <paramref name="timer"/>.</summary>
    private static bool Expiry(Move m, TimerKind timer) => m.Kind == MoveKind.Timer && m.Index == (byte)timer;

    /// <summary>The host left a connection for CLOSED or LISTEN in this move.</summary>
    private static bool GaveUp(TwoHostModel model, in World before, in World after, int h) =>
        !model.States.Idle(before.Host(h).Ep.State) && model.States.Idle(after.Host(h).Ep.State);

    /// <summary>R2 for the segment at the front: the SYN's own while the host's SYN is unacknowledged (SYN-SENT, SYN-RECEIVED), else the data one (§3.8.3).</summary>
    private static int R2(TwoHostModel model, TcpState s) =>
        model.States.Is(s, model.States.SynSent) || model.States.Is(s, model.States.SynReceived)
            ? model.Config.SynMaxRetransmissions : model.Config.MaxRetransmissions;

    private static bool Told(StepLog log, int h, NoticeKind kind)
    {
        foreach (var n in log.Notices)
            if (n.Host == h && n.Notice.Kind == kind) return true;
        return false;
    }

    /// <summary>Did the host's connection come from a passive OPEN (its script's last OPEN before now)?</summary>
    internal static bool PassivelyOpened(TwoHostModel model, in HostState host, int h)
    {
        var script = model.Scenario.Script(h);
        for (int i = Math.Min(host.Pc, script.Length) - 1; i >= 0; i--)
        {
            if (script[i].Kind == OpKind.OpenPassive) return true;
            if (script[i].Kind == OpKind.OpenActive) return false;
        }
        return false; // opened before the run (a scenario that starts ESTABLISHED): not in SYN-RECEIVED
    }

    private sealed class GivesUpOnlyAtR2 : IProperty
    {
        public string Name => "gives-up-at-r2";
        public StepFacts Interest => StepFacts.RetransmitTimeout;
        public string Description => "A retransmission timeout closes the connection exactly when the segment at the front has been retransmitted R2 times (R2 for a SYN while it is unacknowledged), and the user is told, unless a passive OPEN goes back to LISTEN (RFC 9293 §3.8.3, MUST-20, MUST-23; §3.10.8).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (!Expiry(move, TimerKind.Retransmit)) return null;
            int h = move.Host;
            var b = before.Host(h);
            if (model.States.Idle(b.Ep.State)) return null;
            int r2 = R2(model, b.Ep.State);
            bool gaveUp = GaveUp(model, before, after, h);
            string who = model.Scenario.HostNames[h];
            if (gaveUp && b.Ep.Retries < r2)
                return $"{who} gave up in {model.States.Name(b.Ep.State)} after {b.Ep.Retries} retransmission(s), before R2 = {r2} (MUST-20)";
            if (!gaveUp && b.Ep.Retries >= r2)
                return $"{who} had retransmitted its segment R2 = {r2} times and went on in {model.States.Name(after.Host(h).Ep.State)} instead of closing the connection (MUST-20)";
            bool toListen = model.States.Is(after.Host(h).Ep.State, model.States.Listen);
            if (gaveUp && !toListen && !Told(log, h, NoticeKind.RetransmitTimeout))
                return $"{who} gave up at R2 without telling its user (§3.8.3: the connection is closed and the user informed)";
            if (!gaveUp && Told(log, h, NoticeKind.RetransmitTimeout))
                return $"{who} told its user \"timeout\" but kept the connection in {model.States.Name(after.Host(h).Ep.State)}";
            return null;
        }
    }

    private sealed class DeliveryProblemAtR1 : IProperty
    {
        public string Name => "reports-at-r1";
        public StepFacts Interest => StepFacts.RetransmitTimeout | StepFacts.Notice;
        public string Description => "The user is told of a delivery problem when, and only when, a timeout makes the R1-th retransmission of one segment (R1 < R2), before the connection is given up (RFC 9293 §3.8.3, SHLD-9, SHLD-10).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            for (int h = 0; h < 2; h++)
            {
                bool told = Told(log, h, NoticeKind.DeliveryProblem);
                bool due = Expiry(move, TimerKind.Retransmit) && move.Host == h && !model.States.Idle(before.Host(h).Ep.State)
                    && !GaveUp(model, before, after, h) && before.Host(h).Ep.Retries + 1 == model.Config.R1Retransmissions;
                string who = model.Scenario.HostNames[h];
                if (due && !told) return $"{who} made its R1-th (= {model.Config.R1Retransmissions}) retransmission without telling its user of the delivery problem (SHLD-9)";
                if (told && !due) return $"{who} reported a delivery problem when no timeout made the R1-th retransmission (SHLD-9)";
            }
            return null;
        }
    }

    private sealed class GiveUpReturnsToOpen : IProperty
    {
        public string Name => "give-up-returns-to-open";
        public StepFacts Interest => StepFacts.RetransmitTimeout | StepFacts.UserTimeout;
        public string Description => "A connection given up returns to where it was opened: LISTEN after a passive OPEN still in SYN-RECEIVED (as a reset would, RFC 9293 §3.10.7.4 second), CLOSED otherwise (§3.8.3, §3.10.8).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (!Expiry(move, TimerKind.Retransmit) && !Expiry(move, TimerKind.User)) return null;
            int h = move.Host;
            if (!GaveUp(model, before, after, h)) return null;
            var s = model.States;
            bool passive = Expiry(move, TimerKind.Retransmit) && s.Is(before.Host(h).Ep.State, s.SynReceived) && PassivelyOpened(model, before.Host(h), h);
            var to = after.Host(h).Ep.State;
            string who = model.Scenario.HostNames[h];
            if (passive && !s.Is(to, s.Listen)) return $"{who} gave up a connection of a passive OPEN in SYN-RECEIVED and went to {s.Name(to)}, not back to LISTEN";
            if (!passive && !s.Is(to, s.Closed)) return $"{who} gave up in {s.Name(before.Host(h).Ep.State)} and went to {s.Name(to)}, not CLOSED";
            return null;
        }
    }

    private sealed class GiveUpSendsReset : IProperty
    {
        public string Name => "give-up-resets";
        public StepFacts Interest => StepFacts.RetransmitTimeout;
        public string Description => "A host that gives up a synchronized connection at R2 aborts it as ABORT does (RFC 9293 §3.10.5: a reset in SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT), so a peer that can still hear learns it — in SYN-RECEIVED after an active OPEN too, whose peer holds a half-synchronized TCB (after a passive OPEN the host returns to LISTEN, as a reset would: give-up-returns-to-open judges that); in SYN-SENT it sends none (no peer state to clear). RFC 9293 §3.8.3 and RFC 1122 §4.2.3.5 say only \"close the connection\": the reset is the table's choice (as in FreeBSD's tcp_drop).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (!Expiry(move, TimerKind.Retransmit)) return null;
            int h = move.Host;
            if (!GaveUp(model, before, after, h)) return null;
            var s = model.States;
            var from = before.Host(h).Ep.State;
            bool reset = false;
            foreach (var f in log.Sent)
                if (f.From == h && f.Seg.IsRst) reset = true;
            string who = model.Scenario.HostNames[h];
            if (s.Connected(from) && !s.Is(from, s.Closed) && AbortResets(model, from) && !reset)
                return $"{who} gave up in {s.Name(from)} without sending a reset";
            if (s.Is(from, s.SynReceived) && !PassivelyOpened(model, before.Host(h), h) && !reset)
                return $"{who} gave up in SYN-RECEIVED after an active OPEN without sending a reset (ABORT in SYN-RECEIVED sends one, RFC 9293 §3.10.5)";
            if (s.Is(from, s.SynSent) && reset) return $"{who} gave up in SYN-SENT and sent a reset to a peer that never answered";
            return null;
        }

        /// <summary>The states in which ABORT sends a reset (§3.10.5): the synchronized ones short of CLOSING, LAST-ACK and TIME-WAIT.</summary>
        private static bool AbortResets(TwoHostModel model, TcpState s)
        {
            string name = model.States.Name(s);
            return name is "ESTABLISHED" or "FIN-WAIT-1" or "FIN-WAIT-2" or "CLOSE-WAIT";
        }
    }

    private sealed class UserTimeoutClosesAndTells : IProperty
    {
        public string Name => "user-timeout-aborts";
        public StepFacts Interest => StepFacts.UserTimeout;
        public string Description => "When the user timeout expires, in any state with a connection, the host signals \"connection aborted due to user timeout\" and enters CLOSED (RFC 9293 §3.10.8 USER TIMEOUT).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (!Expiry(move, TimerKind.User)) return null;
            int h = move.Host;
            var s = model.States;
            if (s.Is(before.Host(h).Ep.State, s.Closed)) return null;
            string who = model.Scenario.HostNames[h];
            if (!s.Is(after.Host(h).Ep.State, s.Closed)) return $"{who}'s user timeout expired in {s.Name(before.Host(h).Ep.State)} and it went to {s.Name(after.Host(h).Ep.State)}, not CLOSED";
            if (!Told(log, h, NoticeKind.UserTimeout)) return $"{who}'s user timeout expired without telling its user the connection was aborted";
            return null;
        }
    }
}
