using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Exploration;

/// <summary>Picks the move to take at step <paramref name="step"/> of a replay, among the moves enabled in <paramref name="world"/>.</summary>
public delegate Move ChooseMove(int step, in World world, ReadOnlySpan<Move> enabled);

/// <summary>Sees one replayed move: the worlds before and after it and what happened (the log is reused by the next move).</summary>
public delegate void SeeMove(int step, in World before, Move move, in World after, StepLog log);

/// <summary>
/// Re-executes runs move by move: the moves of a run are all it takes to reproduce it. Every
/// replay from the initial world — a counterexample's trace, a path stored as move ordinals, the
/// world at the end of a path — goes through <see cref="Walk(TwoHostModel, int, ChooseMove, SeeMove?)"/>.
/// </summary>
public static class Replay
{
    /// <summary>
    /// The replay routine: from the initial world, <paramref name="steps"/> times, enumerates the
    /// enabled moves, takes the one <paramref name="choose"/> picks and shows it to
    /// <paramref name="see"/>. Returns the world reached.
    /// </summary>
    public static World Walk(TwoHostModel model, int steps, ChooseMove choose, SeeMove? see = null)
    {
        var stepper = new Stepper(model);
        var w = model.Initial;
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        for (int i = 0; i < steps; i++)
        {
            int n = stepper.Enumerate(w, moves);
            var m = choose(i, w, moves[..n]);
            var before = w;
            stepper.Apply(ref w, m);
            see?.Invoke(i, before, m, w, stepper.Log);
        }
        return w;
    }

    /// <summary>
    /// Replays <paramref name="path"/>, checking each move is enabled where the path takes it.
    /// Throws <see cref="ReplayException"/> if one is not.
    /// </summary>
    public static World Walk(TwoHostModel model, IReadOnlyList<Move> path, SeeMove? see = null) =>
        Walk(model, path.Count, (int i, in World w, ReadOnlySpan<Move> enabled) => Enabled(model, i, w, enabled, path[i]), see);

    /// <summary>The world after <paramref name="path"/>; endings are judged on it.</summary>
    public static World WorldAfter(TwoHostModel model, IReadOnlyList<Move> path) => Walk(model, path);

    /// <summary>Turns move ordinals (positions in each world's enabled-move list) into moves.</summary>
    public static List<Move> MovesFromOrdinals(TwoHostModel model, IReadOnlyList<ushort> ordinals)
    {
        var result = new List<Move>(ordinals.Count);
        Walk(model, ordinals.Count, (int i, in World w, ReadOnlySpan<Move> enabled) =>
        {
            ushort o = ordinals[i];
            if (o >= enabled.Length) throw new InvalidOperationException($"move ordinal {o} is not enabled (only {enabled.Length} moves)");
            result.Add(enabled[o]);
            return enabled[o];
        });
        return result;
    }

    private static Move Enabled(TwoHostModel model, int i, in World w, ReadOnlySpan<Move> enabled, Move m)
    {
        if (m.Kind is MoveKind.Deliver or MoveKind.Lose or MoveKind.Duplicate && m.Index >= w.Net.Count)
            throw new ReplayException($"step {i + 1}: {m.Kind} of segment {m.Index}, but only {w.Net.Count} segment(s) are in flight");
        if (m.Kind is MoveKind.Stale && m.Index >= w.Seen.Count)
            throw new ReplayException($"step {i + 1}: Stale of old segment {m.Index}, but the network remembers only {w.Seen.Count}");
        if (m.Kind is MoveKind.Inject && m.Index >= Model.Forgery.Count)
            throw new ReplayException($"step {i + 1}: Inject of forgery {m.Index}, but there are only {Model.Forgery.Count}");
        if (m.Kind is MoveKind.Icmp && m.Index / 2 >= w.Net.Count)
            throw new ReplayException($"step {i + 1}: ICMP error about segment {m.Index / 2}, but only {w.Net.Count} segment(s) are in flight");
        if (m.Kind is MoveKind.Call && m.Index >= Model.StrayCalls.Count)
            throw new ReplayException($"step {i + 1}: stray call {m.Index}, but there are only {Model.StrayCalls.Count}");
        if (!enabled.Contains(m)) throw new ReplayException($"step {i + 1}: the move {Describe(model, w, m)} is not enabled here");
        return m;
    }

    public static string Describe(TwoHostModel model, in World w, Move m)
    {
        string host = model.Scenario.HostNames[m.Host];
        switch (m.Kind)
        {
            case MoveKind.App:
            {
                var h = w.Host(m.Host);
                var script = model.Scenario.Script(m.Host);
                return h.Pc < script.Length ? $"{host}: user calls {script[h.Pc]}" : $"{host}: user step";
            }
            case MoveKind.Deliver:
                return $"deliver {Arrow(model, w.Net[m.Index])}";
            case MoveKind.Lose:
                return (model.Scenario.Unreachable & (1 << w.Net[m.Index].To)) != 0 ? $"the dead path loses {Arrow(model, w.Net[m.Index])}" : $"LOSE {Arrow(model, w.Net[m.Index])}";
            case MoveKind.Duplicate:
                return $"DUPLICATE {Arrow(model, w.Net[m.Index])}";
            case MoveKind.Timer:
            {
                var timer = (TimerKind)m.Index;
                string name = timer switch { TimerKind.Retransmit => "retransmission", TimerKind.TimeWait => "2MSL (TIME-WAIT)", TimerKind.Persist => "persist (zero-window probe)", TimerKind.DelayedAck => "delayed-ACK", _ => "user" };
                // The timed model's clock moves on to the deadline: say by how much (ticks of one initial RTO).
                int ticks = model.Options.UntimedTimers ? 0 : w.Clock.Left(m.Host, timer);
                return $"{host}: {name} timeout{(ticks > 0 ? $" (+{ticks * model.Config.InitialRtoMs / 1000.0:0.###} s)" : "")}";
            }
            case MoveKind.Stale:
                return $"deliver again the old {Arrow(model, w.Seen[m.Index])}";
            case MoveKind.Inject:
                return $"ATTACKER forges {Model.Forgery.Name(m.Index)}: {Arrow(model, Stepper.Arriving(model, w, m)!.Value)}";
            case MoveKind.Call:
                return $"{host}: user makes a stray call {Model.StrayCalls.Op(m.Index)}";
            case MoveKind.Icmp:
                return $"{host}: ICMP {(Stepper.IcmpKind(m) == IcmpClass.Hard ? "HARD error (port unreachable)" : "soft error (host unreachable)")} instead of {Arrow(model, Stepper.Quoted(w, m))}";
            default:
                return $"{host} CRASHES and restarts with no TCB";
        }
    }

    public static string Arrow(TwoHostModel model, Flight f) =>
        $"{model.Scenario.HostNames[f.From]}→{model.Scenario.HostNames[f.To]} {f.Seg}{f.Incarnation switch { Flight.PreviousLife => " (old duplicate)", Model.Forgery.Incarnation => " (forged)", _ => "" }}";
}

/// <summary>A replay that does not fit the model: a move not enabled, a file for another scenario.</summary>
public sealed class ReplayException(string message) : Exception(message);
