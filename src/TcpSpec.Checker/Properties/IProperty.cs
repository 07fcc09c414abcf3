using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// A monitor, in Coyote's sense: it watches every move of every explored run. Safety
/// properties judge each move (<see cref="CheckStep"/>); ending properties judge every world in
/// which no move is enabled (<see cref="CheckEnding"/>), and together they define the good
/// endings that the liveness check requires to stay reachable from every world. Return null
/// when the property holds, or a sentence saying what went wrong.
/// </summary>
public interface IProperty
{
    /// <summary>A short kebab-case name, used on the command line and in file names.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>
    /// The facts of a move (<see cref="StepFacts"/>) without which <see cref="CheckStep"/> always
    /// holds: the search calls it only on moves that have at least one of them. The default,
    /// <see cref="StepFacts.Any"/>, is every move; <see cref="StepFacts.None"/> is a property
    /// judged only at endings. A speed-up, never a change of verdict: declare only what
    /// CheckStep's own first tests imply.
    /// </summary>
    StepFacts Interest => StepFacts.Any;

    string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log) => null;

    string? CheckEnding(TwoHostModel model, in World world) => null;
}

/// <summary>Build a property from C# predicates without writing a class.</summary>
public sealed class Property : IProperty
{
    private readonly Func<TwoHostModel, World, string?>? _invariant;
    private readonly Func<TwoHostModel, World, string?>? _ending;

    private Property(string name, string description, Func<TwoHostModel, World, string?>? invariant, Func<TwoHostModel, World, string?>? ending)
    {
        Name = name;
        Description = description;
        _invariant = invariant;
        _ending = ending;
    }

    public string Name { get; }

    public string Description { get; }

    public StepFacts Interest => _invariant is null ? StepFacts.None : StepFacts.Any;

    /// <summary>A state invariant: checked on the world after every move.</summary>
    public static IProperty Invariant(string name, string description, Func<TwoHostModel, World, string?> check) =>
        new Property(name, description, check, null);

    /// <summary>A condition every ending (a world with no enabled move) must meet.</summary>
    public static IProperty Ending(string name, string description, Func<TwoHostModel, World, string?> check) =>
        new Property(name, description, null, check);

    public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log) => _invariant?.Invoke(model, after);

    public string? CheckEnding(TwoHostModel model, in World world) => _ending?.Invoke(model, world);
}
