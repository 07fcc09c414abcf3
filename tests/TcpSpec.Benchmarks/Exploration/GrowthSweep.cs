using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;

namespace TcpSpec.Benchmarks.Exploration;

/// <summary>One budget dimension of the sweep: its name, the values tried and how a value changes the scenario's defaults.</summary>
internal sealed record GrowthDimension(string Name, string Description, int[] Values, Func<Budgets, int, Budgets> Apply);

/// <summary>One point of the sweep.</summary>
internal sealed record GrowthPoint(string Dimension, int Value, ExplorationSample Sample);

/// <summary>
/// How the state space and the time grow with the budgets: each dimension varied alone from the
/// scenario's defaults, every point explored exhaustively with 2 workers (best time of a few runs).
/// </summary>
internal static class GrowthSweep
{
    public static readonly Scenario[] Scenarios = [ScenarioCatalog.ClientClosesFirst, ScenarioCatalog.HalfClose];

    public static readonly GrowthDimension[] Dimensions =
    [
        new("loss", "segments lost (--loss)", [0, 1, 2, 3], (b, v) => b with { Loss = v }),
        new("data", "octets each sender sends (--data)", [1, 2, 3, 4], (b, v) => b with { Data = v }),
        new("in-flight", "bound (--max-in-flight)", [3, 4, 5, 6, 7], (b, v) => b with { MaxInFlight = v }),
    ];

    public static List<(Scenario Scenario, List<GrowthPoint> Points)> Run(int workers, int repeat, bool small, Action<string>? log = null)
    {
        var all = new List<(Scenario, List<GrowthPoint>)>();
        foreach (var scenario in small ? Scenarios.Take(1) : Scenarios)
        {
            var points = new List<GrowthPoint>();
            foreach (var dim in Dimensions)
            {
                foreach (int v in small ? dim.Values.Take(2) : dim.Values)
                {
                    var budgets = dim.Apply(scenario.Defaults, v);
                    var best = Enumerable.Range(0, repeat).Select(_ => ExplorationMeasure.Run(scenario, budgets, workers)).MinBy(m => m.Seconds)!;
                    points.Add(new GrowthPoint(dim.Name, v, best));
                    log?.Invoke($"  growth {scenario.Name} {dim.Name}={v}: {best.States:N0} states in {best.Seconds:F3}s ({best.StatesPerSecond:N0}/s){(best.Violated is null ? "" : ", " + best.Violated + " violated")}");
                }
            }
            all.Add((scenario, points));
        }
        return all;
    }
}
