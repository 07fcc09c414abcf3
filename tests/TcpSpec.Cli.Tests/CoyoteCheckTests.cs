using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary><c>tcpspec check --explorer coyote</c> and <c>tcpspec replay FILE.coyote.trace</c>, run in-process.</summary>
public class CoyoteCheckTests
{
    private static readonly string LastAckNeverCloses = Repo.Path("spec", "broken", "11-last-ack-never-closes.spec.md");

    [Fact]
    public void A_scenario_that_holds_under_coyote_exits_0_with_the_summary_row()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "--explorer", "coyote", "--strategy", "pct", "--seed", "2", "--iterations", "20", "-s", "lost-final-ack", "--out", dir.Out);
        Assert.Equal(0, r.Exit);
        var row = Assert.Single(r.Out.Split('\n'), l => l.TrimStart().StartsWith("lost-final-ack ", StringComparison.Ordinal));
        Assert.Contains("strategy: coyote-pct(seed=2", r.Out);
        Assert.Contains("all properties hold", row);
    }

    [Fact]
    public void A_broken_table_writes_the_four_files_and_coyotes_two_and_both_replays_reproduce()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "--explorer", "coyote", "--seed", "1", "--iterations", "200", "--spec", LastAckNeverCloses, "-s", "client-closes-first", "--out", dir.Out);
        Assert.Equal(1, r.Exit);
        Assert.Contains("VIOLATED: ack-and-fin-processing", r.Out);
        string stem = Path.Combine(dir.Out, "client-closes-first.ack-and-fin-processing");
        foreach (var ext in new[] { ".replay.json", ".trace.txt", ".sequence.md", ".pcapng", ".coyote.trace", ".coyote.txt" })
            Assert.True(File.Exists(stem + ext), $"{stem}{ext} is missing");
        Assert.Contains("ack-and-fin-processing", File.ReadAllText(stem + ".coyote.txt"));

        var moves = CliRunner.Run("replay", stem + ".replay.json");
        Assert.Equal(1, moves.Exit);
        Assert.Contains("Reproduced: ack-and-fin-processing", moves.Out);

        var coyote = CliRunner.Run("replay", stem + ".coyote.trace");
        Assert.Equal(1, coyote.Exit);
        Assert.Contains("Reproduced by Coyote's trace: ack-and-fin-processing", coyote.Out);

        // Against the real table, Coyote's schedule no longer shows the bug.
        var fixedTable = CliRunner.Run("replay", stem + ".coyote.trace", "--spec", Repo.SpecFile);
        Assert.Equal(0, fixedTable.Exit);
        Assert.Contains("Not reproduced", fixedTable.Out);
    }

    [Fact]
    public void A_coyote_strategy_without_the_coyote_explorer_is_a_usage_error()
    {
        var r = CliRunner.Run("check", "--strategy", "fair-pct", "-s", "closed-port");
        Assert.Equal(2, r.Exit);
        Assert.Contains("--explorer coyote", r.Err);
    }

    [Fact]
    public void A_coyote_trace_without_its_replay_file_is_a_usage_error_naming_it()
    {
        using var dir = new TempDir();
        var trace = dir.File("x.both-closed.coyote.trace");
        File.WriteAllText(trace, "{}");
        var r = CliRunner.Run("replay", trace);
        Assert.Equal(2, r.Exit);
        Assert.Contains("x.both-closed.replay.json", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }
}
