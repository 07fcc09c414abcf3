using TcpSpec.Checker.Mutation;
using TcpSpec.Language;

namespace TcpSpec.Checker.Tests.Mutation;

public class EquivalenceTests
{
    // The switch of MutantGeneratorTests with the else row guarded by !Powered: the two OFF × FLIP rows are disjoint.
    private static readonly string Switch =
        SwitchTable.Text.Replace("| OFF | FLIP | — | — | same | Switch §2 |", "| OFF | FLIP | !Powered | — | same | Switch §2 |");

    private static string? Why(Mutant m) =>
        Equivalence.Why(SpecAnalyzer.Compile("switch.spec.md", Switch), SpecAnalyzer.Compile("switch.spec.md", m.Apply(Switch)));

    private static Mutant One(string op, string descriptionPart) =>
        MutantGenerator.Generate("switch.spec.md", Switch, [op]).Single(m => m.Description.Contains(descriptionPart, StringComparison.Ordinal));

    [Fact]
    public void A_guard_term_the_cells_other_rows_imply_is_equivalent_to_remove()
    {
        // The first row takes every Powered valuation, so the else row needs no '!Powered'.
        Assert.NotNull(Why(One("remove-term", "'!Powered'")));
    }

    [Fact]
    public void A_guard_term_that_decides_is_not_equivalent_to_remove_or_negate()
    {
        Assert.Null(Why(One("remove-term", "'Powered' from")));
        Assert.Null(Why(One("negate-term", "'Powered' → '!Powered'")));
    }

    [Fact]
    public void Moving_a_row_above_a_disjoint_one_is_equivalent()
    {
        Assert.NotNull(Why(One("move-row", "OFF × FLIP")));
    }

    [Fact]
    public void Changing_a_next_state_or_an_action_is_not_equivalent()
    {
        Assert.Null(Why(One("change-next", "'ON' → 'OFF'")));
        Assert.Null(Why(One("remove-action", "'Dark'")));
    }

    [Fact]
    public void Change_next_to_the_rows_own_state_is_the_same_as_same()
    {
        // OFF × FLIP with !Powered stays in OFF: writing OFF instead of 'same' changes no decision.
        var table = Switch.Replace("| !Powered | — | same |", "| !Powered | — | OFF |");
        var m = MutantGenerator.Generate("switch.spec.md", table, ["change-next"]).Single(x => x.Description.StartsWith("next state 'OFF' → 'ON' in OFF", StringComparison.Ordinal));
        Assert.Null(Equivalence.Why(SpecAnalyzer.Compile("s", table), SpecAnalyzer.Compile("s", m.Apply(table))));
        Assert.NotNull(Equivalence.Why(SpecAnalyzer.Compile("s", table), SpecAnalyzer.Compile("s", Switch)));
    }
}
