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

    /// <summary>Stop cleanly, with partial results, once this many distinct states are found (checked as states are added).</summary>
    public long MaxStates { get; init; } = 20_000_000;

    /// <summary>Stop cleanly, with partial results, once the process's resident memory reaches this (default: <see cref="RunLimits.DefaultMaxMemory"/>).</summary>
    public long MaxMemoryBytes { get; init; } = RunLimits.DefaultMaxMemory();

    /// <summary>Stop cleanly, with partial results and the violations found so far, when cancelled (Ctrl-C).</summary>
    public CancellationToken Cancel { get; init; }

    /// <summary>Called about once per <see cref="ProgressInterval"/> while the search runs (on the merging thread).</summary>
    public Action<SearchProgress>? OnProgress { get; init; }

    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Bitstate hashing with a filter of 2^n bits instead of the exact fingerprint table (null: exact); implies no liveness pass.</summary>
    public int? BitstateLog2 { get; init; }

    /// <summary>A BFS level whose packed worlds may exceed this goes to a temporary file in <see cref="SpillDirectory"/> instead of memory.</summary>
    public long SpillBytes { get; init; } = 8L << 20;

    /// <summary>Where large levels are written (deleted when the search ends).</summary>
    public string SpillDirectory { get; init; } = Path.GetTempPath();

    /// <summary>Explore no deeper than this many moves (the run is then reported as truncated).</summary>
    public int MaxDepth { get; init; } = int.MaxValue;

    /// <summary>Check that a good ending stays reachable from every state (no livelock); needs the transition graph in memory.</summary>
    public bool Liveness { get; init; } = true;

    /// <summary>Called after each level with (states, frontier, transitions, seconds).</summary>
    public Action<long, long, long, double>? Progress { get; init; }

    /// <summary>Where the search keeps its checkpoint (null: none): written every <see cref="CheckpointEvery"/> and when a cap or Ctrl-C stops it, deleted when it ends.</summary>
    public string? CheckpointFile { get; init; }

    /// <summary>How often the checkpoint is written while the search runs.</summary>
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>What names the table in a checkpoint (the caller's table hash): resuming with another is refused.</summary>
    public string? TableHash { get; init; }

    /// <summary>Go on from this checkpoint instead of the initial world (it must be of the same model and options).</summary>
    public string? ResumeFrom { get; init; }
}

/// <summary>
/// Breadth-first search over every world the model can reach, as TLC does: each distinct world
/// is expanded once (worlds are remembered by their 64-bit fingerprint — hash compaction), so
/// the first violation found is at the least depth and its counterexample is a shortest one.
/// Each level is expanded in parallel and merged in a fixed order, so the states, counts and
/// counterexamples are the same with any number of workers. After the search, the transition
/// graph is walked backwards from the good endings: a world from which none is reachable is a
/// livelock (reported as a lasso: a path to it and a cycle it cannot leave) or a deadlock.
/// <para>
/// This file is the level loop and its deterministic merge; <see cref="ChunkExpander"/> expands
/// the chunks, <see cref="StateGraph"/> keeps the states and transitions, and
/// <see cref="LivelockCheck"/> is the liveness check, apart from the search as in TLC.
/// </para>
/// <para>
/// Memory does not depend on a world's size but for the frontier: a state is its fingerprint in
/// an <see cref="IStateSet"/> (exact, or bitstate), its parent link in the graph (a file when
/// many: <see cref="ParentLinks"/>), and with liveness its kind and transitions; the frontier's
/// worlds are packed into a <see cref="LevelStream"/> (a file when large) and its ids
/// delta-coded (<see cref="LevelIds"/>). Without liveness a large search holds ~12 bytes of
/// fingerprint a state and little else (<see cref="MemoryReport"/> shows where it goes).
/// <see cref="RunLimits"/> stops the search cleanly on a cap or Ctrl-C.
/// </para>
/// <para>
/// Everything it knows between two chunk merges is a <see cref="SearchState"/>, which a
/// checkpoint saves (periodically, and when a cap or Ctrl-C stops the search) and a resumed
/// search loads and goes on from: the counts and counterexamples are those of an uninterrupted run.
/// </para>
/// </summary>
public sealed class ExhaustiveSearch(ExhaustiveOptions? options = null) : IStrategy
{
    private readonly ExhaustiveOptions _options = options ?? new ExhaustiveOptions();

