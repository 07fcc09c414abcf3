using System.Diagnostics;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Properties;

namespace TcpSpec.Checker.Strategies;

/// <summary>Options of the exhaustive search.</summary>
public sealed record ExhaustiveOptions
{
    /// <summary>Worker threads expanding a level in parallel; the result does not depend on it.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Stop cleanly, with partial results, after this many distinct states.</summary>
    public long MaxStates { get; init; } = 20_000_000;

    /// <summary>Explore no deeper than this many moves (the run is then reported as truncated).</summary>
    public int MaxDepth { get; init; } = int.MaxValue;

    /// <summary>Check that a good ending stays reachable from every state (no livelock); needs the transition graph in memory.</summary>
    public bool Liveness { get; init; } = true;

    /// <summary>Called after each level with (states, frontier, transitions, seconds).</summary>
    public Action<long, long, long, double>? Progress { get; init; }
}

/// <summary>
/// Breadth-first search over every world the model can reach, as TLC does: each distinct world
/// is expanded once (worlds are remembered by their 64-bit fingerprint — hash compaction), so
/// the first violation found is at the least depth and its counterexample is a shortest one.
/// Each level is expanded in parallel and merged in a fixed order, so the states, counts and
/// counterexamples are the same with any number of workers. After the search, the transition
/// graph is walked backwards from the good endings: a world from which none is reachable is a
/// livelock (reported as a lasso: a path to it and a cycle it cannot leave) or a deadlock.
/// </summary>
public sealed class ExhaustiveSearch
{
    private const int ChunkSize = 512;

    private readonly ModelSpec _spec;
    private readonly ExhaustiveOptions _options;
    private readonly IReadOnlyList<IProperty> _properties;

    public ExhaustiveSearch(ModelSpec spec, ExhaustiveOptions? options = null)
    {
        _spec = spec;
        _options = options ?? new ExhaustiveOptions();
        _properties = spec.Properties.Concat(spec.Scenario.ExtraProperties).ToList();
    }

    private readonly record struct Successor(int Parent, ushort Move, ulong Hash, int World, short Property, string? Message);

    private sealed class ChunkResult
    {
        public readonly List<Successor> Successors = new();
        public readonly List<World> Worlds = new();
        public readonly List<(int Parent, short Property, string Message)> BadEndings = new();
        public readonly List<int> Endings = new();
        public Coverage Coverage = null!;
    }

    public CheckResult Run()
    {
        var clock = Stopwatch.StartNew();
        var stepperForCounts = new Stepper(_spec);
        var coverage = NewCoverage();
        foreach (var step in _spec.SetupSteps) coverage.Record(step);

        var index = new Dictionary<ulong, int>();
        var parent = new List<int>();
        var move = new List<ushort>();
        var kind = new List<byte>(); // 0 expanded, 1 ending, 2 bounded
        var succStart = new List<int>();
        var succ = new List<int>();

        var initial = _spec.Initial;
        index[initial.Hash64()] = 0;
        parent.Add(-1);
        move.Add(0);
        kind.Add(0);

        var frontier = new List<World> { initial };
        var frontierIds = new List<int> { 0 };
        var violations = new Dictionary<string, Violation>();
        long transitions = 0, endings = 0, bounded = 0;
        int depth = 0;
        bool truncated = false;
        long peak = 0;

        if (stepperForCounts.OutOfBounds(initial)) throw new InvalidOperationException("the initial world is already beyond the in-flight bound");

        while (frontier.Count > 0)
        {
            int chunks = (frontier.Count + ChunkSize - 1) / ChunkSize;
            var results = new ChunkResult[chunks];
            var po = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Workers) };
            var frozenFrontier = frontier;
            Parallel.For(0, chunks, po, () => new Stepper(_spec), (c, _, stepper) =>
            {
                results[c] = Expand(stepper, frozenFrontier, c * ChunkSize, Math.Min(frozenFrontier.Count, (c + 1) * ChunkSize), index);
                return stepper;
            }, _ => { });

