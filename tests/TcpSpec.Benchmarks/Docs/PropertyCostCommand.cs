using System.Diagnostics;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Engines;

namespace TcpSpec.Benchmarks.Docs;

/// <summary>
/// <c>-- property-costs</c>: what each property's <c>CheckStep</c> costs per transition, on the
/// transitions out of 100,000 worlds of client-closes-first (loss 3, dup 2, data 3; random
/// walks): the properties are timed one at a time over the same applied moves, each called only
/// on the moves its <see cref="Checker.Properties.IProperty.Interest"/> meets (as the search does;
/// the facts, computed once per move, are part of the baseline), most costly first.
/// </summary>
internal static class PropertyCostCommand
{
    public static int Run()
    {
        var scenario = ScenarioCatalog.ClientClosesFirst;
        var spec = new TwoHostModel(GeneratedEngine.Instance, scenario, scenario.Defaults with { Loss = 3, Dup = 2, Data = 3 });
        var props = ScenarioCatalog.PropertiesOf(scenario);
        var stepper = new Stepper(spec);
        var worlds = RandomWalkWorlds.Collect(spec, 100_000, 30);
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        long sink = 0;
        var cost = new double[props.Count];
        var calls = new long[props.Count];
        double baseline = 0;
        long transitions = 0;
        for (int round = 0; round < 3; round++)
        {
            for (int p = -1; p < props.Count; p++)
            {
                transitions = 0;
                var sw = Stopwatch.StartNew();
                foreach (var w in worlds)
                {
                    int n = stepper.Enumerate(w, moves);
                    for (int m = 0; m < n; m++)
                    {
                        var next = w;
                        stepper.Apply(ref next, moves[m]);
                        transitions++;
                        // As the search does: the move's facts once, then the property only if its interest meets them.
                        var facts = Facts.Of(w, moves[m], next, stepper.Log);
                        if (p < 0 || (props[p].Interest & facts) == 0) continue;
                        calls[p]++;
                        if (props[p].CheckStep(spec, w, moves[m], next, stepper.Log) is not null) sink++;
                    }
                }
                double ns = sw.Elapsed.TotalNanoseconds / transitions;
                if (round == 0) continue; // warm-up
                if (p < 0) baseline = ns;
                else cost[p] += Math.Max(0, ns - baseline) / 2;
            }
        }
        Console.WriteLine($"{transitions:N0} transitions from {worlds.Count:N0} worlds; enumerate + copy + apply + facts {baseline:F0} ns each; CheckStep cost per transition:");
        foreach (int p in Enumerable.Range(0, props.Count).OrderByDescending(p => cost[p]))
            Console.WriteLine($"  {props[p].Name,-32} {cost[p],6:F1} ns   judged on {100.0 * calls[p] / 3 / transitions,5:F1} % of the moves ({props[p].Interest})");
        Console.WriteLine($"  {"total",-32} {cost.Sum(),6:F1} ns");
        return sink == -1 ? 1 : 0;
    }
}
