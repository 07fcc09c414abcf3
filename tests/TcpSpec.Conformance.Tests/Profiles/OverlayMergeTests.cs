using TcpSpec.Testing;

namespace TcpSpec.Conformance.Tests.Profiles;

/// <summary>How an overlay's rows take their place among the base table's rows.</summary>
public class OverlayMergeTests
{
    private static readonly string Linux = File.ReadAllText(Repo.Path("spec", "profiles", "linux.md")).Replace("\r\n", "\n");

    private static List<string> RowsAround(Profile p, string contains) =>
        p.Engine.Rows.Select(r => r.Description).Where(d => d.Contains(contains)).ToList();

    [Fact]
    public void Replacing_one_cell_of_a_wider_row_splits_it_and_takes_the_cells_place()
    {
        var text = Linux.Replace("| replace | TIME-WAIT | RST, RST-ACK | — | Drop |", "| replace | TIME-WAIT | RST | — | Drop |");
        var p = Profile.Compile("test", "test.md", text, Profile.TablePath, BuiltIn.Table(), out var diagnostics);
        Assert.Empty(diagnostics);
        var rows = p!.Engine.Rows.Select(r => r.Description).ToList();
        int i = rows.IndexOf("CLOSING, LAST-ACK × RST, RST-ACK / DeleteTcb → CLOSED");
        Assert.True(i >= 0, string.Join("\n", rows));
        // What is left of the base row (TIME-WAIT × RST-ACK), then the replacement, where the base row was: after the cell's guarded rows.
        Assert.Equal(["TIME-WAIT × RST-ACK / DeleteTcb → CLOSED", "TIME-WAIT × RST / Drop → same"], rows.Skip(i + 1).Take(2));
        Assert.Equal("tcp_rfc1337", p.DeviationRows[i + 3].Id);
        Assert.Equal(TcpMachine.RowCount + 5, rows.Count); // the split, and the four added rows (two of them syn-text-dropped)
    }

    [Fact]
    public void An_added_row_is_tried_first_in_its_cell_and_the_table_rows_keep_their_order()
    {
        var p = Profile.Linux().Without(new HashSet<string>())!; // every deviation, tcp_rfc1337's replacement too
        var synRows = RowsAround(p, "TIME-WAIT × SYN");
        Assert.StartsWith("TIME-WAIT × SYN [PassiveOpen & !InOrder & !RstExact]", synRows[0]);
        var baseRows = p.Engine.Rows.Where(r => !p.DeviationRows.ContainsKey(r.Id)).Select(r => r.Description).ToList();
        var table = TcpSpec.Engines.InterpretedEngine.FromText(Profile.TablePath, BuiltIn.Table(), out _)!;
        var expected = table.Rows.Select(r => r.Description)
            .Select(d => d == "CLOSING, LAST-ACK, TIME-WAIT × RST, RST-ACK / DeleteTcb → CLOSED" ? "CLOSING, LAST-ACK × RST, RST-ACK / DeleteTcb → CLOSED" : d).ToList();
        Assert.Equal(expected.Count, baseRows.Count);
        for (int i = 0; i < expected.Count; i++) Assert.True(expected[i] == baseRows[i], $"row {i + 1}: {expected[i]} | {baseRows[i]}");
    }
}
