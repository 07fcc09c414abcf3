namespace TcpSpec.Cli.Tests;

/// <summary><c>check --checkpoint DIR</c> and <c>check --resume DIR</c>: a run stopped by a cap goes on from its checkpoint to the uninterrupted run's result; a checkpoint of other options, or a damaged one, is exit 2 with the file named.</summary>
public class CheckpointCommandTests
{
    private static string StatesLine(string output) => output.Split('\n').First(l => l.StartsWith("simultaneous-open ", StringComparison.Ordinal)).Split("  ", StringSplitOptions.RemoveEmptyEntries) is var cells ? $"{cells[1]} {cells[2]} {cells[^1]}" : "";

    [Fact]
    public void A_run_stopped_at_a_cap_resumes_to_the_uninterrupted_result_and_deletes_its_checkpoint()
    {
        using var dir = new TempDir();
        string ck = dir.File("ck");
        var full = CliRunner.Run("check", "-s", "simultaneous-open", "--out", dir.Out);
        var stopped = CliRunner.Run("check", "-s", "simultaneous-open", "--max-states", "20000", "--checkpoint", ck, "--out", dir.Out);
        Assert.Contains("checkpoint: simultaneous-open saved to ", stopped.Out);
        Assert.Contains("go on with: tcpspec check --resume ", stopped.Out);
        Assert.True(File.Exists(Path.Combine(ck, "simultaneous-open.checkpoint")));
        var resumed = CliRunner.Run("check", "--resume", ck, "--out", dir.Out);
        Assert.Equal(0, resumed.Exit);
        Assert.Equal(StatesLine(full.Out), StatesLine(resumed.Out));
        Assert.DoesNotContain("checkpoint:", resumed.Out);
        Assert.Empty(Directory.GetFiles(ck));
        var nothing = CliRunner.Run("check", "--resume", ck, "--out", dir.Out);
        Assert.Equal(2, nothing.Exit);
        Assert.Contains("holds no checkpoint", nothing.Err);
        CliRunner.Run("check", "-s", "simultaneous-open", "--max-states", "5000", "--checkpoint", ck, "--out", dir.Out);
        var partly = CliRunner.Run("check", "--resume", ck, "-s", "simultaneous-open,simultaneous-close", "--out", dir.Out);
        Assert.Equal(2, partly.Exit);
        Assert.Contains("holds no checkpoint of scenario simultaneous-close", partly.Err);
        Assert.Equal("", partly.Out);
    }

    [Fact]
    public void Resuming_with_other_budgets_or_a_damaged_checkpoint_is_exit_2_naming_the_file()
    {
        using var dir = new TempDir();
        string ck = dir.File("ck");
        CliRunner.Run("check", "-s", "simultaneous-open", "--max-states", "5000", "--checkpoint", ck, "--out", dir.Out);
        var other = CliRunner.Run("check", "--resume", ck, "--loss", "1", "--out", dir.Out);
        Assert.Equal(2, other.Exit);
        Assert.Contains("simultaneous-open.checkpoint was written with budgets loss=2", other.Err);
        Assert.DoesNotContain("   at ", other.Err);
        string file = Path.Combine(ck, "simultaneous-open.checkpoint");
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
        var truncated = CliRunner.Run("check", "--resume", ck, "--out", dir.Out);
        Assert.Equal(2, truncated.Exit);
        Assert.Contains("simultaneous-open.checkpoint is corrupt at byte ", truncated.Err);
        Assert.Contains("truncated", truncated.Err);
    }

    [Theory]
    [InlineData("--checkpoint-every", "5")]
    [InlineData("--checkpoint-every", "0", "--checkpoint", "ck")]
    [InlineData("--checkpoint", "ck", "--strategy", "random")]
    public void Checkpoint_options_that_do_not_fit_are_usage_errors(params string[] args)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["check", "-s", "simultaneous-open", .. args.Select(a => a == "ck" ? dir.File("ck") : a), "--out", dir.Out]);
        Assert.Equal(2, r.Exit);
        Assert.Contains("--checkpoint", r.Err);
    }
}
