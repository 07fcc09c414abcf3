using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

public class PktCommandTests
{
    private static readonly string Scripts = Repo.Path("tests", "TcpSpec.Conformance.Tests", "Scripts");

    [Fact]
    public void Our_scripts_all_pass()
    {
        var r = CliRunner.Run("pkt", Scripts, "--strict");
        Assert.Equal(0, r.Exit);
        Assert.Matches(@"(\d+) script\(s\): \1 passed, 0 failed \(table: built in, strict mode\)", r.Out);
    }

    private static string TempScript(string text)
    {
        var dir = Directory.CreateTempSubdirectory("tcpspec-pkt-").FullName;
        var path = Path.Combine(dir, "t.pkt");
        File.WriteAllText(path, text);
        return path;
    }

    private const string IfdefScript = """
        0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        #ifdef FreeBSD
        +0 %{ assert tcpi_state == TCPI_CLOSED }%
        #else
        +0 %{ assert tcpi_state == TCPI_LISTEN }%
        #endif
        #ifdef WANT_ESTABLISHED
        +0 %{ assert tcpi_state == TCPI_ESTABLISHED }%
        #endif

        """;

    [Fact]
    public void A_profile_defines_its_os_name_and_define_adds_names_for_ifdef()
    {
        var path = TempScript(IfdefScript);
        Assert.Equal(1, CliRunner.Run("pkt", path).Exit); // no FreeBSD: the #else branch asserts LISTEN
        var r = CliRunner.Run("pkt", path, "--profile", "freebsd");
        Assert.Equal(0, r.Exit);
        Assert.Contains("PASS", r.Out);
        Assert.Equal(0, CliRunner.Run("pkt", path, "--define", "FreeBSD=1").Exit);
        Assert.Equal(1, CliRunner.Run("pkt", path, "--profile", "freebsd", "-D", "WANT_ESTABLISHED").Exit);
        var bad = CliRunner.Run("pkt", path, "--define", "no spaces");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("--define", bad.Err);
    }

    [Fact]
    public void A_script_that_checks_nothing_is_not_run_and_exits_1()
    {
        var r = CliRunner.Run("pkt", TempScript("0 `sysctl -w net.inet.tcp.blackhole=0`\n"));
        Assert.Equal(1, r.Exit);
        Assert.Contains("NOT RUN", r.Out);
        Assert.Contains("0 passed, 0 failed, 1 not run", r.Out);
    }

    [Fact]
    public void Tolerance_is_spelt_as_packetdrill_spells_it_and_an_unknown_option_is_an_error()
    {
        var path = Path.Combine(Scripts, "established", "rcv-syn.pkt");
        Assert.Equal(0, CliRunner.Run("pkt", path, "--tolerance_usecs", "4000").Exit);
        Assert.Equal(0, CliRunner.Run("pkt", path, "--tolerance-usecs", "4000").Exit);
        var r = CliRunner.Run("pkt", path, "--tolerance", "4000");
        Assert.Equal(2, r.Exit);
        Assert.Contains("unknown option '--tolerance'", r.Err);
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
    public void Profile_linux_ignores_an_rst_in_time_wait_only_when_the_script_switches_tcp_rfc1337_on()
    {
        // Linux's default net.ipv4.tcp_rfc1337=0: the reset closes TIME-WAIT, as the table does.
        var script = Path.Combine(Scripts, "time-wait", "rcv-rst.pkt");
        Assert.Equal(0, CliRunner.Run("pkt", script).Exit);
        var r = CliRunner.Run("pkt", script, "--profile", "linux");
        Assert.Equal(0, r.Exit);
        Assert.Contains("(table: built in, profile linux, packetdrill mode)", r.Out);
        // `sysctl -w net.ipv4.tcp_rfc1337=1` in the script: the reset is ignored, which the table alone rejects.
        var knob = Repo.Path("tests", "TcpSpec.Conformance.Tests", "Profiles", "LinuxScripts", "tcp-rfc1337.pkt");
        Assert.Equal(0, CliRunner.Run("pkt", knob, "--profile", "linux").Exit);
        Assert.Equal(1, CliRunner.Run("pkt", knob).Exit);
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
