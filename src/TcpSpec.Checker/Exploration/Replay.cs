using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Exploration;

/// <summary>One move of a replayed run, with everything needed to show it.</summary>
public sealed record TraceStep(int Number, Move Move, string Description, World Before, World After,
    IReadOnlyList<EngineStep> Steps, IReadOnlyList<HostNotice> Notices, IReadOnlyList<Flight> Sent, Flight? Delivered, IReadOnlyList<string> Violations);

/// <summary>Re-executes runs move by move: the moves of a run are all it takes to reproduce it.</summary>
public static class Replay
{
    /// <summary>Turns move ordinals (positions in each world's enabled-move list) into moves.</summary>
    public static List<Move> MovesFromOrdinals(ModelSpec spec, IReadOnlyList<ushort> ordinals)
    {
        var stepper = new Stepper(spec);
        var w = spec.Initial;
        var result = new List<Move>(ordinals.Count);
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        foreach (var o in ordinals)
        {
            int n = stepper.Enumerate(w, moves);
            if (o >= n) throw new InvalidOperationException($"move ordinal {o} is not enabled (only {n} moves)");
            result.Add(moves[o]);
            stepper.Apply(ref w, moves[o]);
        }
        return result;
    }

    /// <summary>
    /// Replays <paramref name="path"/> from the initial world, checking each move is enabled and
    /// evaluating every property at each step. Throws <see cref="ReplayException"/> if a move is
    /// not enabled where the path says.
    /// </summary>
    public static List<TraceStep> Run(ModelSpec spec, IReadOnlyList<Move> path)
    {
        var stepper = new Stepper(spec);
        var properties = spec.Properties.Concat(spec.Scenario.ExtraProperties).ToList();
        var w = spec.Initial;
        var trace = new List<TraceStep>(path.Count);
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        for (int i = 0; i < path.Count; i++)
        {
            var m = path[i];
            if (m.Kind is MoveKind.Deliver or MoveKind.Lose or MoveKind.Duplicate && m.Index >= w.Net.Count)
                throw new ReplayException($"step {i + 1}: {m.Kind} of segment {m.Index}, but only {w.Net.Count} segment(s) are in flight");
            int n = stepper.Enumerate(w, moves);
            bool enabled = false;
            for (int k = 0; k < n; k++) enabled |= moves[k] == m;
            if (!enabled) throw new ReplayException($"step {i + 1}: the move {Describe(spec, w, m)} is not enabled here");
            var before = w;
            Flight? delivered = m.Kind == MoveKind.Deliver ? w.Net[m.Index] : null;
            string description = Describe(spec, w, m);
            stepper.Apply(ref w, m);
            var violations = new List<string>();
            foreach (var p in properties)
            {
                var message = p.CheckStep(spec, before, m, w, stepper.Log);
                if (message is not null) violations.Add($"{p.Name}: {message}");
            }
            trace.Add(new TraceStep(i + 1, m, description, before, w, stepper.Log.Steps.ToList(), stepper.Log.Notices.ToList(),
                stepper.Log.Sent.ToList(), delivered, violations));
        }
        return trace;
    }

    /// <summary>The world after <paramref name="path"/>; endings are judged on it.</summary>
    public static World WorldAfter(ModelSpec spec, IReadOnlyList<Move> path)
    {
        var stepper = new Stepper(spec);
        var w = spec.Initial;
        foreach (var m in path) stepper.Apply(ref w, m);
        return w;
    }

    public static string Describe(ModelSpec spec, in World w, Move m)
    {
        string host = spec.Scenario.HostNames[m.Host];
        switch (m.Kind)
        {
            case MoveKind.App:
            {
                var h = w.Host(m.Host);
                var script = spec.Scenario.Script(m.Host);
                return h.Pc < script.Length ? $"{host}: user calls {script[h.Pc]}" : $"{host}: user step";
            }
            case MoveKind.Deliver:
                return $"deliver {Arrow(spec, w.Net[m.Index])}";
            case MoveKind.Lose:
                return $"LOSE {Arrow(spec, w.Net[m.Index])}";
            case MoveKind.Duplicate:
                return $"DUPLICATE {Arrow(spec, w.Net[m.Index])}";
            case MoveKind.Timer:
                return $"{host}: {((TimerKind)m.Index) switch { TimerKind.Retransmit => "retransmission", TimerKind.TimeWait => "2MSL (TIME-WAIT)", _ => "user" }} timeout";
            default:
                return $"{host} CRASHES and restarts with no TCB";
        }
    }

    public static string Arrow(ModelSpec spec, Flight f) =>
        $"{spec.Scenario.HostNames[f.From]}→{spec.Scenario.HostNames[f.To]} {f.Seg}{(f.Incarnation == Flight.PreviousLife ? " (old duplicate)" : "")}";
}

/// <summary>A replay that does not fit the model: a move not enabled, a file for another scenario.</summary>
public sealed class ReplayException(string message) : Exception(message);
