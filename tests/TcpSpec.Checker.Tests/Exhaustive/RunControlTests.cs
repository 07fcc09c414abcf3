using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Checker.Tests.Exhaustive;

/// <summary>The exhaustive search's run controls: the caps are checked as it goes, and a cancelled search returns what it found.</summary>
public class RunControlTests
{
    private static readonly Model.Scenario Scenario = ScenarioCatalog.SimultaneousClose;

    private static CheckResult Run(ExhaustiveOptions options) =>
        ModelChecker.Check(Scenario, new CheckOptions { Strategy = new ExhaustiveSearch(options) });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_state_cap_stops_the_search_at_exactly_that_many_states_mid_level(int workers)
    {
        var full = Run(new ExhaustiveOptions { Workers = workers, Liveness = false });
        // A cap that is not at a level's end: the old check, at the end of a level, overshot it.
        long cap = full.Stats.States / 2 + 1;
        var capped = Run(new ExhaustiveOptions { Workers = workers, MaxStates = cap });
        Assert.False(full.Stats.Truncated);
        Assert.True(capped.Stats.Truncated);
        Assert.Equal(cap, capped.Stats.States);
        Assert.Equal($"--max-states {cap:N0}", capped.Stats.StoppedBy);
        Assert.True(capped.Coverage.RowsCovered > 0, "a stopped search still reports its coverage");
    }

    [Fact]
    public void A_capped_search_counts_the_same_transitions_with_any_number_of_workers()
    {
        // The cap falls in a level where the helper expands chunks while the merge adds states: a fingerprint
        // the helper missed must not be taken for a new world (its run once stopped 8 transitions early at 20 M states).
        var full = Run(new ExhaustiveOptions { Workers = 1, Liveness = false });
        foreach (long cap in new[] { full.Stats.States / 3, full.Stats.States / 2 + 1, full.Stats.States * 4 / 5 })
        {
            var one = Run(new ExhaustiveOptions { Workers = 1, MaxStates = cap, Liveness = false });
            for (int run = 0; run < 3; run++)
            {
                var two = Run(new ExhaustiveOptions { Workers = 2, MaxStates = cap, Liveness = false });
                Assert.Equal(one.Stats.States, two.Stats.States);
                Assert.Equal(one.Stats.Transitions, two.Stats.Transitions);
            }
        }
    }

    [Fact]
    public void The_memory_cap_stops_the_search_with_partial_results()
    {
        var capped = Run(new ExhaustiveOptions { MaxMemoryBytes = 1 });
        Assert.True(capped.Stats.Truncated);
        Assert.StartsWith("--max-memory 1 B (resident ", capped.Stats.StoppedBy);
        Assert.True(capped.Stats.States > 0);
    }

    [Fact]
    public void A_cancelled_search_stops_and_keeps_its_states_and_coverage()
    {
        using var cancel = new CancellationTokenSource();
        var full = Run(new ExhaustiveOptions { Liveness = false });
        var stopped = Run(new ExhaustiveOptions
        {
            Cancel = cancel.Token,
            ProgressInterval = TimeSpan.Zero,
            OnProgress = p => { if (p.States > 1000) cancel.Cancel(); },
        });
        Assert.True(stopped.Stats.Truncated);
        Assert.Equal("interrupted", stopped.Stats.StoppedBy);
        Assert.InRange(stopped.Stats.States, 1001, full.Stats.States - 1);
        Assert.True(stopped.Coverage.RowsCovered > 0);
    }

    [Fact]
    public void A_cancelled_search_reports_the_violations_found_so_far()
    {
        // Without a listener first, the client's SYN can meet a closed port: a graceful scenario fails early.
        var scenario = ScenarioCatalog.ClientClosesFirst with { Prelude = [0, 0] };
        var reference = ModelChecker.Check(scenario);
        Assert.False(reference.Holds);
        using var cancel = new CancellationTokenSource();
        var stopped = ModelChecker.Check(scenario, new CheckOptions
        {
            Strategy = new ExhaustiveSearch(new ExhaustiveOptions
            {
                Cancel = cancel.Token,
                ProgressInterval = TimeSpan.Zero,
                OnProgress = p => { if (p.Depth >= reference.Violations[0].Path.Count) cancel.Cancel(); },
            }),
        });
        Assert.False(stopped.Holds);
        Assert.Equal(reference.Violations[0].Path, stopped.Violations[0].Path);
    }

    [Fact]
    public void Progress_is_reported_while_the_search_runs_not_only_per_level()
    {
        var reports = new List<SearchProgress>();
        var r = Run(new ExhaustiveOptions { ProgressInterval = TimeSpan.Zero, OnProgress = reports.Add, Liveness = false });
        Assert.True(reports.Count > r.Stats.MaxDepth + 1, $"{reports.Count} reports over {r.Stats.MaxDepth + 1} levels");
        Assert.All(reports, p => Assert.True(p.MemoryBytes > 0));
        Assert.Equal(reports.Select(p => p.States).Order(), reports.Select(p => p.States));
    }
}
