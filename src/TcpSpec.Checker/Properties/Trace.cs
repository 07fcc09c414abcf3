using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>One move of a replayed run, with everything needed to show it.</summary>
public sealed record TraceStep(int Number, Move Move, string Description, World Before, World After,
    IReadOnlyList<EngineStep> Steps, IReadOnlyList<HostNotice> Notices, IReadOnlyList<Flight> Sent, Flight? Delivered, IReadOnlyList<string> Violations);

/// <summary>A run replayed for showing: each move described, with every property judged on it.</summary>
public static class Trace
{
    /// <summary>
    /// Replays <paramref name="path"/> from the initial world, evaluating every property at each
    /// step. Throws <see cref="ReplayException"/> if a move is not enabled where the path says.
    /// </summary>
    public static List<TraceStep> Of(TwoHostModel model, IReadOnlyList<IProperty> properties, IReadOnlyList<Move> path)
    {
        var trace = new List<TraceStep>(path.Count);
        Replay.Walk(model, path, (int i, in World before, Move m, in World after, StepLog log) =>
        {
            var violations = new List<string>();
            foreach (var p in properties)
            {
                var message = p.CheckStep(model, before, m, after, log);
                if (message is not null) violations.Add($"{p.Name}: {message}");
            }
            Flight? delivered = Stepper.Arriving(model, before, m);
            trace.Add(new TraceStep(i + 1, m, Replay.Describe(model, before, m), before, after, log.Steps.ToList(), log.Notices.ToList(),
                log.Sent.ToList(), delivered, violations));
        });
        return trace;
    }
}
