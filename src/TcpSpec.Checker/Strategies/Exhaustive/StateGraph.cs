using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Strategies;

/// <summary>
/// The states an exhaustive search found, by id in breadth-first order (the initial world is 0),
/// and — when the liveness pass needs them — the transitions between them. A state keeps only
/// how it was first reached (its parent's id and the ordinal of the move among the parent's
/// enabled moves: 5 bytes) and its kind (1 byte), so a world is rebuilt by replaying the
/// ordinals from the initial world. Every list is a <see cref="BlockList{T}"/>: growing never copies.
/// </summary>
internal sealed class StateGraph(bool withTransitions = true)
{
    /// <summary>Writes the graph to a checkpoint (during the search: before <see cref="Complete"/>).</summary>
    public void Save(CheckpointWriter w)
    {
        w.Bool(withTransitions);
        _parent.Save(w);
        _move.Save(w);
        _kind.Save(w);
        _succStart.Save(w);
        _succ.Save(w);
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public static StateGraph Load(CheckpointReader r)
    {
        var g = new StateGraph(r.Bool());
        g._parent = BlockList<int>.Load(r);
        g._move = BlockList<byte>.Load(r);
        g._kind = BlockList<byte>.Load(r);
        g._succStart = BlockList<int>.Load(r);
        g._succ = BlockList<int>.Load(r);
        if (g._move.Count != g._parent.Count || g._kind.Count != g._parent.Count) throw new InvalidDataException("the state graph's lists disagree in length");
        return g;
    }

    /// <summary>A state's kind: expanded, an ending (no move enabled), or beyond the in-flight bound.</summary>
    public const byte Expanded = 0, Ending = 1, Bounded = 2;

    private BlockList<int> _parent = new();
    private BlockList<byte> _move = new();
    private BlockList<byte> _kind = new();
    private BlockList<int> _succStart = new();
    private BlockList<int> _succ = new();
    private int[]? _starts;

    public int Count => (int)_parent.Count;

    /// <summary>Whether the transitions are kept (for the liveness pass).</summary>
    public bool HasTransitions => withTransitions;

    /// <summary>Bytes the graph holds.</summary>
    public long Bytes => _parent.Bytes + _move.Bytes + _kind.Bytes + _succStart.Bytes + _succ.Bytes;

    /// <summary>Adds a state reached from <paramref name="parent"/> (-1 for the initial world) by the move of ordinal <paramref name="move"/>; returns its id.</summary>
    public int Add(int parent, int move, byte kind)
    {
        _parent.Add(parent);
        _move.Add((byte)move);
        _kind.Add(kind);
        return Count - 1;
    }

    public byte KindOf(int id) => _kind[id];

    public void MarkEnding(int id) => _kind[id] = Ending;

    /// <summary>The state <paramref name="id"/> was first reached from (-1 for the initial world).</summary>
    public int ParentOf(int id) => _parent[id];

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
        for (int s = id; _parent[s] >= 0; s = _parent[s]) ordinals.Add(_move[s]);
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
}
