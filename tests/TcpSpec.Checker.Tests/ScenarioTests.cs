using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Scenarios;

namespace TcpSpec.Checker.Tests;

/// <summary>Every scenario, at its default budgets, holds on the real table — checked exhaustively, as `tcpspec check` does.</summary>
public class ScenarioTests
{
    public static TheoryData<string> Names() => new(ScenarioCatalog.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Scenario_holds_at_default_budgets(string name)
    {
        var result = ModelChecker.Check(ScenarioCatalog.Find(name)!);
        ModelChecker.AssertHolds(result);
        Assert.False(result.Stats.Truncated);
        Assert.True(result.Stats.States > 1);
        Assert.True(result.Stats.Endings > 0, "some run must end");
    }

    [Fact]
    public void RFC_9293_leaves_FIN_WAIT_2_waiting_for_ever_when_the_peer_vanishes()
    {
        var result = ModelChecker.Check(ScenarioCatalog.PeerCrashAnyTime);
        var v = Assert.Single(result.Violations);
        Assert.Equal("both-closed", v.Property);
        Assert.Equal("deadlock: no move is enabled, but A is in FIN-WAIT-2", v.Message);
        Assert.Equal(MoveKind.Crash, v.Path[^1].Kind);
    }

    [Fact]
    public void Catalog_has_the_scenarios_the_issue_names()
    {
        var names = ScenarioCatalog.All.Select(s => s.Name).ToHashSet();
        foreach (var n in new[] { "client-closes-first", "server-closes-first", "simultaneous-open", "simultaneous-close", "half-close", "abort",
                     "closed-port", "old-duplicate-syn", "lost-final-ack", "peer-crash", "close-before-handshake" })
            Assert.Contains(n, names);
    }
}
