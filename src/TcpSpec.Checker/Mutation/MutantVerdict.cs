namespace TcpSpec.Checker.Mutation;

/// <summary>What became of a mutant (issue 11).</summary>
public enum Verdict
{
    /// <summary>A default scenario violated a property (or could not start, or the engine failed on it).</summary>
    Killed,

    /// <summary>The analyzer rejected the mutated table: it does not compile.</summary>
    CaughtStatically,

    /// <summary>Every default scenario held.</summary>
    Survived,

    /// <summary>Provably the same behaviour as the table (see <see cref="Equivalence"/>); not counted in the kill rate.</summary>
    Equivalent,

    /// <summary>No scenario killed it and at least one hit the per-mutant state cap.</summary>
    OutOfBudget,
}

/// <summary>
/// The verdict on one mutant and its evidence: for a kill the scenario, the property and the
/// counterexample's length in moves; for a static catch the TSPEC ids; for a survivor why
/// (<see cref="Reached"/>: whether the real table's run of the default scenarios ever fires the
/// row it edits); for an equivalent mutant the reason.
/// </summary>
public sealed record MutantResult(Mutant Mutant, Verdict Verdict, string Detail)
{
    public string? Scenario { get; init; }
    public string? Property { get; init; }
    public int? CounterexampleLength { get; init; }
    public IReadOnlyList<string> DiagnosticIds { get; init; } = [];
    /// <summary>Whether the row the mutant edits fires in the real table's default scenarios.</summary>
    public bool Reached { get; init; }
    /// <summary>States explored for this mutant, over the scenarios run.</summary>
    public long States { get; init; }
    /// <summary>Scenarios run on the mutant before the verdict.</summary>
    public int ScenariosRun { get; init; }

    public static string Name(Verdict v) => v switch
    {
        Verdict.Killed => "killed",
        Verdict.CaughtStatically => "caught-statically",
        Verdict.Survived => "survived",
        Verdict.Equivalent => "equivalent",
        Verdict.OutOfBudget => "out-of-budget",
        _ => v.ToString(),
    };
}
