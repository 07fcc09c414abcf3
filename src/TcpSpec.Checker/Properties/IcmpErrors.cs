using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// What an ICMP error does to the connection it quotes, judged from RFC 9293 §3.9.2.2, RFC 5461 §4
/// and RFC 5927 §4.1, not from the table's guards: an error is for the connection when its host
/// has one whose segment could have caused it (not CLOSED, LISTEN or TIME-WAIT) and the quoted
/// sequence number is of a segment not yet acknowledged, SND.UNA =&lt; SEG.SEQ &lt; SND.NXT, taken
/// from the endpoint before the move. Only ICMP moves are judged (<see cref="StepFacts.IcmpError"/>): the search
/// calls these properties on no other move; no allocation.
/// </summary>
public static class IcmpErrors
{
    public static readonly IProperty SoftErrorReported = new SoftErrorNeverAborts();
    public static readonly IProperty HardErrorAbortsAttempt = new HardErrorAbortsOnlyAnAttempt();
    public static readonly IProperty NotForConnectionIgnored = new ErrorNotForTheConnection();

    public static IReadOnlyList<IProperty> All { get; } = [SoftErrorReported, HardErrorAbortsAttempt, NotForConnectionIgnored];

    /// <summary>Is the error of <paramref name="move"/> for a connection of its host: one that sent the quoted segment and waits for it to be acknowledged?</summary>
    internal static bool ForConnection(StateIds s, in World before, Move move)
    {
        var ep = before.Host(move.Host).Ep;
        if (s.Idle(ep.State) || s.Is(ep.State, s.TimeWait)) return false;
        uint seq = Stepper.Quoted(before, move).Seg.Seq;
        return Seq.Le(ep.SndUna, seq) && Seq.Lt(seq, ep.SndNxt);
    }

    private static int Count(StepLog log, int h, NoticeKind kind)
    {
        int n = 0;
        foreach (var x in log.Notices)
            if (x.Host == h && x.Notice.Kind == kind) n++;
        return n;
    }

    private static int Notices(StepLog log, int h)
    {
        int n = 0;
        foreach (var x in log.Notices)
            if (x.Host == h) n++;
        return n;
    }

    /// <summary>What the host did besides telling its user: a segment sent, a notice other than <paramref name="told"/>, or null.</summary>
    private static string? Besides(StepLog log, int h, NoticeKind told)
    {
        foreach (var f in log.Sent)
            if (f.From == h) return $"it sent {f.Seg}";
        foreach (var x in log.Notices)
            if (x.Host == h && x.Notice.Kind != told) return $"it told its user {x.Notice.Kind}";
        return null;
    }

    private static string Who(TwoHostModel model, in World before, Move move)
    {
        var ep = before.Host(move.Host).Ep;
        var quoted = Stepper.Quoted(before, move);
        return $"{model.Scenario.HostNames[move.Host]} in {model.States.Name(ep.State)} (SND.UNA={ep.SndUna}, SND.NXT={ep.SndNxt}) got an ICMP {Stepper.IcmpKind(move).ToString().ToLowerInvariant()} error quoting {quoted.Seg}";
    }

