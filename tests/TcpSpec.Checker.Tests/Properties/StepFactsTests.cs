using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Engines;

namespace TcpSpec.Checker.Tests.Properties;

/// <summary>The facts the search judges properties by say what the move and the world after it are.</summary>
public class StepFactsTests
{
    /// <summary>Every move out of the first levels of icmp-errors (loss 1 too, so a loss empties the network): its facts, with the world after it.</summary>
    private static IEnumerable<(Move Move, World After, StepFacts Facts)> Moves()
    {
        var scenario = ScenarioCatalog.IcmpFamily.IcmpErrors;
        var model = new TwoHostModel(GeneratedEngine.Instance, scenario, scenario.Defaults with { Loss = 1 });
        var stepper = new Stepper(model);
        var level = new List<World> { model.Initial };
        var moves = new Move[Stepper.MaxMoves];
        for (int depth = 0; depth < 8; depth++)
        {
            var next = new List<World>();
            foreach (var w in level)
            {
                int n = stepper.Enumerate(w, moves);
                for (int m = 0; m < n; m++)
                {
                    var after = w;
                    stepper.Apply(ref after, moves[m]);
                    yield return (moves[m], after, Facts.Of(w, moves[m], after, stepper.Log));
                    if (next.Count < 2000) next.Add(after);
                }
            }
            level = next;
        }
    }

    [Fact]
    public void An_icmp_error_and_only_it_has_the_IcmpError_fact()
    {
        int icmp = 0;
        foreach (var (move, _, facts) in Moves())
        {
            Assert.Equal(move.Kind == MoveKind.Icmp, (facts & StepFacts.IcmpError) != 0);
            if (move.Kind == MoveKind.Icmp) icmp++;
        }
        Assert.True(icmp > 0, "the walk must meet ICMP moves");
    }

    [Fact]
    public void A_move_is_quiet_exactly_when_nothing_is_in_flight_after_it()
    {
        int quietWithoutStep = 0;
        foreach (var (move, after, facts) in Moves())
        {
            Assert.Equal(after.Net.Count == 0, (facts & StepFacts.Quiet) != 0);
            if ((facts & StepFacts.Quiet) != 0 && (facts & StepFacts.EngineStep) == 0) quietWithoutStep++;
        }
        // A loss or an ICMP error of the last segment in flight makes the network quiet without an engine step of the receiver: why seq-sync-when-quiet needs this fact.
        Assert.True(quietWithoutStep > 0, "the walk must meet a move that empties the network");
    }
}
