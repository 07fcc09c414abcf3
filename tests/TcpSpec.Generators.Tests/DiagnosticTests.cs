using static TcpSpec.Generators.Tests.SpecText;

namespace TcpSpec.Generators.Tests;

/// <summary>
/// One broken table per diagnostic, through the generator: the ID, the file, the line and
/// column of the mistake, and the MSBuild-style text a build prints.
/// </summary>
public class DiagnosticTests
{
    private const string OnRow = "| ON | FLIP | — | Dark | OFF | Switch §1 |";
    private const string OffFallbackRow = "| OFF | FLIP | — | — | same | Switch §2 |";

    private static GeneratorRun Run(string text) => GeneratorHarness.Run(text, SwitchPath);

    private static string[] Ids(GeneratorRun run) => run.Diagnostics.Select(d => d.Id).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void The_switch_table_is_clean()
    {
        var run = Run(Switch);
        Assert.Empty(run.Diagnostics);
        Assert.Equal(3, run.Generator.GeneratedSources.Length);
    }

    [Fact]
    public void TSPEC001_row_with_too_few_cells()
    {
        var text = Edit(Switch, OnRow, "| ON | FLIP | Dark | OFF | Switch §1 |");
        var run = Run(text);
        // Only the one error: no "Dark is unused" or "ON is undecided" for the row that was dropped.
        var d = Assert.Single(run.Diagnostics);
        AssertAt(d, "TSPEC001", SwitchPath, Locate(text, "| ON | FLIP | Dark |", "|"), text, "| ON | FLIP | Dark | OFF | Switch §1 |");
        Assert.Contains("Row has 5 cells; the Transitions table has 6 columns", d.GetMessage());
    }

    [Fact]
    public void TSPEC001_row_with_too_many_cells_in_a_declaration_table()
    {
        var text = InsertAfter(Switch, "| ON | Lit.", "| DIM | Half lit. | Switch §3 | extra |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC001", SwitchPath, Locate(text, "| DIM | Half lit.", "|"), text, "| DIM | Half lit. | Switch §3 | extra |");
        Assert.Contains("Row has 4 cells; the States table has 3 columns", d.GetMessage());
    }

    [Fact]
    public void TSPEC001_guard_with_a_dangling_ampersand()
    {
        var text = Edit(Switch, "| OFF | FLIP | Powered |", "| OFF | FLIP | Powered & |");
        var d = Assert.Single(Run(text).Diagnostics);
        // The location is where the missing term should be: just after "& ".
        var (line, column) = Locate(text, "Powered & |", "Powered & |");
        AssertAt(d, "TSPEC001", SwitchPath, (line, column + "Powered & ".Length), text);
        Assert.Equal("The guard 'Powered &' has an empty term", d.GetMessage());
    }

    [Fact]
    public void TSPEC001_guard_with_a_lone_negation()
    {
        var text = Edit(Switch, "| OFF | FLIP | Powered |", "| OFF | FLIP | Powered & ! |");
        var d = Assert.Single(Run(text).Diagnostics);
        Assert.Equal("TSPEC001", d.Id);
        Assert.Equal("The guard 'Powered & !' has an empty term", d.GetMessage());
    }

    [Fact]
    public void TSPEC001_header_without_delimiter_row()
    {
        var text = Edit(Switch, "| guard | meaning | RFC |\n|---|---|---|\n", "| guard | meaning | RFC |\n");
        var run = Run(text);
        var d = Assert.Single(run.Diagnostics, e => e.Id == "TSPEC001");
        AssertAt(d, "TSPEC001", SwitchPath, Locate(text, "| guard | meaning | RFC |", "|"), text, "| guard | meaning | RFC |");
        Assert.Equal("The Guards table's header must be followed by a delimiter row such as |---|---|", d.GetMessage());
        // The Guards table is not read, so the row using Powered cannot resolve it.
        Assert.Equal(new[] { "TSPEC001", "TSPEC004" }, Ids(run));
    }