            // Merge in frontier order: the outcome is independent of scheduling.
            var next = new List<World>();
            var nextIds = new List<int>();
            bool stop = false;
            foreach (var r in results)
            {
                coverage.Merge(r.Coverage);
                foreach (var e in r.Endings)
                {
                    kind[frontierIds[e]] = 1;
                    endings++;
                }
                foreach (var (p, prop, message) in r.BadEndings)
                {
                    string name = _properties[prop].Name;
                    if (!violations.ContainsKey(name)) violations[name] = new Violation(name, message, PathTo(frontierIds[p], parent, move));
                    stop = true;
                }
                int current = -1;
                foreach (var s in r.Successors)
                {
                    int from = frontierIds[s.Parent];
                    if (from != current)
                    {
                        while (succStart.Count <= from) succStart.Add(succ.Count);
                        current = from;
                    }
                    transitions++;
                    if (!index.TryGetValue(s.Hash, out int id))
                    {
                        id = parent.Count;
                        index[s.Hash] = id;
                        parent.Add(from);
                        move.Add(s.Move);
                        var w = r.Worlds[s.World];
                        if (stepperForCounts.OutOfBounds(w))
                        {
                            kind.Add(2);
                            bounded++;
                        }
                        else
                        {
                            kind.Add(0);
                            next.Add(w);
                            nextIds.Add(id);
                        }
                    }
                    succ.Add(id);
                    if (s.Property >= 0)
                    {
                        string name = _properties[s.Property].Name;
                        if (!violations.ContainsKey(name))
                        {
                            var path = PathTo(from, parent, move).ToList();
                            path.Add(MoveAt(path, s.Move));
                            violations[name] = new Violation(name, s.Message!, path);
                        }
                        stop = true;
                    }
                }
            }

