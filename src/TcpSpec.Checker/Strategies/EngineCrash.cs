using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Strategies;

/// <summary>
/// The engine threw while a strategy applied a move (a table whose actions cannot run in the
/// world the move meets, or a bug of the runtime): a finding about the scenario, reported with
/// the moves that lead to it and the move that threw, not an internal error of the checker.
/// </summary>
public sealed class EngineCrashedException(string scenario, IReadOnlyList<string> path, string lastMove, Exception inner)
    : Exception($"the engine threw {inner.GetType().Name} ({inner.Message}) on move {path.Count + 1}, {lastMove}", inner)
{
    public string Scenario { get; } = scenario;

    /// <summary>The moves from the initial world to the world the crashing move was applied to, described as in traces.</summary>
    public IReadOnlyList<string> Path { get; } = path;

    /// <summary>The move that threw, described in the world it was applied to.</summary>
    public string LastMove { get; } = lastMove;

    /// <summary>Builds the report: replays <paramref name="path"/> (which ran before without throwing) to describe each move.</summary>
    public static EngineCrashedException Of(TwoHostModel model, IReadOnlyList<Move> path, string lastMove, Exception inner)
    {
        var stepper = new Stepper(model);
        var w = model.Initial;
        var described = new List<string>(path.Count);
        foreach (var m in path)
        {
            described.Add(Replay.Describe(model, w, m));
            stepper.Apply(ref w, m);
        }
        return new EngineCrashedException(model.Scenario.Name, described, lastMove, inner);
    }
}

/// <summary>The move that threw while a chunk was expanded: the world's place in the level and the move (the merge turns it into an <see cref="EngineCrashedException"/>).</summary>
internal sealed class ExpansionFailedException(int frontierIndex, string lastMove, Exception inner) : Exception(inner.Message, inner)
{
    public int FrontierIndex { get; } = frontierIndex;

    public string LastMove { get; } = lastMove;
}