    [Fact]
    public void TSPEC001_header_with_the_wrong_number_of_columns()
    {
        var text = Edit(Switch, "| action | meaning | RFC |", "| action | meaning | RFC | notes |");
        var run = Run(text);
        var d = Assert.Single(run.Diagnostics, e => e.Id == "TSPEC001");
        AssertAt(d, "TSPEC001", SwitchPath, Locate(text, "| action | meaning", "|"), text);
        Assert.Equal("The Actions table has 4 columns; expected | action | meaning | RFC |", d.GetMessage());
    }

    [Fact]
    public void TSPEC001_empty_next_cell()
    {
        var text = Edit(Switch, OnRow, "| ON | FLIP | — | Dark |  | Switch §1 |");
        var d = Assert.Single(Run(text).Diagnostics);
        // The location is the end of the blank cell.
        var (line, column) = Locate(text, "| ON | FLIP |", "|  |");
        AssertAt(d, "TSPEC001", SwitchPath, (line, column + "|  ".Length), text);
        Assert.Contains("The next-state cell is empty", d.GetMessage());
    }

    [Fact]
    public void TSPEC001_empty_name_in_a_comma_list()
    {
        var text = Edit(Switch, OnRow, "| ON | FLIP, | — | Dark | OFF | Switch §1 |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC001", SwitchPath, Locate(text, "| ON | FLIP, |", "FLIP,"), text);
        Assert.Equal("The event cell has an empty name in 'FLIP,'", d.GetMessage());
    }

    [Fact]
    public void TSPEC001_star_not_alone_in_the_state_cell()
    {
        var text = Edit(Switch, OnRow, "| ON, * | FLIP | — | Dark | OFF | Switch §1 |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC001", SwitchPath, Locate(text, "| ON, * |", "ON"), text);
        Assert.Equal("'*' stands alone in the state cell", d.GetMessage());
    }

