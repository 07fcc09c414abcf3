using TcpSpec.Language;

namespace TcpSpec.Generators.Tests;

/// <summary>The table language's semantics: <c>*</c> rows, guards, <c>same</c>, shadowed and undecided cells.</summary>
public class AnalyzerTests
{
    private static MachineModel Compile(string text) => SpecAnalyzer.Compile(MiniSpec.Path, text);

    private static string[] Ids(MachineModel m) => m.Diagnostics.Select(d => d.Id).ToArray();

    private static int[] CellRows(MachineModel m, string state, string evt) =>
        m.Cell(m.States.Select(s => s.Name).ToList().IndexOf(state), m.Events.Select(e => e.Name).ToList().IndexOf(evt)).Rows.ToArray();

    [Fact]
    public void Star_row_applies_only_to_cells_without_a_specific_row()
    {
        var m = Compile(MiniSpec.Build("A, B, C", "GO, STOP", "", "Act",
            "| * | GO, STOP | — | — | same |",   // row 1
            "| A | GO | — | Act | B |",          // row 2: after the * row, still takes A × GO
            "| B | GO | — | Act | C |",          // row 3
            "| C | GO, STOP | — | — | A |"));    // row 4
        Assert.Empty(m.Diagnostics);
        Assert.Equal(new[] { 2 }, CellRows(m, "A", "GO"));
        Assert.Equal(new[] { 1 }, CellRows(m, "A", "STOP"));
        Assert.Equal(new[] { 3 }, CellRows(m, "B", "GO"));
        Assert.Equal(new[] { 1 }, CellRows(m, "B", "STOP"));
        Assert.Equal(new[] { 4 }, CellRows(m, "C", "STOP"));
        Assert.True(m.Cell(0, 1).FromAnyState);
        Assert.False(m.Cell(0, 0).FromAnyState);
    }

    [Fact]
    public void Star_row_does_not_complete_a_cell_whose_specific_rows_leave_a_case_open()
    {
        var m = Compile(MiniSpec.Build("A, B", "GO", "G", "Act",
            "| A | GO | G | Act | B |",
            "| * | GO | — | — | A |"));
        var d = Assert.Single(m.Diagnostics);
        Assert.Equal("TSPEC009", d.Id);
        Assert.Equal("(A, GO) is undecided when !G: add a row for it, or an explicit ignore/drop row", d.Message);
        Assert.Equal(MiniSpec.FirstRowLine, d.Location.Line);
    }

    [Fact]
    public void Comma_lists_decide_every_state_and_event_pair_they_name()
    {
        var m = Compile(MiniSpec.Build("A, B", "X, Y, Z", "", "Act",
            "| A, B | X, Z | — | Act | B |",
            "| A, B | Y | — | — | A |"));
        Assert.Empty(m.Diagnostics);
        Assert.Equal(new[] { 0, 1 }, m.Row(1).States.ToArray());
        Assert.Equal(new[] { 0, 2 }, m.Row(1).Events.ToArray());
        Assert.All(m.Cells, c => Assert.Equal(new[] { c.Event == 1 ? 2 : 1 }, c.Rows.ToArray()));
        Assert.Equal(new[] { "A, B", "X, Z" }, new[] { m.StatesText(m.Row(1)), m.EventsText(m.Row(1)) });
    }

    [Fact]
    public void Same_keeps_the_state_of_each_cell()
    {
        var m = Compile(MiniSpec.Build("A, B", "GO, STAY", "", "",
            "| A | GO | — | — | B |",
            "| B | GO | — | — | A |",
            "| A, B | STAY | — | — | same |"));
        Assert.Empty(m.Diagnostics);
        var stay = m.Row(3);
        Assert.Equal(MachineModel.SameState, stay.Next);
        Assert.Equal(0, m.NextOf(stay, 0));
        Assert.Equal(1, m.NextOf(stay, 1));
        Assert.Equal("same", m.NextText(stay));
    }

    [Fact]
    public void Negation_and_conjunction_resolve_to_guard_terms()
    {
        var m = Compile(MiniSpec.Build("A, B", "GO", "G, H", "",
            "| A | GO | G & !H | — | B |",
            "| A | GO | not G and H | — | B |",
            "| A | GO | — | — | same |",
            "| B | GO | — | — | A |"));
        Assert.Empty(m.Diagnostics);
        Assert.Equal(new[] { new GuardTermModel(0, false), new GuardTermModel(1, true) }, m.Row(1).Guard.ToArray());
        Assert.Equal(new[] { new GuardTermModel(0, true), new GuardTermModel(1, false) }, m.Row(2).Guard.ToArray());
        Assert.Equal("!G & H", m.GuardText(m.Row(2)));
    }

