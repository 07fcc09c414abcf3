using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Engines;

namespace TcpSpec.Checker.Tests;

/// <summary>ICMP errors from a dead path (Scenario.Unreachable with --icmp): the give-up scenarios.</summary>
public class IcmpDeadPathTests
{
    [Fact]
    public void A_segment_on_a_dead_path_travels_on_while_errors_are_left_and_is_answered_or_lost_never_delivered()
    {
        var scenario = ScenarioCatalog.GiveUp.PathDown;
        var stepper = new Stepper(new TwoHostModel(GeneratedEngine.Instance, scenario, scenario.Defaults with { Icmp = 1 }));
        var w = stepper.Model.Initial;
        stepper.Apply(ref w, new Move(MoveKind.App, 0, 0)); // A sends its octet
        Assert.Equal(1, w.Net.Count);
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        var enabled = moves[..stepper.Enumerate(w, moves)].ToArray();
        Assert.DoesNotContain(enabled, m => m.Kind == MoveKind.Deliver);
        Assert.Contains(enabled, m => m.Kind == MoveKind.Lose);
        Assert.Equal(2, enabled.Count(m => m.Kind == MoveKind.Icmp));

        // The dead path loses it without spending the loss budget; once the errors are spent, segments to B are lost at once as before.
        var lost = w;
        stepper.Apply(ref lost, enabled.First(m => m.Kind == MoveKind.Lose));
        Assert.Equal(0, lost.Net.Count);
        Assert.Equal(w.LossLeft, lost.LossLeft);
        var answered = w;
        stepper.Apply(ref answered, enabled.First(m => m.Kind == MoveKind.Icmp && Stepper.IcmpKind(m) == IcmpClass.Soft));
        Assert.Equal(0, answered.Net.Count);
        Assert.Equal(TcpState.Established, answered.A.Ep.State);
        Assert.Contains(stepper.Log.Notices, n => n.Host == 0 && n.Notice.Kind == NoticeKind.SoftError);
        stepper.Apply(ref answered, new Move(MoveKind.App, 1, 0)); // B sends: no error is left
        Assert.Equal(0, answered.Net.Count);
    }

    [Fact]
    public void Path_down_has_one_error_by_default_and_still_gives_up_at_r2_after_a_soft_error()
    {
        var scenario = ScenarioCatalog.GiveUp.PathDown;
        Assert.Equal(1, scenario.Defaults.Icmp);
        var result = ModelChecker.Check(scenario, new CheckOptions());
        Assert.True(result.Holds, string.Join("; ", result.Violations.Select(v => $"{v.Property}: {v.Message}")));
        var soft = GeneratedEngine.Instance.Rows.Single(r => r.Description.StartsWith("* × ICMP-SOFT /"));
        Assert.True(result.Coverage.Rows[soft.Id]);
    }

    [Theory]
    [InlineData("unreachable-peer")]
    [InlineData("unanswered-syn-ack")]
    [InlineData("simultaneous-open-one-way")]
    [InlineData("user-timeout")]
    public void The_other_give_up_scenarios_hold_with_an_icmp_error(string name)
    {
        // A hard error about the SYN ends the attempt with "unreachable" before R2: the host gave up and told its user.
        var scenario = ScenarioCatalog.Find(name)!;
        var result = ModelChecker.Check(scenario, new CheckOptions { Budgets = scenario.Defaults with { Icmp = 1 } });
        Assert.True(result.Holds, string.Join("; ", result.Violations.Select(v => $"{v.Property}: {v.Message}")));
    }
}
