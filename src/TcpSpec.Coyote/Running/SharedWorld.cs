using TcpSpec.Checker;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using Microsoft.Coyote.Actors;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Coyote.Actors;

namespace TcpSpec.Coyote;

/// <summary>
/// The one model of a Coyote iteration: the checker's <see cref="World"/> (two hosts, the
/// network's in-flight multiset, the budgets) and its <see cref="Stepper"/>, the checker's own
/// move relation. The actors decide which move happens next; every move is the stepper's, so
/// nothing about TCP or the network rules is written twice. Coyote runs one actor at a time
/// during systematic testing, so plain fields suffice.
/// </summary>
internal sealed class SharedWorld
{
    private readonly Stepper _stepper;
    private readonly Move[] _buffer = new Move[Stepper.MaxMoves];

    public SharedWorld(TwoHostModel spec, ExplorationRecord record)
    {
        Spec = spec;
        Record = record;
        _stepper = new Stepper(spec);
        World = spec.Initial;
        record.Visit(World);
        record.Current = this;
    }

    public TwoHostModel Spec { get; }
    public ExplorationRecord Record { get; }
    public World World;

    /// <summary>The moves of this run so far: with the model, all it takes to replay it.</summary>
    public List<Move> Path { get; } = new();

    /// <summary>The actors, indexed by <see cref="MoveSource"/>.</summary>
    public ActorId[] Actors { get; } = new ActorId[MoveSources.Count];

    /// <summary>Actors that found no move of theirs and wait to be woken by someone else's move.</summary>
    public bool[] Idle { get; } = new bool[MoveSources.Count];

    public bool OutOfBounds => _stepper.OutOfBounds(World);

    /// <summary>The enabled moves of <paramref name="source"/>, in the stepper's canonical order.</summary>
    public List<Move> MovesOf(MoveSource source)
    {
        var result = new List<Move>();
        if (OutOfBounds) return result;
        int n = _stepper.Enumerate(World, _buffer);
        for (int i = 0; i < n; i++)
        {
            if (MoveSources.Of(_buffer[i]) == source) result.Add(_buffer[i]);
        }
        return result;
    }

    /// <summary>Applies a move; returns the world before it. <see cref="Log"/> then says what the engine did.</summary>
    public World Apply(Move m)
    {
        var before = World;
        _stepper.Apply(ref World, m);
        Path.Add(m);
        Record.Moves++;
        Record.MaxDepth = Math.Max(Record.MaxDepth, Path.Count);
        Record.Visit(World);
        foreach (var s in _stepper.Log.Steps) Record.Coverage.Record(s);
        return before;
    }

    public StepLog Log => _stepper.Log;
}
