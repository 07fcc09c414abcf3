using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

public class PktCommandTests
{
    private static readonly string Scripts = Repo.Path("tests", "TcpSpec.Conformance.Tests", "Scripts");

    [Fact]
    public void Our_scripts_all_pass()
    {
        var r = CliRunner.Run("pkt", Scripts);
        Assert.Equal(0, r.Exit);
        Assert.Matches(@"(\d+) script\(s\): \1 passed, 0 failed", r.Out);
    }

    [Fact]
    public void A_broken_table_fails_a_script_at_its_line_with_the_row()
    {
        var r = CliRunner.Run("pkt", Path.Combine(Scripts, "established", "rcv-syn.pkt"), "--spec", Repo.Path("spec", "broken", "09-syn-in-established-resets.spec.md"));
        Assert.Equal(1, r.Exit);
        Assert.Contains("FAIL", r.Out);
        Assert.Matches(@"line \d+: outbound packet differs", r.Out);
        Assert.Contains("SendReset, SignalReset, DeleteTcb", r.Out);
    }

    [Fact]
    public void Profile_linux_runs_the_merged_table_where_an_rst_in_time_wait_is_ignored()
    {
        var script = Path.Combine(Scripts, "time-wait", "rcv-rst.pkt");
        Assert.Equal(0, CliRunner.Run("pkt", script).Exit);
        var r = CliRunner.Run("pkt", script, "--profile", "linux");
        Assert.Equal(1, r.Exit);
        Assert.Contains("FAIL", r.Out);
        Assert.Contains("(table: built in, profile linux)", r.Out);
        // Scripts of states the overlay does not touch pass as before.
        Assert.Equal(0, CliRunner.Run("pkt", Path.Combine(Scripts, "established"), "--profile", "linux").Exit);
    }

    [Fact]
    public void Profile_that_is_neither_built_in_nor_a_file_is_a_usage_error()
    {
        var r = CliRunner.Run("pkt", Scripts, "--profile", "bsd");
        Assert.Equal(2, r.Exit);
        Assert.Contains("unknown profile 'bsd'", r.Err);
    }

    [Fact]
    public void A_malformed_script_is_a_usage_error_naming_the_line()
    {
        var dir = Directory.CreateTempSubdirectory("tcpspec-pkt-").FullName;
        try
        {
            var path = Path.Combine(dir, "bad.pkt");
            File.WriteAllText(path, "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:0(0 win 1000\n");
            var r = CliRunner.Run("pkt", path);
            Assert.Equal(2, r.Exit);
            Assert.Contains("bad.pkt:2:", r.Err + r.Out);
            Assert.DoesNotContain("   at ", r.Err);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
