using TcpSpec.Checker;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Strategies;
using Microsoft.Coyote.SystematicTesting.Frameworks.XUnit;
using TcpSpec.Checker.Scenarios;
using Xunit.Abstractions;

namespace TcpSpec.Coyote.Tests;

/// <summary>Coyote explores every default scenario on the real table with fixed seeds: every property holds, as the exhaustive search says.</summary>
public class DefaultScenariosTests(ITestOutputHelper output)
{
    public static TheoryData<string> Scenarios() => new(ScenarioCatalog.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_property_holds_under_coyote(string name)
    {
        var options = new CoyoteOptions { Strategy = CoyoteStrategy.Random, Seed = 1, Iterations = 60 };
        var (spec, run) = CoyoteRunner.Explore(ScenarioCatalog.Find(name)!, options, log: new TestOutputLogger(output));
        var st = run.Result.Stats;
        output.WriteLine($"{name}: {st.Iterations} iterations, {st.Transitions} moves, {st.States} worlds, {st.Endings} endings, {st.Bounded} bounded, depth {st.MaxDepth}, {run.Result.Coverage.RowsCovered} rows, {st.Seconds:F2}s");
        CoyoteRunner.AssertHolds(spec, run);
        Assert.Equal(options.Iterations, run.Result.Stats.Iterations);
        Assert.True(st.Endings + st.Bounded > 0, "some runs must reach an ending or the in-flight bound");
        Assert.True(run.Result.Coverage.RowsCovered > 2, "the runs fire rows of the table");
    }

    [Fact]
    public void The_same_seed_explores_the_same_worlds()
    {
        var options = new CoyoteOptions { Strategy = CoyoteStrategy.Pct, Seed = 7, Iterations = 30 };
        var (_, first) = CoyoteRunner.Explore(ScenarioCatalog.LostFinalAck, options);
        var (_, second) = CoyoteRunner.Explore(ScenarioCatalog.LostFinalAck, options);
        Assert.Equal(first.Record.Worlds.Order(), second.Record.Worlds.Order());
        Assert.Equal(first.Result.Stats.Transitions, second.Result.Stats.Transitions);
        var (_, other) = CoyoteRunner.Explore(ScenarioCatalog.LostFinalAck, options with { Seed = 8 });
        Assert.NotEqual(first.Record.Worlds.Order(), other.Record.Worlds.Order());
    }
}
