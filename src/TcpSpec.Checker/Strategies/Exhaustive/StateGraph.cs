using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Strategies;

/// <summary>
/// The states an exhaustive search found, by id in breadth-first order (the initial world is 0),
/// and — when the liveness pass needs them — the transitions between them and each state's kind.
/// A state keeps only how it was first reached (its parent's id and the ordinal of the move among
/// the parent's enabled moves: 5 bytes, in <see cref="ParentLinks"/>, on disk once many), so a
/// world is rebuilt by replaying the ordinals from the initial world; with the liveness pass also
/// its kind (1 byte) and successors. Every list is a <see cref="BlockList{T}"/>: growing never copies.
/// </summary>
/// <param name="withTransitions">Keep the transitions and kinds the liveness pass reads.</param>
/// <param name="spillDirectory">Where the parent links go once they fill more than <paramref name="spillBytes"/> (null: memory).</param>
internal sealed class StateGraph(bool withTransitions = true, string? spillDirectory = null, long spillBytes = long.MaxValue) : IDisposable
{
    /// <summary>Writes the graph to a checkpoint (during the search: before <see cref="Complete"/>).</summary>
    public void Save(CheckpointWriter w)
    {
        w.Bool(withTransitions);
        _links.Save(w);
        if (!withTransitions) return;
        _kind.Save(w);
        _succStart.Save(w);
        _succ.Save(w);
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public static StateGraph Load(CheckpointReader r, string? spillDirectory = null, long spillBytes = long.MaxValue)
    {
        var g = new StateGraph(r.Bool(), spillDirectory, spillBytes);
        g._links.Load(r);
        if (!g.HasTransitions) return g;
        g._kind = BlockList<byte>.Load(r);
        g._succStart = BlockList<int>.Load(r);
        g._succ = BlockList<int>.Load(r);
        if (g._kind.Count != g._links.Count) throw new InvalidDataException("the state graph's lists disagree in length");
        return g;
    }

    /// <summary>A state's kind: expanded, an ending (no move enabled), or beyond the in-flight bound.</summary>
    public const byte Expanded = 0, Ending = 1, Bounded = 2;

    private readonly ParentLinks _links = new(spillDirectory, spillBytes);
    private BlockList<byte> _kind = new();
    private BlockList<int> _succStart = new();
    private BlockList<int> _succ = new();
    private int[]? _starts;

    public int Count => (int)_links.Count;

    /// <summary>Whether the transitions are kept (for the liveness pass).</summary>
    public bool HasTransitions => withTransitions;

    /// <summary>Bytes of memory the graph holds.</summary>
    public long Bytes => _links.Bytes + _kind.Bytes + _succStart.Bytes + _succ.Bytes;

    /// <summary>Parent links written to disk.</summary>
    public long LinksSpilled => _links.Spilled;

    /// <summary>Adds a state reached from <paramref name="parent"/> (-1 for the initial world) by the move of ordinal <paramref name="move"/>; returns its id.</summary>
    public int Add(int parent, int move, byte kind)
    {
        _links.Add(parent, (byte)move);
        if (withTransitions) _kind.Add(kind);
        return Count - 1;
    }

    /// <summary>A state's kind (kept for the liveness pass only).</summary>
    public byte KindOf(int id) => withTransitions ? _kind[id] : throw new InvalidOperationException("a graph without transitions keeps no kinds");

    public void MarkEnding(int id)
    {
        if (withTransitions) _kind[id] = Ending;
    }

    /// <summary>The state <paramref name="id"/> was first reached from (-1 for the initial world).</summary>
    public int ParentOf(int id) => _links[id].Parent;

    /// <summary>Starts the successor list of <paramref name="from"/>: states' lists are added in increasing id order.</summary>
    public void StartSuccessors(int from)
    {
        if (!withTransitions) return;
        while (_succStart.Count <= from) _succStart.Add((int)_succ.Count);
    }

    public void AddSuccessor(int id)
    {
        if (withTransitions) _succ.Add(id);
    }

    /// <summary>Closes the successor lists once the search is over (the states never expanded get empty ones).</summary>
    public void Complete() => StartSuccessors(Count);

    /// <summary>
    /// Lays the successor list starts out in one array (what <see cref="SuccessorStarts"/>
    /// returns); the successors stay in their blocks (<see cref="Successors"/>), so they are never
    /// held twice. With <paramref name="collect"/> the memory freed (the starts' blocks, and what
    /// the search dropped) goes back to the system at once — an aggressive full collection, worth
    /// it only for a large graph.
    /// </summary>
    public void Compact(bool collect)
    {
        if (collect) GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _ = SuccessorStarts;
        if (collect) GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>Successor list starts, indexed by state id (one more entry than states), after <see cref="Complete"/>: the successors of <c>s</c> are <c>Successors[starts[s]..starts[s + 1]]</c>.</summary>
    public ReadOnlySpan<int> SuccessorStarts => _starts ??= _succStart.MoveToArray(); // the graph is complete

    /// <summary>All successor lists end to end, after <see cref="Complete"/>.</summary>
    public BlockList<int> Successors => _succ;

    /// <summary>The ordinals of the moves from the initial world to state <paramref name="id"/>.</summary>
    public List<ushort> OrdinalsTo(int id)
    {
        var ordinals = new List<ushort>();
        for (int s = id; ;)
        {
            var (parent, move) = _links[s];
            if (parent < 0) break;
            ordinals.Add(move);
            s = parent;
        }
        ordinals.Reverse();
        return ordinals;
    }

    /// <summary>The moves from the initial world to state <paramref name="id"/>, found by replaying the stored ordinals.</summary>
    public List<Move> PathTo(TwoHostModel model, int id) => Replay.MovesFromOrdinals(model, OrdinalsTo(id));

    /// <summary>The world of state <paramref name="id"/>, rebuilt by replay.</summary>
    public World WorldOf(TwoHostModel model, int id)
    {
        var ordinals = OrdinalsTo(id);
        return Replay.Walk(model, ordinals.Count, (int i, in World w, ReadOnlySpan<Move> enabled) => enabled[ordinals[i]]);
    }

    /// <summary>Deletes the parent links' file, if any.</summary>
    public void Dispose() => _links.Dispose();
}
