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
    /// One successor found while expanding a chunk (12 bytes). <see cref="Ref"/> is its state id
    /// when the fingerprint was already known; otherwise <c>~Ref</c> is the slot of its world in the
    /// chunk, stored once per chunk (<see cref="First"/> marks that occurrence).
    /// <see cref="Parent"/> is the parent's offset in the chunk; <see cref="OutOfBounds"/>: the world is beyond the in-flight bound.
    /// </summary>
    private readonly record struct Successor(int Ref, short Property, ushort Parent, byte Move, bool First, bool OutOfBounds);

    /// <summary>What one expanding thread owns: its stepper, and the chunk-local fingerprint → slot table.</summary>
    private sealed class Worker(ModelSpec spec)
    {
        public readonly Stepper Stepper = new(spec);
        public readonly FingerprintTable Local = new(1 << 11);
    }

    /// <summary>What one chunk of the frontier produced. Reused level after level: its buffers keep their capacity.</summary>
    private sealed class ChunkResult
    {
        public readonly List<Successor> Successors = new();
        /// <summary>Violation messages, in the order of the successors that carry them.</summary>
        public readonly List<string> Messages = new();
        public readonly List<(int Parent, short Property, string Message)> BadEndings = new();
        public readonly List<int> Endings = new();
        public readonly WorldStore Worlds;
        /// <summary>The fingerprint of each stored world.</summary>
        public ulong[] SlotHashes = new ulong[WorldBlocks.Size];
        /// <summary>During the merge: the state id given to each stored world.</summary>
        public int[] SlotIds = new int[WorldBlocks.Size];
        public Coverage? Coverage;

        public ChunkResult(WorldBlocks blocks) => Worlds = new WorldStore(blocks);

        public void Reset(Coverage coverage)
        {
            Successors.Clear();
            Messages.Clear();
            BadEndings.Clear();
            Endings.Clear();
            Worlds.Clear();
            Coverage = coverage;
        }

        public int AddWorld(in World w, ulong hash)
        {
            int slot = Worlds.Add(w);
            if (slot == SlotIds.Length)
            {
                Array.Resize(ref SlotIds, SlotIds.Length * 2);
                Array.Resize(ref SlotHashes, SlotIds.Length);
            }
            SlotHashes[slot] = hash;
            return slot;
        }
    }

    /// <summary>A world of the frontier: where the previous level stored it (chunk, slot), and its state id.</summary>
    private readonly record struct FrontierWorld(int Chunk, int Slot, int Id);

    /// <summary>
    /// One level's expansion, shared by the threads: chunks are claimed in order from a counter.
    /// The calling thread merges chunk after chunk as soon as each is expanded, and expands
    /// chunks itself while the next one to merge is not ready; <c>Workers - 1</c> helpers only
    /// expand. Merging while others expand is safe: the expansion only reads the fingerprint
    /// table, which publishes entries complete, and a fingerprint it misses because the merge has
    /// not added it yet is found by the merge; either way the successor gets the same id.
    /// </summary>
    private sealed class LevelWork(ExhaustiveSearch search, ChunkResult[] source, ChunkResult[] results, FrontierWorld[] frontier, int count, int chunks, FingerprintTable index)
    {
        private readonly bool[] _done = new bool[chunks];
        private readonly object _gate = new();
        private int _claimed;
        private Exception? _failure;

        /// <summary>Claims and expands the next unclaimed chunk; false when none is left.</summary>
        public bool ExpandOne(Worker worker)
        {
            int c = Interlocked.Increment(ref _claimed) - 1;
            if (c >= chunks) return false;
            try
            {
                search.Expand(worker, results[c], source, frontier, c * ChunkSize, Math.Min(count, (c + 1) * ChunkSize), index);
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref _failure, ex, null);
            }
            lock (_gate)
            {
                Volatile.Write(ref _done[c], true);
                Monitor.PulseAll(_gate);
            }
            return true;
        }

        /// <summary>Helps expanding until chunk <paramref name="c"/> is expanded, then returns it.</summary>
        public ChunkResult Await(int c, Worker worker)
        {
            while (!Volatile.Read(ref _done[c]))
            {
                if (ExpandOne(worker)) continue;
                lock (_gate)
                {
                    while (!_done[c]) Monitor.Wait(_gate);
                }
            }
            if (_failure is not null) throw new InvalidOperationException("a worker of the exhaustive search failed: " + _failure.Message, _failure);
            return results[c];
        }
    }

    public CheckResult Run()
    {
        var clock = Stopwatch.StartNew();
        var stepperForCounts = new Stepper(_spec);
        var coverage = NewCoverage();
        foreach (var step in _spec.SetupSteps) coverage.Record(step);
        int workers = Math.Max(1, _options.Workers);
        var threads = new Worker[workers];
        for (int w = 0; w < workers; w++) threads[w] = new Worker(_spec);

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

        // The frontier's worlds stay where the previous level's chunks stored them: two sets of
        // chunk results alternate, and keep their buffers from level to level.
        var blocks = new WorldBlocks();
        var first = new[] { new ChunkResult(blocks) };
        first[0].AddWorld(initial, 0);
        var source = first;
        var results = Array.Empty<ChunkResult>();
        var frontier = new FrontierWorld[256];
        frontier[0] = new FrontierWorld(0, 0, 0);
        int frontierCount = 1;
        var next = new FrontierWorld[256];

        var violations = new Dictionary<string, Violation>();
        long transitions = 0, endings = 0, bounded = 0;
        int depth = 0;
        bool truncated = false;
        long peak = 0;

        if (stepperForCounts.OutOfBounds(initial)) throw new InvalidOperationException("the initial world is already beyond the in-flight bound");

        while (frontierCount > 0)
        {
            int chunks = (frontierCount + ChunkSize - 1) / ChunkSize;
            if (results.Length < chunks)
            {
                int had = results.Length;
                Array.Resize(ref results, Math.Max(chunks, had * 2));
                for (int c = had; c < results.Length; c++) results[c] = new ChunkResult(blocks);
            }
            var level = new LevelWork(this, source, results, frontier, frontierCount, chunks, index);
            // A level of one chunk is expanded and merged by this thread alone: no helper to start.
            var helpers = new Task[Math.Min(workers, chunks) - 1];
            for (int w = 1; w <= helpers.Length; w++)
            {
                var worker = threads[w];
                helpers[w - 1] = Task.Run(() => { while (level.ExpandOne(worker)) { } });
            }

            // Merge in frontier order, each chunk as soon as it is expanded: the outcome is independent of scheduling.
            int nextCount = 0;
            bool stop = false;
            for (int c = 0; c < chunks; c++)
            {
                var r = level.Await(c, threads[0]);
                int chunkStart = c * ChunkSize;
                coverage.Merge(r.Coverage!);
                foreach (var e in r.Endings)
                {
                    kind[frontier[e].Id] = 1;
                    endings++;
                }
                foreach (var (p, prop, message) in r.BadEndings)
                {
                    string name = _properties[prop].Name;
                    if (!violations.ContainsKey(name)) violations[name] = new Violation(name, message, PathTo(frontier[p].Id, parent, move));
                    stop = true;
                }
                int current = -1;
                int messageAt = 0;
                var slotIds = r.SlotIds;
                foreach (var s in r.Successors)
                {
                    int from = frontier[chunkStart + s.Parent].Id;
                    if (from != current)
                    {
                        while (succStart.Count <= from) succStart.Add(succ.Count);
                        current = from;
                    }
                    transitions++;
                    int id = s.Ref;
                    if (id < 0)
                    {
                        int slot = ~id;
                        if (s.First)
                        {
                            // The first time this chunk met the fingerprint: an earlier chunk of this level may have added it.
                            id = index.GetOrAdd(r.SlotHashes[slot], parent.Count, out bool added);
                            slotIds[slot] = id;
                            if (added)
                            {
                                parent.Add(from);
                                move.Add(s.Move);
                                if (s.OutOfBounds)
                                {
                                    kind.Add(2);
                                    bounded++;
                                }
                                else
                                {
                                    kind.Add(0);
                                    if (nextCount == next.Length) Array.Resize(ref next, next.Length * 2);
                                    next[nextCount++] = new FrontierWorld(c, slot, id);
                                }
                            }
                        }
                        else
                        {
                            id = slotIds[slot];
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
            Task.WaitAll(helpers);

            peak = Math.Max(peak, GC.GetTotalMemory(false));
            _options.Progress?.Invoke(parent.Count, nextCount, transitions, clock.Elapsed.TotalSeconds);
            if (stop) break;
            // This level's chunks hold the next frontier's worlds; the previous level's buffers are free again.
            foreach (var done in source) done.Worlds.Clear();
            (source, results) = (results, ReferenceEquals(source, first) ? Array.Empty<ChunkResult>() : source);
            (frontier, next) = (next, frontier);
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
            Workers = workers,
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
    private void Expand(Worker worker, ChunkResult r, ChunkResult[] source, FrontierWorld[] frontier, int from, int to, FingerprintTable index)
    {
        if (r.Coverage is null) r.Reset(NewCoverage());
        else
        {
            Array.Clear(r.Coverage.Rows);
            Array.Clear(r.Coverage.Cells);
            r.Reset(r.Coverage);
        }
        var stepper = worker.Stepper;
        var local = worker.Local;
        local.Clear();
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        for (int i = from; i < to; i++)
        {
            var at = frontier[i];
            ref readonly var world = ref source[at.Chunk].Worlds[at.Slot];
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
                bool first = false, outOfBounds = false;
                if (!index.TryGet(h, out int id))
                {
                    int slot = local.GetOrAdd(h, r.Worlds.Count, out first);
                    if (first)
                    {
                        r.AddWorld(in next, h);
                        outOfBounds = stepper.OutOfBounds(next);
                    }
                    id = ~slot;
                }
                r.Successors.Add(new Successor(id, violated, (ushort)(i - from), (byte)m, first, outOfBounds));
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
        var good = new bool[n];
        for (int s = 0; s < n; s++) good[s] = kind[s] == 1 || kind[s] == 2;
        // Most edges lead to the next level, so sweeps in reverse breadth-first order find almost
        // every world that reaches a good one; a sweep that changes nothing proves the fixpoint.
        var starts = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(succStart);
        var targets = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(succ);
        bool changed = true;
        for (int sweep = 0; sweep < 3 && changed; sweep++)
        {
            changed = false;
            for (int s = n - 1; s >= 0; s--)
            {
                if (good[s]) continue;
                for (int e = starts[s]; e < starts[s + 1]; e++)
                {
                    if (good[targets[e]])
                    {
                        good[s] = true;
                        changed = true;
                        break;
                    }
                }
            }
        }
        if (changed) ReachGoodBackwards(n, good, starts, targets);

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

    /// <summary>Marks every world that reaches a good one, walking the reversed transition graph from the good worlds.</summary>
    private static void ReachGoodBackwards(int n, bool[] good, ReadOnlySpan<int> starts, ReadOnlySpan<int> targets)
    {
        var reverseCount = new int[n + 1];
        foreach (var t in targets) reverseCount[t + 1]++;
        for (int i = 0; i < n; i++) reverseCount[i + 1] += reverseCount[i];
        var reverse = new int[targets.Length];
        var fill = (int[])reverseCount.Clone();
        for (int s = 0; s < n; s++)
        {
            for (int e = starts[s]; e < starts[s + 1]; e++) reverse[fill[targets[e]]++] = s;
        }
        var queue = new Queue<int>();
        for (int s = 0; s < n; s++)
        {
            if (good[s]) queue.Enqueue(s);
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
    }

    private ulong HashOf(int id, List<int> parent, List<ushort> move)
    {
        var stepper = new Stepper(_spec);
        var w = _spec.Initial;
        foreach (var m in PathTo(id, parent, move)) stepper.Apply(ref w, m);
        return w.Hash64();
    }
}
