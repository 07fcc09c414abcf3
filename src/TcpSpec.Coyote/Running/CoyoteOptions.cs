using Microsoft.Coyote;

namespace TcpSpec.Coyote;

/// <summary>Coyote's exploration strategies, by the names <c>tcpspec check --explorer coyote --strategy</c> takes.</summary>
public enum CoyoteStrategy
{
    /// <summary>Coyote's default: a tuned, fair portfolio of strategies.</summary>
    Portfolio,
    Random,
    Probabilistic,
    /// <summary>PCT: priority-based, unfair (cannot report livelocks; neither can delay-bounding and Q-learning).</summary>
    Pct,
    /// <summary>PCT with a fair suffix: finds livelocks too.</summary>
    FairPct,
    DelayBounding,
    QLearning,
}

/// <summary>How Coyote explores: strategy, iterations, the scheduling-step cap, the seed.</summary>
public sealed record CoyoteOptions
{
    public CoyoteStrategy Strategy { get; init; } = CoyoteStrategy.Portfolio;
    public int Iterations { get; init; } = 1000;

    /// <summary>Scheduling steps per iteration (about three per move); unfair PCT with periodic timers spins to it.</summary>
    public int MaxSteps { get; init; } = 500;

    public int Seed { get; init; }

    /// <summary>PCT's priority changes, delay-bounding's delays.</summary>
    public int Bound { get; init; } = 3;

    public static IReadOnlyList<string> StrategyNames { get; } = Enum.GetValues<CoyoteStrategy>().Select(Name).ToList();

    public static string Name(CoyoteStrategy s) => s switch
    {
        CoyoteStrategy.FairPct => "fair-pct",
        CoyoteStrategy.DelayBounding => "delay-bounding",
        CoyoteStrategy.QLearning => "qlearning",
        _ => s.ToString().ToLowerInvariant(),
    };

    public static CoyoteStrategy? Parse(string name) =>
        Enum.GetValues<CoyoteStrategy>().Cast<CoyoteStrategy?>().FirstOrDefault(s => Name(s!.Value) == name);

    /// <summary>How results name the run, e.g. <c>coyote-pct(seed=7, bound=3)</c>.</summary>
    public string Describe() => Strategy switch
    {
        CoyoteStrategy.Pct or CoyoteStrategy.FairPct or CoyoteStrategy.DelayBounding => $"coyote-{Name(Strategy)}(seed={Seed}, bound={Bound})",
        _ => $"coyote-{Name(Strategy)}(seed={Seed})",
    };

    /// <summary>The Coyote configuration; telemetry is always off (Coyote's default is on).</summary>
    public Configuration ToConfiguration()
    {
        var c = Configuration.Create()
            .WithTestingIterations((uint)Iterations)
            .WithMaxSchedulingSteps((uint)MaxSteps)
            .WithRandomGeneratorSeed(unchecked((uint)Seed))
            .WithTelemetryEnabled(false)
            .WithConsoleLoggingEnabled(false);
        return Strategy switch
        {
            CoyoteStrategy.Random => c.WithRandomStrategy(),
            CoyoteStrategy.Probabilistic => c.WithProbabilisticStrategy(),
            CoyoteStrategy.Pct => c.WithPrioritizationStrategy(false, (uint)Bound),
            CoyoteStrategy.FairPct => c.WithPrioritizationStrategy(true, (uint)Bound),
            CoyoteStrategy.DelayBounding => c.WithDelayBoundingStrategy(false, (uint)Bound),
            CoyoteStrategy.QLearning => c.WithQLearningStrategy(),
            _ => c, // none set: Coyote's fair portfolio
        };
    }
}