            peak = Math.Max(peak, GC.GetTotalMemory(false));
            _options.Progress?.Invoke(parent.Count, next.Count, transitions, clock.Elapsed.TotalSeconds);
            if (stop) break;
            frontier = next;
            frontierIds = nextIds;
            if (frontier.Count > 0) depth++;
            if ((parent.Count >= _options.MaxStates || depth >= _options.MaxDepth) && frontier.Count > 0)
            {
                truncated = true;
                break;
            }
        }
        while (succStart.Count <= parent.Count) succStart.Add(succ.Count);

        if (violations.Count == 0 && !truncated && _options.Liveness)
        {
            var lasso = FindLivelock(parent, move, kind, succStart, succ);
            if (lasso is not null) violations[lasso.Property] = lasso;
        }

        clock.Stop();
        var stats = new CheckStats
        {
            States = parent.Count,
            Transitions = transitions,
            MaxDepth = depth,
            Endings = endings,
            Bounded = bounded,
            Seconds = clock.Elapsed.TotalSeconds,
            PeakMemoryBytes = Math.Max(peak, Process.GetCurrentProcess().PeakWorkingSet64),
            Workers = Math.Max(1, _options.Workers),
            Truncated = truncated,
        };
        var ordered = _properties.Where(p => violations.ContainsKey(p.Name)).Select(p => violations[p.Name])
            .Concat(violations.Values.Where(v => _properties.All(p => p.Name != v.Property))).ToList();
        return new CheckResult(_spec.Scenario, _spec.Budgets, "exhaustive", stats, ordered, coverage);
    }

    private Coverage NewCoverage() => new(_spec.Engine.Rows.Count, _spec.Engine.StateNames.Count, TcpMachine.EventNames.Count);

    private ChunkResult Expand(Stepper stepper, List<World> frontier, int from, int to, Dictionary<ulong, int> index)
    {
        var r = new ChunkResult { Coverage = NewCoverage() };
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        for (int i = from; i < to; i++)
        {
            var world = frontier[i];
            int n = stepper.Enumerate(world, moves);
            if (n == 0)
            {
                r.Endings.Add(i);
                for (short p = 0; p < _properties.Count; p++)
                {
                    var message = _properties[p].CheckEnding(_spec, world);
                    if (message is not null)
                    {
                        r.BadEndings.Add((i, p, message));
                        break;
                    }
                }
                continue;
            }
            for (int m = 0; m < n; m++)
            {
                var next = world;
                stepper.Apply(ref next, moves[m]);
                foreach (var step in stepper.Log.Steps) r.Coverage.Record(step);
                short violated = -1;
                string? message = null;
                for (short p = 0; p < _properties.Count && message is null; p++)
                {
                    message = _properties[p].CheckStep(_spec, world, moves[m], next, stepper.Log);
                    if (message is not null) violated = p;
                }
                ulong h = next.Hash64();
                int slot = -1;
                if (!index.ContainsKey(h))
                {
                    slot = r.Worlds.Count;
                    r.Worlds.Add(next);
                }
                r.Successors.Add(new Successor(i, (ushort)m, h, slot, violated, message));
            }
        }
        return r;
    }

    /// <summary>The moves from the initial world to state <paramref name="id"/>, found by replaying the stored move ordinals.</summary>
    private List<Move> PathTo(int id, List<int> parent, List<ushort> move)
    {
        var ordinals = new List<ushort>();
        for (int s = id; parent[s] >= 0; s = parent[s]) ordinals.Add(move[s]);
        ordinals.Reverse();
        return Replay.MovesFromOrdinals(_spec, ordinals);
    }

    private Move MoveAt(List<Move> path, ushort ordinal)
    {
        var stepper = new Stepper(_spec);
        var w = _spec.Initial;
        foreach (var m in path) stepper.Apply(ref w, m);
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        stepper.Enumerate(w, moves);
        return moves[ordinal];
    }

    /// <summary>
    /// Walks the transition graph backwards from the good endings (and the bounded worlds, whose
    /// futures are unknown); the first world in breadth-first order that cannot reach one is a
    /// livelock, shown as the shortest path to it and a cycle it cannot leave.
    /// </summary>
    private Violation? FindLivelock(List<int> parent, List<ushort> move, List<byte> kind, List<int> succStart, List<int> succ)
    {
        int n = parent.Count;
        var reverseCount = new int[n + 1];
        foreach (var t in succ) reverseCount[t + 1]++;
        for (int i = 0; i < n; i++) reverseCount[i + 1] += reverseCount[i];
        var reverse = new int[succ.Count];
        var fill = (int[])reverseCount.Clone();
        for (int s = 0; s < n; s++)
        {
            for (int e = succStart[s]; e < succStart[s + 1]; e++) reverse[fill[succ[e]]++] = s;
        }

        var good = new bool[n];
        var queue = new Queue<int>();
        for (int s = 0; s < n; s++)
        {
            if (kind[s] == 1 || kind[s] == 2)
            {
                good[s] = true;
                queue.Enqueue(s);
            }
        }
        while (queue.Count > 0)
        {
            int t = queue.Dequeue();
            for (int e = reverseCount[t]; e < reverseCount[t + 1]; e++)
            {
                int s = reverse[e];
                if (!good[s])
                {
                    good[s] = true;
                    queue.Enqueue(s);
                }
            }
        }

        int bad = Array.IndexOf(good, false);
        if (bad < 0) return null;

        // A cycle among the bad states reachable from `bad` (all its successors are bad too).
        var seenAt = new Dictionary<int, int>();
        var walk = new List<int>();
        int cur = bad;
        while (!seenAt.ContainsKey(cur))
        {
            seenAt[cur] = walk.Count;
            walk.Add(cur);
            int first = succStart[cur];
            cur = succ[first]; // every bad state has a successor: endings are good or were reported
        }
        int loopAt = seenAt[cur];

        var prefix = PathTo(bad, parent, move);
        var stepper = new Stepper(_spec);
        var w = _spec.Initial;
        foreach (var m in prefix) stepper.Apply(ref w, m);
        var path = new List<Move>(prefix);
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        for (int i = 0; i < walk.Count; i++)
        {
            int target = i + 1 < walk.Count ? walk[i + 1] : cur;
            int count = stepper.Enumerate(w, moves);
            // The first move, in enumeration order, whose successor is the target.
            for (int m = 0; m < count; m++)
            {
                var trial = w;
                stepper.Apply(ref trial, moves[m]);
                if (trial.Hash64() == HashOf(target, parent, move))
                {
                    path.Add(moves[m]);
                    w = trial;
                    break;
                }
            }
        }
        var world = w;
        string where = $"{_spec.Scenario.HostNames[0]} in {_spec.States.Name(world.A.Ep.State)}, {_spec.Scenario.HostNames[1]} in {_spec.States.Name(world.B.Ep.State)}";
        return new Violation("no-livelock",
            $"livelock: from here no run reaches a good ending ({where}); the moves from step {prefix.Count + loopAt + 1} on repeat forever",
            path, prefix.Count + loopAt);
    }

    private ulong HashOf(int id, List<int> parent, List<ushort> move)
    {
        var stepper = new Stepper(_spec);
        var w = _spec.Initial;
        foreach (var m in PathTo(id, parent, move)) stepper.Apply(ref w, m);
        return w.Hash64();
    }
}
