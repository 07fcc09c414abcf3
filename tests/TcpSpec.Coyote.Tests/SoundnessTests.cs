using TcpSpec.Checker;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Engines;
using Xunit.Abstractions;

namespace TcpSpec.Coyote.Tests;

/// <summary>
/// Soundness: every world and every endpoint pair Coyote's actors reach is in the exhaustive
/// search's reachable set. A miss would mean the actor system and the checker's model differ.
/// </summary>
public class SoundnessTests(ITestOutputHelper output)
{
    public static TheoryData<string> Scenarios() => new(ScenarioCatalog.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_world_coyote_visits_is_reachable_in_the_exhaustive_search(string name)
    {
        var scenario = ScenarioCatalog.Find(name)!;
        var spec = new TwoHostModel(GeneratedEngine.Instance, scenario, SoundnessBudgets(scenario));
        var reachable = Reachable.Of(spec);
        // The set is the exhaustive search's: the same worlds, as many as it counts.
        var exhaustive = new ExhaustiveSearch(new ExhaustiveOptions { Liveness = false, Workers = 1 }).Run(spec, ScenarioCatalog.PropertiesOf(spec.Scenario));
        Assert.Equal(exhaustive.Stats.States, reachable.Worlds.Count);

        var run = CoyoteExplorer.Run(spec, new CoyoteOptions { Strategy = CoyoteStrategy.Pct, Seed = 3, Iterations = 40 });
        Assert.True(run.Result.Holds);
        var strayWorlds = run.Record.Worlds.Count(w => !reachable.Worlds.Contains(w));
        var strayPairs = run.Record.EndpointPairs.Count(p => !reachable.Pairs.Contains(p));
        output.WriteLine($"{name}: Coyote visited {run.Record.Worlds.Count:N0} of {reachable.Worlds.Count:N0} worlds and {run.Record.EndpointPairs.Count:N0} of {reachable.Pairs.Count:N0} endpoint pairs");
        Assert.Equal(0, strayWorlds);
        Assert.Equal(0, strayPairs);
    }

    /// <summary>The scenario's defaults, but abort with one duplicate instead of two: its ~1 million worlds take a minute to enumerate here, 40 thousand a second.</summary>
    private static Budgets SoundnessBudgets(Scenario s) => s == ScenarioCatalog.Abort ? s.Defaults with { Dup = 1 } : s.Defaults;

    [Fact]
    public void A_world_outside_the_reachable_set_is_noticed()
    {
        // The check can fail: a different model (one more loss allowed) reaches worlds the default one does not.
        var scenario = ScenarioCatalog.LostFinalAck;
        var reachable = Reachable.Of(new TwoHostModel(GeneratedEngine.Instance, scenario, scenario.Defaults));
        var wider = new TwoHostModel(GeneratedEngine.Instance, scenario, scenario.Defaults with { Loss = scenario.Defaults.Loss + 1 });
        var run = CoyoteExplorer.Run(wider, new CoyoteOptions { Strategy = CoyoteStrategy.Random, Seed = 1, Iterations = 40 });
        Assert.Contains(run.Record.Worlds, w => !reachable.Worlds.Contains(w));
    }
}

/// <summary>Every world the checker's move relation reaches from the initial world (breadth first; worlds beyond the in-flight bound counted, not expanded, as the exhaustive search does).</summary>
internal sealed record Reachable(HashSet<ulong> Worlds, HashSet<(ulong A, ulong B)> Pairs)
{
    public static Reachable Of(TwoHostModel spec)
    {
        var stepper = new Stepper(spec);
        var result = new Reachable(new HashSet<ulong>(), new HashSet<(ulong, ulong)>());
        var queue = new Queue<World>();
        Add(spec.Initial);
        var moves = new Move[Stepper.MaxMoves];
        while (queue.TryDequeue(out var w))
        {
            if (stepper.OutOfBounds(w)) continue;
            int n = stepper.Enumerate(w, moves);
            for (int i = 0; i < n; i++)
            {
                var next = w;
                stepper.Apply(ref next, moves[i]);
                Add(next);
            }
        }
        return result;

        void Add(in World w)
        {
            if (!result.Worlds.Add(w.Hash64())) return;
            result.Pairs.Add((w.A.Ep.Hash64(), w.B.Ep.Hash64()));
            queue.Enqueue(w);
        }
    }
}
