using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Properties;

namespace TcpSpec.Checker.Strategies;

/// <summary>The size of a chunk: the frontier is expanded in chunks of this many worlds, merged in frontier order.</summary>
internal static class Chunks
{
    public const int Size = 512;
}

/// <summary>
/// One successor found while expanding a chunk (12 bytes). <see cref="Ref"/> is its state id
/// when the fingerprint was already known; otherwise <c>~Ref</c> is the slot of its world in the
/// chunk, stored once per chunk (<see cref="First"/> marks that occurrence).
/// <see cref="Parent"/> is the parent's offset in the chunk; <see cref="OutOfBounds"/>: the world is beyond the in-flight bound.
/// </summary>
internal readonly record struct Successor(int Ref, short Property, ushort Parent, byte Move, bool First, bool OutOfBounds);

/// <summary>What one expanding thread owns: its stepper, and the chunk-local fingerprint → slot table.</summary>
internal sealed class Worker(TwoHostModel model)
{
    public readonly Stepper Stepper = new(model);
    public readonly FingerprintTable Local = new(1 << 11);
    /// <summary>The packed worlds of the chunk being expanded, read from the level's stream.</summary>
    public byte[] Packed = new byte[1 << 16];
    /// <summary>The successors of the world being expanded, their fingerprints, and the property each violates (-1: none) with its message.</summary>
    public readonly World[] Next = new World[Stepper.MaxMoves];
    public readonly ulong[] Hashes = new ulong[Stepper.MaxMoves];
    public readonly short[] Violated = new short[Stepper.MaxMoves];
    /// <summary>Read only where <see cref="Violated"/> names a property (and then cleared).</summary>
    public readonly string?[] Messages = new string?[Stepper.MaxMoves];
}

/// <summary>What one chunk of the frontier produced. Taken from a <see cref="ChunkResultPool"/> when a chunk is expanded and given back once it is merged, so only the chunks expanded ahead of the merge hold one; its buffers keep their capacity.</summary>
internal sealed class ChunkResult
{
    public readonly List<Successor> Successors = new();
    /// <summary>Violation messages, in the order of the successors that carry them.</summary>
    public readonly List<string> Messages = new();
    public readonly List<(int Parent, short Property, string Message)> BadEndings = new();
    public readonly List<int> Endings = new();
    public readonly WorldStore Worlds;
    /// <summary>The fingerprint of each stored world.</summary>
    public ulong[] SlotHashes = new ulong[256];
    /// <summary>During the merge: the state id given to each stored world.</summary>
    public int[] SlotIds = new int[256];
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

/// <summary>The chunk results of a search, reused from chunk to chunk and level to level.</summary>
internal sealed class ChunkResultPool(WorldBlocks blocks)
{
    private readonly Stack<ChunkResult> _free = new();

    public ChunkResult Take()
    {
        lock (_free)
        {
            if (_free.Count > 0) return _free.Pop();
        }
        return new ChunkResult(blocks);
    }

    /// <summary>The chunk is merged: its worlds' blocks go back, and it serves another chunk.</summary>
    public void Give(ChunkResult r)
    {
        r.Worlds.Clear();
        lock (_free) _free.Push(r);
    }

    public void Clear()
    {
        lock (_free) _free.Clear();
    }
}


/// <summary>
/// One level's expansion, shared by the threads: chunks are claimed in order from a counter.
/// The calling thread merges chunk after chunk as soon as each is expanded, and expands
/// chunks itself while the next one to merge is not ready; <c>Workers - 1</c> helpers only
/// expand. Merging while others expand is safe: the expansion only reads the fingerprint
/// table, which publishes entries complete, and a fingerprint it misses because the merge has
/// not added it yet is found by the merge; either way the successor gets the same id.
/// </summary>
internal sealed class LevelWork(ChunkExpander expander, LevelStream source, ChunkResultPool pool, int count, int chunks, IStateSet index, int firstChunk = 0)
{
    private readonly bool[] _done = new bool[chunks];
    private readonly ChunkResult?[] _results = new ChunkResult?[chunks];
    private readonly object _gate = new();
    private int _claimed = firstChunk;
    private volatile bool _cancelled;
    /// <summary>What a chunk's expansion threw: reported when the merge reaches that chunk, so the crash reported is the first in merge order whatever the workers.</summary>
    private readonly Exception?[] _failures = new Exception?[chunks];

    /// <summary>No more chunks are claimed: the search stops (a cap, or Ctrl-C).</summary>
    public void Cancel() => _cancelled = true;

    /// <summary>Claims and expands the next unclaimed chunk; false when none is left.</summary>
    public bool ExpandOne(Worker worker)
    {
        if (_cancelled) return false;
        int c = Interlocked.Increment(ref _claimed) - 1;
        if (c >= chunks) return false;
        try
        {
            var r = _results[c] = pool.Take();
            expander.Expand(worker, r, source, c, c * Chunks.Size, Math.Min(count, (c + 1) * Chunks.Size), index);
        }
        catch (Exception ex)
        {
            _failures[c] = ex;
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
        if (_failures[c] is ExpansionFailedException crash) throw crash;
        if (_failures[c] is { } failure) throw new InvalidOperationException("a worker of the exhaustive search failed: " + failure.Message, failure);
        return _results[c]!;
    }

    /// <summary>Chunk <paramref name="c"/> is merged: its result goes back to the pool.</summary>
    public void Release(int c)
    {
        pool.Give(_results[c]!);
        _results[c] = null;
    }
}

/// <summary>Expands chunks of a level's frontier: every enabled move of every world, judged by every property interested in it.</summary>
internal sealed class ChunkExpander(TwoHostModel model, IReadOnlyList<IProperty> propertyList)
{
    private readonly IProperty[] _properties = propertyList.ToArray();

