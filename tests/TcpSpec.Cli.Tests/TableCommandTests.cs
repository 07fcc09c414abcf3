using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

public class TableCommandTests
{
    [Fact]
    public void Help_lists_the_table_command()
    {
        var r = CliRunner.Run("--help");
        Assert.Equal(0, r.Exit);
        Assert.Contains("table", r.Out);
    }

    [Fact]
    public void Table_prints_every_compiled_row_with_its_rfc_section()
    {
        var r = CliRunner.Run("table");
        Assert.Equal(0, r.Exit);
        foreach (var row in TcpMachine.Rows)
        {
            Assert.Contains($"R{row.Id} ", r.Out);
            Assert.Contains(row.Description, r.Out);
        }
        Assert.Contains("RFC 9293 §3.10.7.4", r.Out);
    }

    [Fact]
    public void Table_with_cells_shows_the_rows_of_every_cell_in_order()
    {
        var r = CliRunner.Run("table", "--cells");
        Assert.Equal(0, r.Exit);
        int events = TcpMachine.EventNames.Count;
        int listen = TcpMachine.StateNames.ToList().IndexOf("LISTEN");
        int syn = TcpMachine.EventNames.ToList().IndexOf("SYN");
        var rows = TcpMachine.CellRows[listen * events + syn];
        Assert.Contains($"LISTEN        × SYN                 {string.Join(" ", rows.Select(x => "R" + x))}", r.Out);
        Assert.DoesNotContain("UNDECIDED", r.Out);
    }

    [Fact]
    public void Table_spec_compiles_the_real_table_like_the_generator()
    {
        var r = CliRunner.Run("table", "--spec", Repo.SpecFile);
        Assert.Equal(0, r.Exit);
        Assert.Contains($"{TcpMachine.RowCount} rows", r.Out);
        Assert.Equal("", r.Err);
    }

    [Fact]
    public void Table_spec_reports_a_broken_row_at_its_line_and_column_and_exits_2()
    {
        var lines = File.ReadAllLines(Repo.SpecFile);
        int index = Array.FindIndex(lines, l => l.StartsWith("| LISTEN, SYN-SENT | CLOSE |", StringComparison.Ordinal));
        Assert.True(index >= 0);
        lines[index] = lines[index].Replace("| CLOSED |", "| CLOSD |");
        var path = Path.Combine(Path.GetTempPath(), $"tcpspec-broken-{Guid.NewGuid():N}.spec.md");
        File.WriteAllLines(path, lines);
        try
        {
            var r = CliRunner.Run("table", "--spec", path);
            Assert.Equal(2, r.Exit); // a table with errors is bad input in every command (issue 15)
            int column = lines[index].IndexOf("CLOSD", StringComparison.Ordinal) + 1;
            Assert.Contains($"({index + 1},{column}): error TSPEC002: Unknown state 'CLOSD'", r.Err);
            Assert.DoesNotContain("   at ", r.Err); // no stack trace
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_table_file_is_a_usage_error_without_a_stack_trace()
    {
        var r = CliRunner.Run("table", "--spec", "/nonexistent/tcp.spec.md");
        Assert.Equal(2, r.Exit);
        Assert.Contains("no such table file", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Theory]
    [InlineData("table", "--bogus")]
    [InlineData("no-such-command")]
    public void Bad_arguments_exit_2_with_a_message(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(2, r.Exit);
        Assert.Contains("tcpspec:", r.Err);
        Assert.Contains("--help", r.Err);
    }
}
