using TcpSpec.Checker.Model;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Checker.Tests.Broken;
using TcpSpec.Engines;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests;

/// <summary>
/// Liveness counterexamples are as short as safety ones: the lead-in is a shortest path to a
/// world on a cycle that reaches no good ending, and the loop a shortest cycle through it. With
/// broken table 14 (TIME-WAIT never ends) faults only add worlds, so the default budgets must
/// give the same lead-in as no faults at all, with neither a loss nor a duplicate in it.
/// </summary>
public class LassoTests
{
    private static IEngine TimeWaitNeverEnds()
    {
        var broken = BrokenTableCatalog.All.Single(b => b.File.StartsWith("14-", StringComparison.Ordinal));
        var path = Path.Combine(Repo.Path("spec", "broken"), broken.File);
        return InterpretedEngine.FromText(path, broken.Apply(File.ReadAllText(Repo.SpecFile)), out _)!;
    }

    private static Violation Lasso(Scenario scenario, Budgets budgets)
    {
        var result = ModelChecker.Check(scenario, new CheckOptions { Engine = TimeWaitNeverEnds(), Budgets = budgets });
        var v = Assert.Single(result.Violations);
        Assert.Equal("no-livelock", v.Property);
        Assert.True(v.IsLasso);
        // The loop leads back to the world it started from.
        var trace = Trace.Of(result.Model, result.Properties, v.Path);
        int loop = v.LoopStart!.Value;
        var start = loop == 0 ? result.Model.Initial : trace[loop - 1].After;
        Assert.Equal(start.Hash64(), trace[^1].After.Hash64());
        return v;
    }

    public static TheoryData<string> Scenarios() => new() { "lost-final-ack", "client-closes-first" };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void The_lead_in_at_default_budgets_is_the_one_without_faults(string name)
    {
        var scenario = ScenarioCatalog.Find(name)!;
        var withFaults = Lasso(scenario, scenario.Defaults);
        var without = Lasso(scenario, scenario.Defaults with { Loss = 0, Dup = 0 });
        Assert.Equal(without.LoopStart, withFaults.LoopStart);
        Assert.DoesNotContain(withFaults.Path.Take(withFaults.LoopStart!.Value), m => m.Kind is Exploration.MoveKind.Lose or Exploration.MoveKind.Duplicate);
        // The shortest cycle: the restarted 2 MSL timer, one move.
        Assert.Equal(1, withFaults.Path.Count - withFaults.LoopStart);
        Assert.Equal(Exploration.MoveKind.Timer, withFaults.Path[^1].Kind);
    }

    [Fact]
    public void Lost_final_ack_lead_in_is_the_six_moves_of_a_clean_close()
    {
        var scenario = ScenarioCatalog.Find("lost-final-ack")!;
        Assert.Equal(6, Lasso(scenario, scenario.Defaults).LoopStart);
    }
}
