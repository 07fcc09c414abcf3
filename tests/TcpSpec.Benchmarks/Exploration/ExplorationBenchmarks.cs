using BenchmarkDotNet.Attributes;
using TcpSpec.Checker;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Benchmarks.Exploration;

/// <summary>
/// <c>tcpspec check</c>'s exhaustive search of each default scenario at its default budgets
/// (generated engine, liveness on), with 1 and 2 worker threads. One invocation explores the
/// whole scenario; states per second is the scenario's distinct states over the mean time.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("exploration")]
public class ExplorationBenchmarks
{
    [ParamsSource(nameof(Scenarios))]
    public string Scenario { get; set; } = ScenarioCatalog.ClientClosesFirst.Name;

    [Params(1, 2)]
    public int Workers { get; set; } = 1;

    public static IEnumerable<string> Scenarios => ScenarioCatalog.All.Select(s => s.Name);

    [GlobalSetup]
    public void Setup()
    {
        _scenario = ScenarioCatalog.Find(Scenario) ?? throw new ArgumentException($"unknown scenario '{Scenario}'");
        var result = Explore();
        if (!result.Holds) throw new InvalidOperationException($"{Scenario}: {result.Violations[0].Property} is violated");
    }

    /// <summary>Distinct states of the scenario (what one invocation explores).</summary>
    public long States => Explore().Stats.States;

    [Benchmark(Description = "exhaustive check")]
    public long Check() => Explore().Stats.States;

    private Scenario _scenario = null!;

    private CheckResult Explore() => ModelChecker.Check(_scenario, new CheckOptions { Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = Workers }) });
}