    /// <summary>Each property's <see cref="IProperty.CheckStep"/> as a delegate to its implementation, resolved once: a call through an interface at a site that meets thirty classes costs a stub's lookup each time.</summary>
    private readonly StepCheck[] _checks = propertyList.Select(p => (StepCheck)p.CheckStep).ToArray();

    private delegate string? StepCheck(TwoHostModel model, in World before, Move move, in World after, StepLog log);

    /// <summary>Each property's <see cref="IProperty.Interest"/>, read once: a move is judged only by the properties whose interest meets its facts.</summary>
    private readonly StepFacts[] _interest = propertyList.Select(p => p.Interest).ToArray();

    /// <summary>For each set of facts met so far, the properties interested in it, in order: made once per set (a few dozen occur), so a move walks only its own judges.</summary>
    private readonly short[]?[] _judges = new short[]?[FactSets];

    /// <summary>How many sets of facts there can be: every bit of <see cref="StepFacts"/> either way but <see cref="StepFacts.Any"/>, which every move has (the index drops it).</summary>
    private static readonly int FactSets = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Enum.GetValues<StepFacts>().Aggregate((a, b) => a | b) + 1) >> 1;

    /// <summary>The properties interested in a move with <paramref name="facts"/>, in their order. Workers may build the same list at once: either copy is the same.</summary>
    private short[] JudgesOf(StepFacts facts)
    {
        ref var judges = ref _judges[(int)facts >> 1];
        if (judges is { } known) return known;
        var list = new List<short>();
        for (short p = 0; p < _interest.Length; p++)
            if ((_interest[p] & facts) != 0) list.Add(p);
        return judges = list.ToArray();
    }

    /// <summary>
    /// Expands frontier[from..to): every enabled move of every world, its property checks and
    /// fingerprint. Reads <paramref name="index"/> (nothing adds to it meanwhile) so that worlds
    /// known from earlier levels are not stored, and stores each new fingerprint's world once per chunk.
    /// </summary>
    public void Expand(Worker worker, ChunkResult r, LevelStream source, int chunk, int from, int to, IStateSet index)
    {
        if (r.Coverage is null) r.Reset(Coverage.Of(model));
        else
        {
            r.Coverage.Clear();
            r.Reset(r.Coverage);
        }
        var stepper = worker.Stepper;
        var local = worker.Local;
        var properties = _properties;
        var checks = _checks;
        // The index is a fingerprint table but with --bitstate: called as its own sealed class, its look-ups are direct calls the
        // JIT may inline, not interface calls through a dispatch stub (this loop is compiled without the profile that would guess it).
        var table = index as FingerprintTable;
        local.Clear();
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        World world = default;
        int packedLength = source.ReadChunk(chunk, ref worker.Packed);
        int read = 0;
        for (int i = from; i < to; i++)
        {
            read += WorldCodec.Decode(worker.Packed.AsSpan(read, packedLength - read), r.Worlds.Reference, ref world);
            int n = stepper.Enumerate(world, moves);
            if (n == 0)
            {
                r.Endings.Add(i);
                for (short p = 0; p < properties.Length; p++)
                {
                    var message = properties[p].CheckEnding(model, world);
                    if (message is not null)
                    {
                        r.BadEndings.Add((i, p, message));
                        break;
                    }
                }
                continue;
            }
            // First every successor, its checks and its fingerprint, whose probe the index starts
            // fetching from memory at once; then the look-ups, which find those lines on the way.
            var next = worker.Next;
            for (int m = 0; m < n; m++)
            {
                next[m] = world;
                try
                {
                    stepper.Apply(ref next[m], moves[m]);
                }
                catch (Exception ex)
                {
                    throw new ExpansionFailedException(i, Replay.Describe(model, world, moves[m]), ex);
                }
                foreach (ref readonly var step in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(stepper.Log.Steps)) r.Coverage!.Record(step);
                short violated = -1;
                string? message = null;
                foreach (short p in JudgesOf(Facts.Of(world, moves[m], next[m], stepper.Log)))
                {
                    message = checks[p](model, world, moves[m], next[m], stepper.Log);
                    if (message is not null)
                    {
                        violated = p;
                        break;
                    }
                }
                worker.Violated[m] = violated;
                if (message is not null) worker.Messages[m] = message; // stored only for a violation: no store (and its GC write barrier) for the many moves that hold
                ulong h = next[m].Hash64();
                worker.Hashes[m] = h;
                if (table is not null) table.Prefetch(h);
                else index.Prefetch(h);
            }
            for (int m = 0; m < n; m++)
            {
                ulong h = worker.Hashes[m];
                bool first = false, outOfBounds = false;
                if (!(table is not null ? table.TryGet(h, out int id) : index.TryGet(h, out id)))
                {
                    int slot = local.GetOrAdd(h, r.Worlds.Count, out first);
                    if (first)
                    {
                        r.AddWorld(in next[m], h);
                        outOfBounds = stepper.OutOfBounds(next[m]);
                    }
                    id = ~slot;
                }
                short violated = worker.Violated[m];
                string? message = violated >= 0 ? worker.Messages[m] : null;
                r.Successors.Add(new Successor(id, violated, (ushort)(i - from), (byte)m, first, outOfBounds));
                if (message is not null)
                {
                    r.Messages.Add(message);
                    worker.Messages[m] = null;
                }
            }
        }
    }
}
