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

    /// <summary>
    /// One successor found while expanding a chunk. <see cref="Id"/> is its state id when the
    /// fingerprint was already known from earlier levels; otherwise <see cref="Slot"/> is its
    /// world in the chunk, stored once per chunk (<see cref="First"/> marks that occurrence).
    /// </summary>
    private readonly record struct Successor(int Parent, ushort Move, short Property, ulong Hash, int Id, int Slot, bool First);

    /// <summary>What one chunk of the frontier produced. Reused level after level: its buffers keep their capacity.</summary>
    private sealed class ChunkResult
    {
        public readonly List<Successor> Successors = new();
        /// <summary>Violation messages, in the order of the successors that carry them.</summary>
        public readonly List<string> Messages = new();
        public readonly List<(int Parent, short Property, string Message)> BadEndings = new();
        public readonly List<int> Endings = new();
        /// <summary>Fingerprints new to earlier levels, met in this chunk: fingerprint → slot.</summary>
        public readonly FingerprintTable Local = new(1 << 11);
        public World[] Worlds = new World[256];
        public int WorldCount;
        /// <summary>During the merge: the state id given to each slot's world.</summary>
        public int[] SlotIds = new int[256];
        public Coverage? Coverage;

        public void Reset(Coverage coverage)
        {
            Successors.Clear();
            Messages.Clear();
            BadEndings.Clear();
            Endings.Clear();
            Local.Clear();
            WorldCount = 0;
            Coverage = coverage;
        }

        public int AddWorld(in World w)
        {
            if (WorldCount == Worlds.Length)
            {
                Array.Resize(ref Worlds, Worlds.Length * 2);
                SlotIds = new int[Worlds.Length];
            }
            Worlds[WorldCount] = w;
            return WorldCount++;
        }
    }

    public CheckResult Run()
    {
        var clock = Stopwatch.StartNew();
        var stepperForCounts = new Stepper(_spec);
        var coverage = NewCoverage();
        foreach (var step in _spec.SetupSteps) coverage.Record(step);

        var index = new FingerprintTable();
        var parent = new List<int>();
        var move = new List<ushort>();
        var kind = new List<byte>(); // 0 expanded, 1 ending, 2 bounded
        var succStart = new List<int>();
        var succ = new List<int>();

        var initial = _spec.Initial;
        index.GetOrAdd(initial.Hash64(), 0, out _);
        parent.Add(-1);
        move.Add(0);
        kind.Add(0);

        // The frontier and the next level, swapped after each level; they keep their capacity.
        var frontier = new World[1024];
        var frontierIds = new int[1024];
        int frontierCount = 1;
        frontier[0] = initial;
        frontierIds[0] = 0;
        var next = new World[1024];
        var nextIds = new int[1024];
        var results = Array.Empty<ChunkResult>();

        var violations = new Dictionary<string, Violation>();
        long transitions = 0, endings = 0, bounded = 0;
        int depth = 0;
        bool truncated = false;
        long peak = 0;

        if (stepperForCounts.OutOfBounds(initial)) throw new InvalidOperationException("the initial world is already beyond the in-flight bound");

        var po = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Workers) };
        while (frontierCount > 0)
        {
            int chunks = (frontierCount + ChunkSize - 1) / ChunkSize;
            if (results.Length < chunks)
            {
                int had = results.Length;
                Array.Resize(ref results, Math.Max(chunks, had * 2));
                for (int c = had; c < results.Length; c++) results[c] = new ChunkResult();
            }
            var frozenFrontier = frontier;
            int frozenCount = frontierCount;
            var frozenResults = results;
            Parallel.For(0, chunks, po, () => new Stepper(_spec), (c, _, stepper) =>
            {
                Expand(stepper, frozenResults[c], frozenFrontier, c * ChunkSize, Math.Min(frozenCount, (c + 1) * ChunkSize), index);
                return stepper;
            }, _ => { });

            // Merge in frontier order: the outcome is independent of scheduling.
            int nextCount = 0;
            bool stop = false;
            for (int c = 0; c < chunks; c++)
            {
                var r = results[c];
                coverage.Merge(r.Coverage!);
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
                int messageAt = 0;
                var slotIds = r.SlotIds;
                foreach (var s in r.Successors)
                {
                    int from = frontierIds[s.Parent];
                    if (from != current)
                    {
                        while (succStart.Count <= from) succStart.Add(succ.Count);
                        current = from;
                    }
                    transitions++;
                    int id = s.Id;
                    if (id < 0)
                    {
                        if (s.First)
                        {
                            // The first time this chunk met the fingerprint: an earlier chunk of this level may have added it.
                            id = index.GetOrAdd(s.Hash, parent.Count, out bool added);
                            slotIds[s.Slot] = id;
                            if (added)
                            {
                                parent.Add(from);
                                move.Add(s.Move);
                                ref readonly var w = ref r.Worlds[s.Slot];
                                if (stepperForCounts.OutOfBounds(w))
                                {
                                    kind.Add(2);
                                    bounded++;
                                }
                                else
                                {
                                    kind.Add(0);
                                    if (nextCount == next.Length)
                                    {
                                        Array.Resize(ref next, next.Length * 2);
                                        Array.Resize(ref nextIds, next.Length);
                                    }
                                    next[nextCount] = w;
                                    nextIds[nextCount++] = id;
                                }
                            }
                        }
                        else
                        {
                            id = slotIds[s.Slot];
                        }
                    }
                    succ.Add(id);
                    if (s.Property >= 0)
                    {
                        string message = r.Messages[messageAt++];
                        string name = _properties[s.Property].Name;
                        if (!violations.ContainsKey(name))
                        {
                            var path = PathTo(from, parent, move).ToList();
                            path.Add(MoveAt(path, s.Move));
                            violations[name] = new Violation(name, message, path);
                        }
                        stop = true;
                    }
                }
            }

            peak = Math.Max(peak, GC.GetTotalMemory(false));
            _options.Progress?.Invoke(parent.Count, nextCount, transitions, clock.Elapsed.TotalSeconds);
            if (stop) break;
            (frontier, next) = (next, frontier);
            (frontierIds, nextIds) = (nextIds, frontierIds);
            frontierCount = nextCount;
            if (frontierCount > 0) depth++;
            if ((parent.Count >= _options.MaxStates || depth >= _options.MaxDepth) && frontierCount > 0)
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

    /// <summary>
    /// Expands frontier[from..to): every enabled move of every world, its property checks and
    /// fingerprint. Reads <paramref name="index"/> (nothing adds to it meanwhile) so that worlds
    /// known from earlier levels are not stored, and stores each new fingerprint's world once per chunk.
    /// </summary>
    private void Expand(Stepper stepper, ChunkResult r, World[] frontier, int from, int to, FingerprintTable index)
    {
        if (r.Coverage is null) r.Reset(NewCoverage());
        else
        {
            Array.Clear(r.Coverage.Rows);
            Array.Clear(r.Coverage.Cells);
            r.Reset(r.Coverage);
        }
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        for (int i = from; i < to; i++)
        {
            ref readonly var world = ref frontier[i];
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
                foreach (var step in stepper.Log.Steps) r.Coverage!.Record(step);
                short violated = -1;
                string? message = null;
                for (short p = 0; p < _properties.Count && message is null; p++)
                {
                    message = _properties[p].CheckStep(_spec, world, moves[m], next, stepper.Log);
                    if (message is not null) violated = p;
                }
                ulong h = next.Hash64();
                int slot = -1;
                bool first = false;
                if (!index.TryGet(h, out int id))
                {
                    slot = r.Local.GetOrAdd(h, r.WorldCount, out first);
                    if (first) r.AddWorld(in next);
                }
                r.Successors.Add(new Successor(i, (ushort)m, violated, h, id, slot, first));
                if (message is not null) r.Messages.Add(message);
            }
        }
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
