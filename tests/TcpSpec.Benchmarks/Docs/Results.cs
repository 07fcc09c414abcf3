using TcpSpec.Benchmarks.Exploration;
using TcpSpec.Checker.Scenarios;

namespace TcpSpec.Benchmarks.Docs;

/// <summary>Per-event cost of one engine on one stream.</summary>
internal sealed record DispatchResult(string Stream, string Engine, double NsPerEvent, double ErrorNs, long? BytesPerEvent);

/// <summary>One generator run.</summary>
internal sealed record GeneratorResult(string Run, double Microseconds, double ErrorMicroseconds, long? BytesAllocated);

/// <summary>One scenario explored with some workers: BenchmarkDotNet's mean time and allocations per exploration.</summary>
/// <param name="BestSeconds">The fastest iteration: what the search achieves when nothing else takes the cores.</param>
internal sealed record ExplorationResult(string Scenario, int Workers, long States, long Transitions, double Seconds, double ErrorSeconds, long? BytesAllocated, double BestSeconds)
{
    public double StatesPerSecond => Seconds > 0 ? States / Seconds : 0;
}

/// <summary>Everything <c>docs/benchmarks.md</c> reports.</summary>
internal sealed class BenchmarkResults
{
    public required IReadOnlyList<string> Machine { get; init; }
    public required string Command { get; init; }
    public required string Jobs { get; init; }
    public required DateTimeOffset Started { get; init; }
    public required TimeSpan Duration { get; init; }
    public required string LoadBefore { get; init; }
    public required string LoadAfter { get; init; }
    public required IReadOnlyList<DispatchResult> Dispatch { get; init; }
    public required IReadOnlyDictionary<string, (int Steps, int Rows)> Streams { get; init; }
    public required (long Cases, int Rows) CrossCheck { get; init; }
    public required IReadOnlyList<GeneratorResult> Generator { get; init; }
    public required IReadOnlyList<ExplorationResult> Exploration { get; init; }
    /// <summary>Custom runs of each default scenario (best of a few): peak heap and CPU time.</summary>
    public required IReadOnlyList<ExplorationSample> ExplorationSamples { get; init; }
    public required IReadOnlyList<(string Scenario, List<GrowthPoint> Points)> Growth { get; init; }
    /// <summary>BenchmarkDotNet's own tables (GitHub Markdown), for the error columns.</summary>
    public required IReadOnlyList<(string Title, string Markdown)> RawTables { get; init; }

    public static IEnumerable<string> ScenarioOrder => ScenarioCatalog.All.Select(s => s.Name);
}
