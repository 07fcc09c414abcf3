using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary><c>--profile freebsd</c> is a built-in profile of both <c>conform</c> and <c>pkt</c>.</summary>
public class FreeBsdProfileCliTests
{
    [Fact]
    public void Conform_takes_profile_freebsd()
    {
        var capture = Repo.Path("tests", "TcpSpec.Conformance.Tests", "Fixtures", "linux", "close-client-first.pcap");
        var r = CliRunner.Run("conform", capture, "--profile", "freebsd");
        Assert.Equal(0, r.Exit);
        Assert.Contains("1 conform, 0 do not", r.Out);
    }

    [Fact]
    public void Pkt_runs_the_freebsd_scripts_under_the_profile_with_their_sysctl_knobs()
    {
        var dir = Repo.Path("tests", "TcpSpec.Conformance.Tests", "Profiles", "FreeBsdScripts");
        var r = CliRunner.Run("pkt", dir, "--profile", "freebsd", "--strict");
        Assert.Equal(0, r.Exit);
        Assert.Matches(@"(\d+) script\(s\): \1 passed, 0 failed \(table: built in, profile freebsd, strict mode\)", r.Out);
        // Against the table alone the same scripts fail: each shows a deviation.
        Assert.Equal(1, CliRunner.Run("pkt", Path.Combine(dir, "insecure-syn.pkt"), "--strict").Exit);
    }
}
