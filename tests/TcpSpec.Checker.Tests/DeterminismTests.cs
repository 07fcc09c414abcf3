using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Checker.Tests;

/// <summary>Every exploration result is reproducible: from the same inputs, the same numbers and the same counterexample, whatever the threads.</summary>
public class DeterminismTests
{
    [Fact]
    public void Exhaustive_search_gives_the_same_counts_with_one_and_two_workers()
    {
        var scenario = ScenarioCatalog.SimultaneousClose;
        var budgets = scenario.Defaults with { Loss = 2, Dup = 1 };
        var one = ModelChecker.Check(scenario, new CheckOptions { Budgets = budgets, Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = 1 }) });
        var two = ModelChecker.Check(scenario, new CheckOptions { Budgets = budgets, Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = 2 }) });
        Assert.Equal(one.Stats.States, two.Stats.States);
        Assert.Equal(one.Stats.Transitions, two.Stats.Transitions);
        Assert.Equal(one.Stats.MaxDepth, two.Stats.MaxDepth);
        Assert.Equal(one.Stats.Endings, two.Stats.Endings);
        Assert.Equal(one.Coverage.Rows, two.Coverage.Rows);
    }

    [Fact]
    public void A_violation_has_the_same_shortest_trace_with_one_and_two_workers()
    {
        // Without a listener scripted first, the client's SYN can meet a CLOSED port: a graceful scenario then fails.
        var scenario = ScenarioCatalog.ClientClosesFirst with { Prelude = [0, 0] };
        var one = ModelChecker.Check(scenario, new CheckOptions { Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = 1 }) });
        var two = ModelChecker.Check(scenario, new CheckOptions { Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = 2 }) });
        Assert.False(one.Holds);
        Assert.Equal(one.Violations.Select(v => v.Property), two.Violations.Select(v => v.Property));
        Assert.Equal(one.Violations[0].Path, two.Violations[0].Path);
    }

    [Fact]
    public void Random_search_is_reproducible_from_its_seed()
    {
        var scenario = ScenarioCatalog.LostFinalAck;
        var options = new RandomOptions { Seed = 42, Iterations = 50, MaxSteps = 60 };
        var a = ModelChecker.Check(scenario, new CheckOptions { Strategy = new RandomSearch(options) });
        var b = ModelChecker.Check(scenario, new CheckOptions { Strategy = new RandomSearch(options) });
        var c = ModelChecker.Check(scenario, new CheckOptions { Strategy = new RandomSearch(options with { Seed = 43 }) });
        Assert.Equal(a.Stats.States, b.Stats.States);
        Assert.Equal(a.Stats.Transitions, b.Stats.Transitions);
        Assert.Equal(a.Coverage.Rows, b.Coverage.Rows);
        Assert.True(a.Stats.Transitions != c.Stats.Transitions || a.Stats.States != c.Stats.States, "another seed explores other runs");
    }

    [Fact]
    public void Fingerprints_do_not_depend_on_the_order_segments_were_sent()
    {
        var w1 = new World();
        var w2 = new World();
        var s1 = new Flight(new Segment(100, 301, TcpFlags.Ack, 4, 1, 0x10_000000), 0, 0);
        var s2 = new Flight(new Segment(301, 101, TcpFlags.Ack | TcpFlags.Fin, 4, 0), 1, 0);
        w1.Net.Add(s1);
        w1.Net.Add(s2);
        w2.Net.Add(s2);
        w2.Net.Add(s1);
        Assert.Equal(w1.Hash64(), w2.Hash64());
        w2.Net.Add(s1);
        Assert.NotEqual(w1.Hash64(), w2.Hash64());
    }
}
