using System.Diagnostics;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Engines;

namespace TcpSpec.Benchmarks.Docs;

/// <summary>
/// <c>-- parts</c>: what one transition of the exhaustive search costs, part by part, on 200,000
/// worlds of the abort scenario (random walks): applying moves, the property checks, the
/// fingerprint, a fingerprint lookup in a million-entry table, storing a world. The measurements
/// behind the checker's optimisation (no profiler needed).
/// </summary>
internal static class PartsCommand
{
    public static int Run()
    {
        var spec = new TwoHostModel(GeneratedEngine.Instance, ScenarioCatalog.Abort, ScenarioCatalog.Abort.Defaults);
        var props = ScenarioCatalog.PropertiesOf(spec.Scenario);
        var stepper = new Stepper(spec);
        var worlds = RandomWalkWorlds.Collect(spec, 200_000, 24);
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        Console.WriteLine($"World {System.Runtime.CompilerServices.Unsafe.SizeOf<World>()} bytes (HostState {System.Runtime.CompilerServices.Unsafe.SizeOf<HostState>()}, Network {System.Runtime.CompilerServices.Unsafe.SizeOf<Network>()}, Flight {System.Runtime.CompilerServices.Unsafe.SizeOf<Flight>()})");
        var keys = new ulong[1_000_000];
        var dict = new Dictionary<ulong, int>();
        var table = new FingerprintTable();
        var r2 = new Random(2);
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = (ulong)r2.NextInt64();
            dict[keys[i]] = i;
            table.GetOrAdd(keys[i], i, out _);
        }
        ulong sink = 0;
        for (int round = 1; round <= 2; round++)
        {
            long transitions = 0;
            var sw = Stopwatch.StartNew();
            foreach (var w in worlds)
            {
                int n = stepper.Enumerate(w, moves);
                for (int m = 0; m < n; m++)
                {
                    var next = w;
                    stepper.Apply(ref next, moves[m]);
                    transitions++;
                    sink += next.LossLeft;
                }
            }
            double apply = sw.Elapsed.TotalNanoseconds / transitions;
            sw.Restart();
            foreach (var w in worlds)
            {
                int n = stepper.Enumerate(w, moves);
                for (int m = 0; m < n; m++)
                {
                    var next = w;
                    stepper.Apply(ref next, moves[m]);
                    foreach (var p in props) if (p.CheckStep(spec, w, moves[m], next, stepper.Log) is not null) sink++;
                }
            }
            double properties = sw.Elapsed.TotalNanoseconds / transitions - apply;
            sw.Restart();
            foreach (var w in worlds) sink += w.Hash64();
            double hash = sw.Elapsed.TotalNanoseconds / worlds.Count;
            sw.Restart();
            for (int i = 0; i < 4_000_000; i++) sink += dict.ContainsKey(keys[(int)((uint)(i * 2654435761u) % keys.Length)] ^ (ulong)(i & 1)) ? 1UL : 0;
            double dictionary = sw.Elapsed.TotalNanoseconds / 4e6;
            sw.Restart();
            for (int i = 0; i < 4_000_000; i++) sink += table.TryGet(keys[(int)((uint)(i * 2654435761u) % keys.Length)] ^ (ulong)(i & 1), out _) ? 1UL : 0;
            double open = sw.Elapsed.TotalNanoseconds / 4e6;
            sw.Restart();
            var list = new List<World>();
            foreach (var w in worlds) list.Add(w);
            double listAdd = sw.Elapsed.TotalNanoseconds / worlds.Count;
            list = null;
            Console.WriteLine($"round {round}, per transition ({transitions:N0} from {worlds.Count:N0} worlds): enumerate + copy + apply {apply:F0} ns, properties {properties:F0} ns, " +
                              $"World.Hash64 {hash:F0} ns; lookup in 1M fingerprints (half hits): Dictionary<ulong,int> {dictionary:F0} ns, FingerprintTable {open:F0} ns; List<World>.Add {listAdd:F0} ns");
        }
        return sink == 42 ? 1 : 0;
    }
}
