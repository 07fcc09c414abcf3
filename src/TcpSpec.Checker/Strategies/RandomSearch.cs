using System.Diagnostics;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Properties;

namespace TcpSpec.Checker.Strategies;

/// <summary>How a randomized run picks its next move.</summary>
public enum RandomKind
{
    /// <summary>Uniformly among the enabled moves.</summary>
    Walk,
    /// <summary>
    /// PCT (probabilistic concurrency testing, as in Coyote's prioritized scheduler): every
    /// source of moves — each host's application and timers, each direction of the network,
    /// the fault injector — gets a random priority; the highest-priority enabled source moves;
    /// at <see cref="RandomOptions.Depth"/> random steps the running source drops to the lowest
    /// priority. Finds bugs that need a few specific orderings with good probability.
    /// </summary>
    Pct,
}

public sealed record RandomOptions
{
    public RandomKind Kind { get; init; } = RandomKind.Walk;
    public int Seed { get; init; }
    public int Iterations { get; init; } = 1000;
    public int MaxSteps { get; init; } = 200;
    /// <summary>PCT's number of priority change points.</summary>
    public int Depth { get; init; } = 3;
    /// <summary>Stop cleanly after the run in progress, with the partial results, when cancelled (Ctrl-C).</summary>
    public CancellationToken Cancel { get; init; }
    /// <summary>Called about once per <see cref="ProgressInterval"/> between runs (distinct states so far, moves, elapsed time).</summary>
    public Action<SearchProgress>? OnProgress { get; init; }
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Randomized exploration for configurations too large to exhaust: many runs from the initial
/// world, each a sequence of moves drawn from a generator seeded by (seed, iteration), so any
/// run is reproduced from its seed — and, when it fails, from its replay file. Safety
/// properties are checked at every step and ending properties at every ending. A run cut off at
/// --max-steps is not judged: liveness needs the exhaustive search's graph.
/// </summary>
public sealed class RandomSearch(RandomOptions options) : IStrategy
{
    private readonly RandomOptions _options = options;

    public CheckResult Run(TwoHostModel model, IReadOnlyList<IProperty> properties)
    {
        var clock = Stopwatch.StartNew();
        var stepper = new Stepper(model);
        var coverage = Coverage.Of(model);
        foreach (var step in model.SetupSteps) coverage.Record(step);
        var seen = new HashSet<ulong>();
        long steps = 0, endings = 0;
        int maxDepth = 0;
        Violation? found = null;
        int iteration = 0;
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        bool interrupted = false;
        var nextProgress = _options.ProgressInterval;

        for (; iteration < _options.Iterations && found is null; iteration++)
        {
            if (_options.Cancel.IsCancellationRequested)
            {
                interrupted = true;
                break;
            }
            if (_options.OnProgress is not null && clock.Elapsed >= nextProgress)
            {
                nextProgress = clock.Elapsed + _options.ProgressInterval;
                _options.OnProgress(new SearchProgress(seen.Count, steps, 0, maxDepth, Environment.WorkingSet, clock.Elapsed.TotalSeconds));
            }
            var rng = new Random(HashCode32(_options.Seed, iteration));
            var priorities = new Dictionary<int, double>();
            var changePoints = new HashSet<int>();
            if (_options.Kind == RandomKind.Pct)
            {
                for (int d = 0; d < _options.Depth; d++) changePoints.Add(rng.Next(1, Math.Max(2, _options.MaxSteps)));
            }
            var w = model.Initial;
            seen.Add(w.Hash64());
            var path = new List<Move>();
            for (int step = 0; step < _options.MaxSteps; step++)
            {
                int n = stepper.OutOfBounds(w) ? 0 : stepper.Enumerate(w, moves);
                if (n == 0)
                {
                    endings++;
                    if (!stepper.OutOfBounds(w))
                    {
                        foreach (var p in properties)
                        {
                            var message = p.CheckEnding(model, w);
                            if (message is null) continue;
                            found = new Violation(p.Name, message, path.ToList());
                            break;
                        }
                    }
                    break;
                }
                int pick = _options.Kind == RandomKind.Pct ? PickPct(moves[..n], priorities, rng, changePoints.Contains(step)) : rng.Next(n);
                var before = w;
                var m = moves[pick];
                try
                {
                    stepper.Apply(ref w, m);
                }
                catch (Exception ex)
                {
                    throw EngineCrashedException.Of(model, path, Replay.Describe(model, before, m), ex);
                }
                path.Add(m);
                steps++;
                seen.Add(w.Hash64());
                foreach (var s in stepper.Log.Steps) coverage.Record(s);
                foreach (var p in properties)
                {
                    var message = p.CheckStep(model, before, m, w, stepper.Log);
                    if (message is null) continue;
                    found = new Violation(p.Name, message, path.ToList());
                    break;
                }
                if (found is not null) break;
                maxDepth = Math.Max(maxDepth, path.Count);
            }
        }

        clock.Stop();
        var stats = new CheckStats
        {
            States = seen.Count,
            Transitions = steps,
            MaxDepth = maxDepth,
            Endings = endings,
            Seconds = clock.Elapsed.TotalSeconds,
            PeakMemoryBytes = Process.GetCurrentProcess().PeakWorkingSet64,
            Workers = 1,
            Iterations = iteration,
            Truncated = interrupted,
            StoppedBy = interrupted ? "interrupted" : null,
        };
        string name = _options.Kind == RandomKind.Pct ? $"pct(seed={_options.Seed}, depth={_options.Depth})" : $"random(seed={_options.Seed})";
        return new CheckResult(model, properties, name, stats, found is null ? Array.Empty<Violation>() : new[] { found }, coverage);
    }

    /// <summary>The source a move comes from: a host's application or timers, a direction of the network, or the fault injector.</summary>
    private static int Source(Move m) => m.Kind switch
    {
        MoveKind.App or MoveKind.Call => 0 + m.Host, // a stray call is the application's too
        MoveKind.Timer => 2 + m.Host,
        MoveKind.Deliver => 4 + m.Host,
        _ => 6,
    };

    private static int PickPct(Span<Move> moves, Dictionary<int, double> priorities, Random rng, bool changePoint)
    {
        int best = 0;
        double bestPriority = double.MinValue;
        for (int i = 0; i < moves.Length; i++)
        {
            int src = Source(moves[i]);
            if (!priorities.TryGetValue(src, out var p))
            {
                p = src == 6 ? rng.NextDouble() * 0.5 : rng.NextDouble(); // faults start below the others on average
                priorities[src] = p;
            }
            if (p > bestPriority)
            {
                bestPriority = p;
                best = i;
            }
        }
        if (changePoint) priorities[Source(moves[best])] = -1 - rng.NextDouble();
        // Within a source, pick uniformly (which segment of a direction, which timer).
        int src0 = Source(moves[best]);
        int count = 0;
        for (int i = 0; i < moves.Length; i++) if (Source(moves[i]) == src0) count++;
        int k = rng.Next(count);
        for (int i = 0; i < moves.Length; i++)
        {
            if (Source(moves[i]) != src0) continue;
            if (k-- == 0) return i;
        }
        return best;
    }

    private static int HashCode32(int seed, int iteration) => (int)Endpoint.Mix(((ulong)(uint)seed << 32) | (uint)iteration);
}