    [Fact]
    public void Complementary_guards_shadow_a_later_unguarded_row()
    {
        var m = Compile(MiniSpec.Build("A, B", "GO", "G", "",
            "| A | GO | G | — | B |",
            "| A | GO | !G | — | same |",
            "| A | GO | — | — | B |",
            "| B | GO | — | — | A |"));
        var d = Assert.Single(m.Diagnostics);
        Assert.Equal("TSPEC008", d.Id);
        Assert.Equal((MiniSpec.FirstRowLine + 2, 3), (d.Location.Line, d.Location.Column));
        Assert.Equal($"Row can never fire for (A, GO): the earlier row(s) at line {MiniSpec.FirstRowLine}, {MiniSpec.FirstRowLine + 1} already decide every case its guard admits", d.Message);
    }

    [Fact]
    public void A_row_covered_by_two_partial_rows_is_shadowed()
    {
        // G & H, then G & !H: together they take every case with G, so a later G row never fires.
        var m = Compile(MiniSpec.Build("A, B", "GO", "G, H", "",
            "| A | GO | G & H | — | B |",
            "| A | GO | G & !H | — | B |",
            "| A | GO | G | — | same |",
            "| A | GO | — | — | same |",
            "| B | GO | — | — | A |"));
        var d = Assert.Single(m.Diagnostics);
        Assert.Equal("TSPEC008", d.Id);
        Assert.Equal(MiniSpec.FirstRowLine + 2, d.Location.Line);
    }

    [Fact]
    public void Self_contradicting_guard_can_never_fire()
    {
        var m = Compile(MiniSpec.Build("A, B", "GO", "G", "",
            "| A | GO | G & !G | — | B |",
            "| A | GO | — | — | B |",
            "| B | GO | — | — | A |"));
        var d = Assert.Single(m.Diagnostics);
        Assert.Equal("TSPEC008", d.Id);
        Assert.Equal("Row can never fire for (A, GO): the earlier row(s) at line (none: the guard contradicts itself) already decide every case its guard admits", d.Message);
    }

    [Fact]
    public void Guard_pair_missing_a_case_is_undecided()
    {
        var m = Compile(MiniSpec.Build("A, B", "GO", "G, H", "",
            "| A | GO | G & H | — | B |",
            "| A | GO | !G | — | same |",
            "| B | GO | — | — | A |"));
        var d = Assert.Single(m.Diagnostics);
        Assert.Equal("TSPEC009", d.Id);
        Assert.Equal("(A, GO) is undecided when G & !H: add a row for it, or an explicit ignore/drop row", d.Message);
        Assert.Equal(MiniSpec.FirstRowLine + 1, d.Location.Line); // at the cell's last row
    }

    [Fact]
    public void Conjunction_order_does_not_matter_for_duplicates()
    {
        var m = Compile(MiniSpec.Build("A, B", "GO", "G, H", "",
            "| A | GO | G & !H | — | B |",
            "| A | GO | !H & G | — | same |",
            "| A | GO | — | — | same |",
            "| B | GO | — | — | A |"));
        var d = Assert.Single(m.Diagnostics);
        Assert.Equal("TSPEC007", d.Id);
        Assert.Equal(MiniSpec.FirstRowLine + 1, d.Location.Line);
        Assert.Equal($"Duplicate row for (A, GO) with guard '!H & G': the row at line {MiniSpec.FirstRowLine} already has it", d.Message);
    }

    [Fact]
    public void A_repeated_term_is_a_duplicate_of_the_single_term()
    {
        var m = Compile(MiniSpec.Build("A, B", "GO", "G", "",
            "| A | GO | G | — | B |",
            "| A | GO | G & G | — | same |",
            "| A | GO | — | — | same |",
            "| B | GO | — | — | A |"));
        Assert.Equal(new[] { "TSPEC007" }, Ids(m));
    }

    [Fact]
    public void A_repeated_term_is_not_a_duplicate_of_a_different_guard()
    {
        // "G & G" admits every case with G; "G & H" only some of them, all taken already: shadowed, not duplicate.
        var m = Compile(MiniSpec.Build("A, B", "GO", "G, H", "",
            "| A | GO | G & G | — | B |",
            "| A | GO | G & H | — | same |",
            "| A | GO | — | — | same |",
            "| B | GO | — | — | A |"));
        Assert.Equal(new[] { "TSPEC008" }, Ids(m));
    }

    [Fact]
    public void Each_cell_lists_its_rows_in_table_order()
    {
        var m = SpecAnalyzer.Compile("tcp.spec.md", GeneratorHarness.TcpSpecText);
        Assert.Empty(m.Diagnostics);
        Assert.Equal(m.States.Count * m.Events.Count, m.Cells.Count);
        Assert.All(m.Cells, c =>
        {
            Assert.NotEmpty(c.Rows);
            Assert.Equal(c.Rows.Order(), c.Rows);
            // Only the last row of a cell may be unguarded, and it must be: every cell is decided.
            Assert.Empty(m.Row(c.Rows[c.Rows.Count - 1]).Guard);
            Assert.All(c.Rows.Take(c.Rows.Count - 1), id => Assert.NotEmpty(m.Row(id).Guard));
        });
    }
}
