using System.Runtime.InteropServices;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Strategies;

/// <summary>
/// The states an exhaustive search found, by id in breadth-first order (the initial world is 0),
/// and the transitions between them. A state keeps only how it was first reached (its parent
/// and the ordinal of the move among the parent's enabled moves), so a world is rebuilt by
/// replaying the ordinals from the initial world. Liveness reads the graph after the search.
/// </summary>
internal sealed class StateGraph
{
    /// <summary>A state's kind: expanded, an ending (no move enabled), or beyond the in-flight bound.</summary>
    public const byte Expanded = 0, Ending = 1, Bounded = 2;

    private readonly List<int> _parent = new();
    private readonly List<ushort> _move = new();
    private readonly List<byte> _kind = new();
    private readonly List<int> _succStart = new();
    private readonly List<int> _succ = new();

    public int Count => _parent.Count;

    /// <summary>Adds a state reached from <paramref name="parent"/> (-1 for the initial world) by the move of ordinal <paramref name="move"/>; returns its id.</summary>
    public int Add(int parent, ushort move, byte kind)
    {
        _parent.Add(parent);
        _move.Add(move);
        _kind.Add(kind);
        return _parent.Count - 1;
    }

    public byte KindOf(int id) => _kind[id];

    public void MarkEnding(int id) => _kind[id] = Ending;

    /// <summary>Starts the successor list of <paramref name="from"/>: states' lists are added in increasing id order.</summary>
    public void StartSuccessors(int from)
    {
        while (_succStart.Count <= from) _succStart.Add(_succ.Count);
    }

    public void AddSuccessor(int id) => _succ.Add(id);

    /// <summary>Closes the successor lists once the search is over (the states never expanded get empty ones).</summary>
    public void Complete() => StartSuccessors(_parent.Count);

    /// <summary>Successor list starts, indexed by state id (one more entry than states), after <see cref="Complete"/>.</summary>
    public ReadOnlySpan<int> SuccessorStarts => CollectionsMarshal.AsSpan(_succStart);

    /// <summary>All successor lists end to end.</summary>
    public ReadOnlySpan<int> Successors => CollectionsMarshal.AsSpan(_succ);

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