    private sealed class SoftErrorNeverAborts : IProperty
    {
        public string Name => "icmp-soft-error-reported";
        public StepFacts Interest => StepFacts.IcmpError;
        public string Description => "An ICMP soft error for the connection (Destination Unreachable codes 0, 1, 5, Time Exceeded, Parameter Problem) never aborts it nor changes its state (RFC 9293 §3.9.2.2, MUST-56), and the user is told of it (SHLD-25), once, and of nothing else.";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (move.Kind != MoveKind.Icmp || Stepper.IcmpKind(move) != IcmpClass.Soft || !ForConnection(model.States, before, move)) return null;
            int h = move.Host;
            var to = after.Host(h).Ep.State;
            if (to != before.Host(h).Ep.State) return $"{Who(model, before, move)} and went to {model.States.Name(to)} (MUST-56: a soft error never aborts the connection)";
            if (Count(log, h, NoticeKind.SoftError) != 1) return $"{Who(model, before, move)} and did not tell its user of the soft error once (SHLD-25)";
            return Besides(log, h, NoticeKind.SoftError) is { } what ? $"{Who(model, before, move)}: {what}, though a soft error is only reported (§3.9.2.2)" : null;
        }
    }

    private sealed class HardErrorAbortsOnlyAnAttempt : IProperty
    {
        public string Name => "icmp-hard-error-aborts-attempt";
        public StepFacts Interest => StepFacts.IcmpError;
        public string Description => "An ICMP hard error for the connection (Destination Unreachable codes 2, 3: protocol or port unreachable) aborts a connection attempt in SYN-SENT, which goes to CLOSED and tells the user \"unreachable\" (RFC 9293 §3.9.2.2, SHLD-26; §3.8.3); in every other state, SYN-RECEIVED included, it is reported as a soft error and the connection stays (the table's choice under SHLD-26: §3.9.2.2 notes implementations that keep synchronized connections, RFC 5461 §4; RFC 5927 §4.1 against blind connection resets).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (move.Kind != MoveKind.Icmp || Stepper.IcmpKind(move) != IcmpClass.Hard || !ForConnection(model.States, before, move)) return null;
            var s = model.States;
            int h = move.Host;
            var from = before.Host(h).Ep.State;
            var to = after.Host(h).Ep.State;
            if (s.Is(from, s.SynSent))
            {
                if (!s.Is(to, s.Closed)) return $"{Who(model, before, move)} and went to {s.Name(to)}, not CLOSED (SHLD-26: the attempt is aborted)";
                if (Count(log, h, NoticeKind.Unreachable) != 1) return $"{Who(model, before, move)} and aborted without telling its user \"unreachable\" (§3.9.2.2)";
                return Besides(log, h, NoticeKind.Unreachable) is { } other ? $"{Who(model, before, move)}: {other} besides \"unreachable\"" : null;
            }
            if (to != from) return $"{Who(model, before, move)} and went to {s.Name(to)}: past SYN-SENT a hard error does not end the connection (RFC 5461 §4)";
            if (Count(log, h, NoticeKind.SoftError) != 1) return $"{Who(model, before, move)} and did not report it to its user as a soft error once (RFC 5461 §4; SHLD-25)";
            return Besides(log, h, NoticeKind.SoftError) is { } what ? $"{Who(model, before, move)}: {what}, though past SYN-SENT a hard error is only reported" : null;
        }
    }

    private sealed class ErrorNotForTheConnection : IProperty
    {
        public string Name => "icmp-not-for-connection-ignored";
        public StepFacts Interest => StepFacts.IcmpError;
        public string Description => "An ICMP error that is not for a connection changes nothing and tells nobody: its host is in CLOSED, LISTEN or TIME-WAIT (no segment of a connection in flight to report on; RFC 9293 §3.9.2.2, MUST-54), or the quoted sequence number is outside SND.UNA =< SEG.SEQ < SND.NXT (an old segment, another incarnation's, a forgery: RFC 5927 §4.1).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            if (move.Kind != MoveKind.Icmp || ForConnection(model.States, before, move)) return null;
            int h = move.Host;
            if (!before.Host(h).Ep.Equals(after.Host(h).Ep))
                return $"{Who(model, before, move)}, which is for no connection of it, and its TCB changed (now {model.States.Name(after.Host(h).Ep.State)}; MUST-54, RFC 5927 §4.1)";
            if (Notices(log, h) != 0) return $"{Who(model, before, move)}, which is for no connection of it, and told its user {log.Notices[0].Notice.Kind}";
            foreach (var f in log.Sent)
                if (f.From == h) return $"{Who(model, before, move)}, which is for no connection of it, and sent {f.Seg}";
            return null;
        }
    }
}
