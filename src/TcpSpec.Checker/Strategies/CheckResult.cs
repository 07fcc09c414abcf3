using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Properties;

namespace TcpSpec.Checker.Strategies;

/// <summary>A property that fails, and the run that shows it: the moves from the initial world.</summary>
/// <param name="LoopStart">For a liveness violation (a lasso): the index in <paramref name="Path"/> where the endlessly repeated part begins; null for a finite counterexample.</param>
public sealed record Violation(string Property, string Message, IReadOnlyList<Move> Path, int? LoopStart = null)
{
    public bool IsLasso => LoopStart is not null;
}

/// <summary>The numbers of a run.</summary>
public sealed record CheckStats
{
    public long States { get; init; }
    public long Transitions { get; init; }
    public int MaxDepth { get; init; }
    public long Endings { get; init; }
    /// <summary>Worlds beyond the in-flight bound, counted but not explored.</summary>
    public long Bounded { get; init; }
    public double Seconds { get; init; }
    public long PeakMemoryBytes { get; init; }
    public int Workers { get; init; }
    /// <summary>Stopped before the state space was exhausted (a cap, the depth bound, or an interruption): see <see cref="StoppedBy"/>.</summary>
    public bool Truncated { get; init; }
    /// <summary>What stopped a truncated run: "--max-states 6,000,000", "--max-memory 2 GiB (resident 2 GiB)", "interrupted", "depth 12".</summary>
    public string? StoppedBy { get; init; }
    /// <summary>For a bitstate search: the filter and the estimated coverage.</summary>
    public BitstateStats? Bitstate { get; init; }
    /// <summary>The checkpoint a stopped exhaustive search wrote (to resume it from), or null.</summary>
    public string? Checkpoint { get; init; }
    /// <summary>For randomized strategies: runs made.</summary>
    public long Iterations { get; init; }

    public double StatesPerSecond => Seconds > 0 ? States / Seconds : 0;
}

/// <summary>The outcome of checking one scenario: the model explored, the properties checked, and what was found.</summary>
public sealed record CheckResult(TwoHostModel Model, IReadOnlyList<IProperty> Properties, string Strategy, CheckStats Stats, IReadOnlyList<Violation> Violations, Coverage Coverage)
{
    public Scenario Scenario => Model.Scenario;

    public Budgets Budgets => Model.Budgets;

    public bool Holds => Violations.Count == 0;
}

/// <summary>A way of exploring the model: it is handed the properties to check.</summary>
public interface IStrategy
{
    CheckResult Run(TwoHostModel model, IReadOnlyList<IProperty> properties);
}