    /// <summary>How many stored worlds ahead of the one being merged the merge prefetches the table's slots: enough to cover a miss to memory.</summary>
    private const int MergeAhead = 16;

    public CheckResult Run(TwoHostModel model, IReadOnlyList<IProperty> properties)
    {
        var expander = new ChunkExpander(model, properties);
        var clock = Stopwatch.StartNew();
        var limits = new RunLimits(_options, clock);
        string? stoppedBy = null;
        var stepperForCounts = new Stepper(model);
        int workers = Math.Max(1, _options.Workers);
        var threads = new Worker[workers];
        for (int w = 0; w < workers; w++) threads[w] = new Worker(model);

        // Ids are needed only for the transitions the liveness pass reads; the parent links need only the frontier's ids.
        // Bitstate keeps no ids, so no transitions: it implies no liveness pass.
        bool liveness = _options.Liveness && _options.BitstateLog2 is null;
        var identity = SearchState.Identity(model, _options, liveness);

        // A level's worlds are packed in frontier order into a stream (memory, or a file when
        // large) that the next level's workers read; a chunk's own new worlds are held only from
        // its expansion to its merge. Chunk results keep their buffers from level to level.
        var blocks = new WorldBlocks(model.Initial);
        var chunkResults = new ChunkResultPool(blocks);
        var pool = new Stack<byte[]>();
        using var source0 = new LevelStream(_options.SpillDirectory, pool);
        using var next0 = new LevelStream(_options.SpillDirectory, pool);
        var (source, nextStream) = (source0, next0);
        var initial = model.Initial;
        if (stepperForCounts.OutOfBounds(initial)) throw new InvalidOperationException("the initial world is already beyond the in-flight bound");

        SearchState st;
        bool resumedLevel = _options.ResumeFrom is not null;
        if (_options.ResumeFrom is { } resume)
        {
            st = CheckpointFile.Read(resume, identity, r => SearchState.Load(r, model, _options, source, nextStream));
            source.Complete();
        }
        else
        {
            var bitstate = _options.BitstateLog2 is int log2 ? new BitstateSet(log2) : null;
            st = new SearchState
            {
                Bitstate = bitstate,
                Index = bitstate ?? (IStateSet)new FingerprintTable(1 << 12, withIds: liveness, segmentBits: 8),
                Graph = new StateGraph(withTransitions: liveness, _options.SpillDirectory, _options.SpillBytes),
                Coverage = Coverage.Of(model),
            };
            foreach (var step in model.SetupSteps) st.Coverage.Record(step);
            st.Index.GetOrAdd(initial.Hash64(), 0, out _);
            st.Graph.Add(-1, 0, StateGraph.Expanded);
            var packed = new byte[WorldCodec.MaxLength];
            source.Reset(toFile: false);
            source.Add(packed.AsSpan(0, WorldCodec.Encode(initial, blocks.Reference, packed)));
            source.Complete();
            st.Frontier.Add(0);
        }
        var index = st.Index;
        using var graph = st.Graph; // disposed: its parent links' file is deleted
        long peak = 0;
        string? checkpointWritten = null;
        bool stoppedInLevel = false;
        var lastCheckpoint = clock.Elapsed;
        var compaction = new HeapCompaction();

        void WriteCheckpoint(int chunk, int successor)
        {
            if (_options.CheckpointFile is not { } path) return;
            st.Chunk = chunk;
            st.Successor = successor;
            double before = st.Seconds;
            st.Seconds += clock.Elapsed.TotalSeconds;
            CheckpointFile.Write(path, identity, w => st.Save(w, source, nextStream));
            st.Seconds = before;
            checkpointWritten = path;
            lastCheckpoint = clock.Elapsed;
        }

        var frontier = new int[Chunks.Size]; // the ids of the chunk being merged
        while (st.Frontier.Count > 0)
        {
            int frontierCount = st.Frontier.Count;
            int chunks = (frontierCount + Chunks.Size - 1) / Chunks.Size;
            int firstChunk = 0, firstSuccessor = -1;
            if (resumedLevel)
            {
                // The checkpoint's level, merged up to its position; its next level so far is loaded.
                (firstChunk, firstSuccessor) = (st.Chunk, st.Successor);
                resumedLevel = false;
            }
            else
            {
                st.Next.Clear();
                // A level likely to be large goes to a file (its predecessor's size is the guide).
                nextStream.Reset(toFile: source.Bytes * 2 > _options.SpillBytes);
            }
            var level = new LevelWork(expander, source, chunkResults, frontierCount, chunks, index, firstChunk);
            // A level of one chunk is expanded and merged by this thread alone: no helper to start.
            var helpers = new Task[Math.Max(0, Math.Min(workers, chunks - firstChunk) - 1)];
            for (int w = 1; w <= helpers.Length; w++)
            {
                var worker = threads[w];
                helpers[w - 1] = Task.Run(() => { while (level.ExpandOne(worker)) { } });
            }

            // Merge in frontier order, each chunk as soon as it is expanded: the outcome is independent of scheduling.
            (int Chunk, int Successor) stoppedAt = default;
            for (int c = firstChunk; c < chunks; c++)
            {
                ChunkResult r;
                int chunkStart = c * Chunks.Size;
                st.Frontier.ReadChunk(c, frontier);
                try
                {
                    r = level.Await(c, threads[0]);
                }
                catch (ExpansionFailedException crash)
                {
                    level.Cancel();
                    Task.WaitAll(helpers);
                    throw EngineCrashedException.Of(model, graph.PathTo(model, frontier[crash.FrontierIndex - chunkStart]), crash.LastMove, crash.InnerException!);
                }
                // A chunk resumed in its middle: its coverage and endings were merged, and its first successors.
                int skip = c == firstChunk && firstSuccessor >= 0 ? firstSuccessor : -1;
                if (skip < 0)
                {
                    st.Coverage.Merge(r.Coverage!);
                    foreach (var e in r.Endings)
                    {
                        graph.MarkEnding(frontier[e - chunkStart]);
                        st.Endings++;
                    }
                    foreach (var (p, prop, message) in r.BadEndings)
                    {
                        string name = properties[prop].Name;
                        if (!st.Found.ContainsKey(name)) st.Found[name] = (message, graph.OrdinalsTo(frontier[p - chunkStart]));
                        st.Stop = true;
                    }
                }
                int current = -1;
                int messageAt = 0;
                var slotIds = r.SlotIds;
                var slotHashes = r.SlotHashes;
                // The chunk's stored worlds are added in slot order: their table slots are fetched a few ahead of their turn.
                int stored = r.Worlds.Count;
                for (int a = 0; a < Math.Min(MergeAhead, stored); a++) index.Prefetch(slotHashes[a]);
                var successors = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(r.Successors);
                for (int k = 0; k < successors.Length; k++)
                {
                    var s = successors[k];
                    if (k < skip)
                    {
                        // Merged before the checkpoint: only what later successors of the chunk read.
                        if (s.Ref < 0 && s.First) slotIds[~s.Ref] = index.TryGet(r.SlotHashes[~s.Ref], out int known) ? known : -1;
                        if (s.Property >= 0) messageAt++;
                        continue;
                    }
                    int from = frontier[s.Parent];
                    int id = s.Ref;
                    // A fingerprint the expansion missed may have been added since by this merge (a worker reads the table while it
                    // grows): only a world that is really new stops the search at the cap, or the count would depend on timing.
                    if (graph.Count >= _options.MaxStates && id < 0 && s.First && !index.TryGet(r.SlotHashes[~id], out _))
                    {
                        // The cap is reached exactly: what follows in merge order is not added.
                        stoppedBy = $"--max-states {_options.MaxStates:N0}";
                        stoppedAt = (c, k);
                        break;
                    }
                    if (from != current)
                    {
                        graph.StartSuccessors(from);
                        current = from;
                    }
                    st.Transitions++;
                    if (id < 0)
                    {
                        int slot = ~id;
                        if (s.First)
                        {
                            // The first time this chunk met the fingerprint: an earlier chunk of this level may have added it.
                            if (slot + MergeAhead < stored) index.Prefetch(slotHashes[slot + MergeAhead]);
                            id = index.GetOrAdd(slotHashes[slot], graph.Count, out bool added);
                            slotIds[slot] = id;
                            if (added)
                            {
                                graph.Add(from, s.Move, s.OutOfBounds ? StateGraph.Bounded : StateGraph.Expanded);
                                if (s.OutOfBounds)
                                {
                                    st.Bounded++;
                                }
                                else
                                {
                                    st.Next.Add(id);
                                    nextStream.Add(r.Worlds.Packed(slot));
                                }
                            }
                        }
                        else
                        {
                            id = slotIds[slot];
                        }
                    }
                    graph.AddSuccessor(id);
                    if (s.Property >= 0)
                    {
                        string message = r.Messages[messageAt++];
                        string name = properties[s.Property].Name;
                        if (!st.Found.ContainsKey(name))
                        {
                            var ordinals = graph.OrdinalsTo(from);
                            ordinals.Add(s.Move);
                            st.Found[name] = (message, ordinals);
                        }
                        st.Stop = true;
                    }
                }
                level.Release(c); // its new worlds are in the next level's stream
                if (index is FingerprintTable table) compaction.AfterChunk(table);
                if (stoppedBy is null)
                {
                    stoppedAt = (c + 1, -1);
                    stoppedBy = limits.Check(graph.Count, st.Transitions, frontierCount - Math.Min(frontierCount, chunkStart + Chunks.Size) + st.Next.Count, st.Depth);
                }
                if (stoppedBy is not null)
                {
                    level.Cancel();
                    break;
                }
                if (_options.CheckpointFile is not null && clock.Elapsed - lastCheckpoint >= _options.CheckpointEvery) WriteCheckpoint(c + 1, -1);
            }
            Task.WaitAll(helpers);
            if (stoppedBy is not null)
            {
                stoppedInLevel = true;
                WriteCheckpoint(stoppedAt.Chunk, stoppedAt.Successor);
                break;
            }

            peak = Math.Max(peak, GC.GetTotalMemory(false));
            if (MemoryReport.Enabled)
                MemoryReport.AfterLevel(st.Depth, graph.Count, ("table", (index as FingerprintTable)?.Bytes ?? 0), ("graph", graph.Bytes),
                    ("frontier ids", st.Frontier.Bytes + st.Next.Bytes), ("levels in memory", source.MemoryBytes + nextStream.MemoryBytes),
                    ("chunk worlds", blocks.Bytes));
            _options.Progress?.Invoke(graph.Count, st.Next.Count, st.Transitions, st.Seconds + clock.Elapsed.TotalSeconds);
            if (st.Stop) break;
            nextStream.Complete();
            (source, nextStream) = (nextStream, source);
            (st.Frontier, st.Next) = (st.Next, st.Frontier);
            st.Next.Clear();
            if (st.Frontier.Count > 0) st.Depth++;
            if (st.Depth >= _options.MaxDepth && st.Frontier.Count > 0)
            {
                stoppedBy = $"depth {_options.MaxDepth}";
                break;
            }
        }
        bool truncated = stoppedBy is not null;
        // A search that ran to its end, to a violation or to the depth bound needs its checkpoint no more;
        // one a cap or Ctrl-C stopped has just written it.
        if (_options.CheckpointFile is { } done && !stoppedInLevel)
        {
            File.Delete(done);
            checkpointWritten = null;
        }
        graph.Complete();

        var violations = st.Found.ToDictionary(f => f.Key, f => new Violation(f.Key, f.Value.Message, Replay.MovesFromOrdinals(model, f.Value.Ordinals)));
        if (violations.Count == 0 && !truncated && liveness)
        {
            // The search's own memory (fingerprints, level buffers) is garbage now: free it before
            // the liveness pass lays the transitions out in one array and builds its reverse graph.
            index.Release();
            chunkResults.Clear();
            pool.Clear();
            graph.Compact(collect: st.Transitions > 1_000_000);
            peak = Math.Max(peak, Environment.WorkingSet);
            var lasso = LivelockCheck.Find(model, graph);
            if (lasso is not null) violations[lasso.Property] = lasso;
        }

        clock.Stop();
        var stats = new CheckStats
        {
            States = graph.Count,
            Transitions = st.Transitions,
            MaxDepth = st.Depth,
            Endings = st.Endings,
            Bounded = st.Bounded,
            Seconds = st.Seconds + clock.Elapsed.TotalSeconds,
            PeakMemoryBytes = Math.Max(Math.Max(peak, limits.PeakMemory), Process.GetCurrentProcess().PeakWorkingSet64),
            Workers = workers,
            Truncated = truncated,
            StoppedBy = stoppedBy,
            Bitstate = st.Bitstate?.Stats(),
            Checkpoint = checkpointWritten,
        };
        var ordered = properties.Where(p => violations.ContainsKey(p.Name)).Select(p => violations[p.Name])
            .Concat(violations.Values.Where(v => properties.All(p => p.Name != v.Property))).ToList();
        return new CheckResult(model, properties, "exhaustive", stats, ordered, st.Coverage);
    }
}