    [Fact]
    public void TSPEC001_declaration_without_a_name()
    {
        var text = InsertAfter(Switch, "| ON | Lit.", "| `` | Nothing. | Switch §1 |");
        var d = Assert.Single(Run(text).Diagnostics);
        Assert.Equal("TSPEC001", d.Id);
        Assert.Equal("A state declaration needs a name", d.GetMessage());
        Assert.Equal(Locate(text, "| Nothing.", "|").Line, d.Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    [Fact]
    public void TSPEC002_unknown_state_in_the_state_cell()
    {
        var text = Edit(Switch, OnRow, "| ONN | FLIP | — | Dark | OFF | Switch §1 |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC002", SwitchPath, Locate(text, "| ONN |", "ONN"), text, "ONN");
        Assert.Equal("Unknown state 'ONN' (did you mean 'ON'?): declare it in the States table", d.GetMessage());
    }

    [Fact]
    public void TSPEC002_unknown_state_in_the_next_cell()
    {
        var text = Edit(Switch, OnRow, "| ON | FLIP | — | Dark | `OF` | Switch §1 |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC002", SwitchPath, Locate(text, "| ON | FLIP |", "OF`"), text, "OF");
    }

    [Fact]
    public void TSPEC003_unknown_event()
    {
        var text = Edit(Switch, OnRow, "| ON | FLIP, FLOP | — | Dark | OFF | Switch §1 |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC003", SwitchPath, Locate(text, "FLIP, FLOP", "FLOP"), text, "FLOP");
        Assert.Equal("Unknown event 'FLOP' (did you mean 'FLIP'?): declare it in the Events table", d.GetMessage());
    }

    [Fact]
    public void TSPEC004_unknown_guard()
    {
        var text = Edit(Switch, "| OFF | FLIP | Powered |", "| OFF | FLIP | Powered & !Wired |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC004", SwitchPath, Locate(text, "!Wired", "Wired"), text, "Wired");
        Assert.Equal("Unknown guard 'Wired': declare it in the Guards table", d.GetMessage());
    }

    [Fact]
    public void A_misspelt_name_gets_a_did_you_mean()
    {
        var text = Edit(Switch, "| OFF | FLIP | Powered |", "| OFF | FLIP | !Powerd |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC004", SwitchPath, Locate(text, "!Powerd", "Powerd"), text, "Powerd");
        Assert.Equal("Unknown guard 'Powerd' (did you mean 'Powered'?): declare it in the Guards table", d.GetMessage());
    }

    [Fact]
    public void TSPEC005_unknown_action()
    {
        var text = Edit(Switch, OnRow, "| ON | FLIP | — | Dark, **Click** | OFF | Switch §1 |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC005", SwitchPath, Locate(text, "Click", "Click"), text, "Click");
        Assert.Equal("Unknown action 'Click': declare it in the Actions table", d.GetMessage());
    }

    [Fact]
    public void TSPEC006_name_declared_twice()
    {
        var text = InsertAfter(Switch, "| Dark | Turn the lamp off.", "| Light | Again. | Switch §1 |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC006", SwitchPath, Locate(text, "| Light | Again.", "Light"), text, "Light");
        int first = Locate(text, "| Light | Turn the lamp on.", "Light").Line;
        Assert.Equal($"Action 'Light' is declared more than once (first at line {first})", d.GetMessage());
    }

    [Fact]
    public void TSPEC006_two_names_with_one_csharp_identifier()
    {
        var text = InsertAfter(Switch, "| ON | Lit.", "| On | Also lit. | Switch §1 |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC006", SwitchPath, Locate(text, "| On | Also lit.", "On"), text, "On");
        Assert.Contains("'On (C# name On)'", d.GetMessage());
    }

    [Fact]
    public void TSPEC006_guard_and_action_with_one_csharp_identifier()
    {
        // Both would be methods Dark(ref SwitchContext) of SwitchMachine: the generated code could not compile.
        var text = InsertAfter(Switch, "| Powered | The mains are on.", "| Dark | The room is dark. | Switch §2 |");
        text = Edit(text, "| OFF | FLIP | Powered |", "| OFF | FLIP | Powered & Dark |");
        var diags = Run(text).Diagnostics;
        Assert.Equal(new[] { "TSPEC006", "TSPEC005" }, diags.Select(d => d.Id));
        AssertAt(diags[0], "TSPEC006", SwitchPath, Locate(text, "| Dark | Turn the lamp off.", "Dark"), text, "Dark");
        int first = Locate(text, "| Dark | The room is dark.", "Dark").Line;
        Assert.Equal($"Action 'Dark (C# name Dark, as guard 'Dark')' is declared more than once (first at line {first})", diags[0].GetMessage());
        // The action is not declared, so the row using it cannot resolve it.
        AssertAt(diags[1], "TSPEC005", SwitchPath, Locate(text, "| ON | FLIP |", "Dark"), text, "Dark");
    }

    [Fact]
    public void TSPEC007_duplicate_row()
    {
        var text = InsertAfter(Switch, "| OFF | FLIP | Powered |", "| OFF | FLIP | Powered | Dark | same | Switch §3 |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC007", SwitchPath, Locate(text, "| Dark | same | Switch §3 |", "OFF"), text, "OFF");
        int first = Locate(text, "| OFF | FLIP | Powered | Light", "OFF").Line;
        Assert.Equal($"Duplicate row for (OFF, FLIP) with guard 'Powered': the row at line {first} already has it", d.GetMessage());
    }

    [Fact]
    public void TSPEC008_row_after_an_unguarded_row()
    {
        var text = InsertAfter(Switch, OffFallbackRow, "| OFF | FLIP | !Powered | Dark | same | Switch §3 |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC008", SwitchPath, Locate(text, "| !Powered |", "OFF"), text, "OFF");
        Assert.StartsWith("Row can never fire for (OFF, FLIP)", d.GetMessage());
    }

    [Fact]
    public void TSPEC009_cell_undecided_for_one_guard_outcome()
    {
        var text = Edit(Switch, OffFallbackRow + "\n", "");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC009", SwitchPath, Locate(text, "| OFF | FLIP | Powered |", "OFF"), text, "OFF");
        Assert.Equal("(OFF, FLIP) is undecided when !Powered: add a row for it, or an explicit ignore/drop row", d.GetMessage());
    }

    [Fact]
    public void TSPEC010_unreachable_state()
    {
        var text = InsertAfter(Switch, "| ON | Lit.", "| BROKEN | Out of order. | Switch §3 |");
        text = InsertAfter(text, OnRow, "| BROKEN | FLIP | — | — | OFF | Switch §3 |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC010", SwitchPath, Locate(text, "| BROKEN | Out of order.", "BROKEN"), text, "BROKEN");
        Assert.Equal("State 'BROKEN' is unreachable from the initial state 'OFF'", d.GetMessage());
    }

    [Fact]
    public void TSPEC011_state_with_no_path_home()
    {
        var text = InsertAfter(Switch, "| ON | Lit.", "| STUCK | Welded on. | Switch §3 |");
        text = Edit(text, OnRow, "| ON | FLIP | Powered | — | STUCK | Switch §3 |\n| STUCK | FLIP | — | — | same | Switch §3 |\n" + OnRow);
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC011", SwitchPath, Locate(text, "| STUCK | Welded on.", "STUCK"), text, "STUCK");
        Assert.Equal("State 'STUCK' has no path back to 'OFF'", d.GetMessage());
    }

    [Fact]
    public void TSPEC012_unused_guard_is_a_warning()
    {
        var text = InsertAfter(Switch, "| Powered | The mains are on.", "| Wired | The lamp is connected. | Switch §2 |");
        var run = Run(text);
        var d = Assert.Single(run.Diagnostics);
        AssertAt(d, "TSPEC012", SwitchPath, Locate(text, "| Wired |", "Wired"), text, "Wired");
        Assert.Equal("Guard 'Wired' is declared but no row uses it", d.GetMessage());
        Assert.Equal(3, run.Generator.GeneratedSources.Length); // a warning does not stop the generator
    }

    [Fact]
    public void A_guard_declared_for_profiles_need_not_be_used_by_the_table()
    {
        // A | profile-guard | table declares guards for profile overlays' rows (spec/profiles/):
        // no row of the table uses them, and that is no TSPEC012; the generator still declares them.
        var text = InsertAfter(Switch, "| Powered | The mains are on.",
            "\n### Guards for profiles\n\n| profile-guard | meaning | RFC |\n|---|---|---|\n| Wired | The lamp is connected. | Switch §2 |");
        var run = Run(text);
        Assert.Empty(run.Diagnostics);
        Assert.Contains(run.Sources.Values, s => s.Contains("\"Wired\"", StringComparison.Ordinal));
        // The same guard in the table's own Guards table is still reported unused.
        var plain = InsertAfter(Switch, "| Powered | The mains are on.", "| Wired | The lamp is connected. | Switch §2 |");
        Assert.Equal("TSPEC012", Assert.Single(Run(plain).Diagnostics).Id);
    }

    [Fact]
    public void TSPEC013_unused_action_is_a_warning()
    {
        var text = InsertAfter(Switch, "| Dark | Turn the lamp off.", "| Click | Make a noise. | Switch §1 |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC013", SwitchPath, Locate(text, "| Click |", "Click"), text, "Click");
        Assert.Equal("Action 'Click' is declared but no row uses it", d.GetMessage());
    }

    [Fact]
    public void TSPEC014_missing_tables()
    {
        const string text = "# Empty\n\nOnly prose, and a table that is not machine:\n\n| key | value |\n|---|---|\n| a | b |\n";
        var run = Run(text);
        Assert.Equal(3, run.Diagnostics.Length);
        Assert.All(run.Diagnostics, d => AssertAt(d, "TSPEC014", SwitchPath, (1, 1), text));
        Assert.Equal(
            new[] { "The spec has no States table", "The spec has no Events table", "The spec has no Transitions table" },
            run.Diagnostics.Select(d => d.GetMessage()));
        Assert.Empty(run.Generator.GeneratedSources);
    }

    [Fact]
    public void TSPEC015_row_without_rfc()
    {
        var text = Edit(Switch, OnRow, "| ON | FLIP | — | Dark | OFF |  |");
        var d = Assert.Single(Run(text).Diagnostics);
        var (line, column) = Locate(text, "| ON | FLIP |", "| OFF |  |");
        AssertAt(d, "TSPEC015", SwitchPath, (line, column + "| OFF |".Length), text);
    }

    [Fact]
    public void TSPEC015_declaration_with_a_dash_for_rfc()
    {
        var text = Edit(Switch, "| ON | Lit. | Switch §1 |", "| ON | Lit. | — |");
        var d = Assert.Single(Run(text).Diagnostics);
        var (line, column) = Locate(text, "| ON | Lit.", "| — |");
        AssertAt(d, "TSPEC015", SwitchPath, (line, column + 1), text);
        Assert.Equal("Every row and declaration cites its RFC section: the RFC cell is empty", d.GetMessage());
    }

    [Fact]
    public void TSPEC016_state_name_with_a_space()
    {
        var text = InsertAfter(Switch, "| ON | Lit.", "| HALF ON | Dimmed. | Switch §3 |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC016", SwitchPath, Locate(text, "| HALF ON |", "HALF"), text, "HALF ON");
        Assert.Equal("'HALF ON' is not a valid state name: ' ' is not allowed (use letters, digits, '-' and '_')", d.GetMessage());
    }

    [Fact]
    public void TSPEC016_reserved_and_keyword_names()
    {
        var text = InsertAfter(Switch, "| ON | Lit.", "| same | Reserved. | Switch §3 |");
        text = InsertAfter(text, "| Powered | The mains", "| class | A keyword. | Switch §3 |");
        var diags = Run(text).Diagnostics;
        Assert.Equal(2, diags.Length);
        AssertAt(diags[0], "TSPEC016", SwitchPath, Locate(text, "| same | Reserved.", "same"), text, "same");
        Assert.Equal("'same' is not a valid state name: it is reserved", diags[0].GetMessage());
        AssertAt(diags[1], "TSPEC016", SwitchPath, Locate(text, "| class |", "class"), text, "class");
        Assert.Equal("'class' is not a valid guard name: it is a C# keyword", diags[1].GetMessage());
    }

    [Fact]
    public void TSPEC016_a_guard_named_like_a_generated_member()
    {
        var text = InsertAfter(Switch, "| Powered | The mains", "| Rows | Shadows TcpMachine.Rows. | Switch §3 |");
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC016", SwitchPath, Locate(text, "| Rows |", "Rows"), text, "Rows");
        Assert.Equal("'Rows' is not a valid guard name: the generated machine class has a member of that name", d.GetMessage());
    }

    [Fact]
    public void TSPEC016_bad_guard_term_in_a_row()
    {
        var text = Edit(Switch, "| OFF | FLIP | Powered |", "| OFF | FLIP | Powered or Wired |");
        // Only the one error: the dropped row does not make ON unreachable or Light unused.
        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC016", SwitchPath, Locate(text, "| Powered or Wired |", "Powered"), text, "Powered or Wired");
    }

    [Fact]
    public void Every_rule_is_a_distinct_stable_id()
    {
        var ids = TcpSpec.Language.SpecRules.All.Select(r => r.Id).ToArray();
        Assert.Equal(Enumerable.Range(0, 23).Select(i => $"TSPEC{i:000}"), ids);
    }
}
