using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Engines;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests;

/// <summary>The give-up scenarios (RFC 9293 §3.8.3): hosts that really give up, and the properties that judge how.</summary>
public class GiveUpScenarioTests
{
    private static readonly string RealTable = File.ReadAllText(Repo.SpecFile);

    public static TheoryData<string> Scenarios => new() { "unreachable-peer", "unanswered-syn-ack", "path-down", "user-timeout" };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Give_up_scenario_holds_on_the_real_table_and_keeps_its_limits(string name)
    {
        var scenario = ScenarioCatalog.Find(name)!;
        Assert.Contains(scenario, ScenarioCatalog.All);
        var result = ModelChecker.Check(scenario);
        ModelChecker.AssertHolds(result);
        Assert.Equal(ScenarioCatalog.GiveUp.GiveUpLimits.R2, result.Model.Config.MaxRetransmissions); // not raised above the budgets
        Assert.Equal(ScenarioCatalog.GiveUp.GiveUpLimits.SynR2, result.Model.Config.SynMaxRetransmissions);
        Assert.Equal(ScenarioCatalog.GiveUp.GiveUpLimits.R1, result.Model.Config.R1Retransmissions);
        Assert.True(result.Stats.States < 1_000, $"{name} explored {result.Stats.States} states");
    }

    [Theory]
    [InlineData("unreachable-peer", "SYN-SENT", "RetriesExhausted")]
    [InlineData("unreachable-peer", "SYN-SENT", "ReachesR1")]
    [InlineData("unanswered-syn-ack", "SYN-RECEIVED", "RetriesExhausted & PassiveOpen")]
    [InlineData("unanswered-syn-ack", "SYN-RECEIVED", "ReachesR1")]
    [InlineData("path-down", "*", "RetriesExhausted")]
    [InlineData("path-down", "*", "ReachesR1")]
    public void Give_up_rows_fire(string name, string state, string guard)
    {
        var result = ModelChecker.Check(ScenarioCatalog.Find(name)!);
        int row = TcpMachine.Rows.Single(r => r.States == state && r.Events == "RETRANSMIT-TIMEOUT" && r.Guard == guard).Id;
        Assert.True(result.Coverage.Rows[row], $"{name} never fired {state} × RETRANSMIT-TIMEOUT [{guard}]");
    }

    [Fact]
    public void The_user_timeout_row_fires_before_R2()
    {
        var result = ModelChecker.Check(ScenarioCatalog.GiveUp.UserTimeout);
        int row = TcpMachine.Rows.Single(r => r.States == "*" && r.Events == "USER-TIMEOUT").Id;
        Assert.True(result.Coverage.Rows[row]);
        int r2 = TcpMachine.Rows.Single(r => r.States == "*" && r.Events == "RETRANSMIT-TIMEOUT" && r.Guard == "RetriesExhausted").Id;
        Assert.False(result.Coverage.Rows[r2], "R2 (15 s) came before the 4 s user timeout");
    }

    [Fact]
    public void Unreachable_host_receives_nothing_and_costs_no_loss_budget()
    {
        var model = new TwoHostModel(GeneratedEngine.Instance, ScenarioCatalog.GiveUp.UnreachablePeer, ScenarioCatalog.GiveUp.UnreachablePeer.Defaults);
        var stepper = new Stepper(model);
        var w = model.Initial;
        stepper.Apply(ref w, new Move(MoveKind.App, 0, 0)); // A's OPEN sends a SYN
        Assert.Single(stepper.Log.Sent);
        Assert.Equal(0, w.Net.Count);
        Assert.Equal(0, w.LossLeft);
    }

    /// <summary>Concrete mutants of the give-up rows (lines 284-297), each caught by the named property (run alone).</summary>
    [Theory]
    [InlineData("| SYN-SENT | RETRANSMIT-TIMEOUT | RetriesExhausted | SignalTimeout, DeleteTcb | CLOSED |", "| SYN-SENT | RETRANSMIT-TIMEOUT | RetriesExhausted | DeleteTcb | CLOSED |", "unreachable-peer", "gives-up-at-r2")]
    [InlineData("| SYN-SENT | RETRANSMIT-TIMEOUT | ReachesR1 | Retransmit, SignalDeliveryProblem | same |", "| SYN-SENT | RETRANSMIT-TIMEOUT | ReachesR1 | Retransmit | same |", "unreachable-peer", "reports-at-r1")]
    [InlineData("| SYN-RECEIVED | RETRANSMIT-TIMEOUT | RetriesExhausted & PassiveOpen | ReturnToListen | LISTEN |", "| SYN-RECEIVED | RETRANSMIT-TIMEOUT | RetriesExhausted & PassiveOpen | ReturnToListen | CLOSED |", "unanswered-syn-ack", "gives-up-at-r2")]
    [InlineData("| * | RETRANSMIT-TIMEOUT | RetriesExhausted | SignalTimeout, SendReset, DeleteTcb | CLOSED |", "| * | RETRANSMIT-TIMEOUT | RetriesExhausted | SignalTimeout, DeleteTcb | CLOSED |", "path-down", "give-up-resets")]
    [InlineData("| * | RETRANSMIT-TIMEOUT | ReachesR1 | Retransmit, SignalDeliveryProblem | same |", "| * | RETRANSMIT-TIMEOUT | ReachesR1 | Retransmit | same |", "path-down", "reports-at-r1")]
    [InlineData("| * | USER-TIMEOUT | — | SignalUserTimeout, DeleteTcb | CLOSED |", "| * | USER-TIMEOUT | — | DeleteTcb | CLOSED |", "user-timeout", "user-timeout-aborts")]
    public void Give_up_mutant_is_caught(string row, string mutant, string scenario, string property)
    {
        Assert.Contains(row, RealTable);
        var engine = InterpretedEngine.FromText("mutant.spec.md", RealTable.Replace(row, mutant), out var diagnostics);
        Assert.True(engine is not null, string.Join("; ", diagnostics));
        // Judged by the named property alone: the protocol properties may see some of these first.
        var result = ModelChecker.Check(ScenarioCatalog.Find(scenario)!, new CheckOptions { Engine = engine, Properties = [.. ScenarioCatalog.PropertiesOf(ScenarioCatalog.Find(scenario)!).Where(p => p.Name == property)] });
        Assert.True(result.Violations.Any(v => v.Property == property), $"caught by: {string.Join(", ", result.Violations.Select(v => v.Property + ": " + v.Message))}");
    }
}
