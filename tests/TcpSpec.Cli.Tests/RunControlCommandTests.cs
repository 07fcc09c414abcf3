using System.Diagnostics;
using TcpSpec.Checker;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Cli.Tests;

/// <summary>
/// <c>check</c>'s run controls: a cap reached, a size refused, and Ctrl-C (SIGINT to a child
/// <c>tcpspec check</c>) each end with the partial summary, coverage and the documented exit code.
/// </summary>
public class RunControlCommandTests
{
    [Fact]
    public void A_state_cap_reached_prints_the_partial_summary_says_not_exhaustive_writes_coverage_and_exits_0()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "-s", "simultaneous-close", "--max-states", "1000", "--no-liveness", "--out", dir.Out);
        Assert.Equal(0, r.Exit);
        var row = Assert.Single(r.Out.Split('\n'), l => l.TrimStart().StartsWith("simultaneous-close ", StringComparison.Ordinal));
        Assert.Contains(" 1,000 ", row);
        Assert.Contains("truncated", row);
        Assert.Contains("not exhaustive: simultaneous-close stopped at 1,000 states", r.Out);
        Assert.Contains("(--max-states 1,000)", r.Out);
        Assert.True(File.Exists(Path.Combine(dir.Out, "coverage.json")));
    }

    [Fact]
    public void A_memory_cap_reached_stops_with_the_partial_summary()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "-s", "simultaneous-close", "--max-memory", "1K", "--out", dir.Out);
        Assert.Equal(0, r.Exit);
        Assert.Contains("not exhaustive: simultaneous-close stopped at ", r.Out);
        Assert.Contains("(--max-memory 1,024 B (resident ", r.Out);
        Assert.True(File.Exists(Path.Combine(dir.Out, "coverage.json")));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3Q")]
    [InlineData("lots")]
    public void A_bad_memory_size_is_a_usage_error(string size)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "-s", "closed-port", "--max-memory", size, "--out", dir.Out);
        Assert.Equal(2, r.Exit);
        Assert.Contains($"--max-memory must be a positive size such as 4G, 512M or 1073741824, not '{size}'", r.Err);
    }

    [Fact]
    public async Task Sigint_stops_a_child_check_which_prints_the_partial_summary_and_coverage_and_exits_130()
    {
        using var dir = new TempDir();
        // Far too large to finish: only the signal ends it (the memory cap is there in case it does not).
        var (exit, output, err) = await InterruptedChild(["check", "-s", "half-close", "--loss", "6", "--dup", "5", "--data", "6", "--no-liveness", "--max-memory", "2G", "--out", dir.Out]);
        Assert.Equal(130, exit);
        Assert.Contains("SIGINT: stopping the search; the partial results follow", err);
        Assert.Contains("half-close", output);
        Assert.Contains("not exhaustive: half-close stopped at ", output);
        Assert.Contains("(interrupted)", output);
        Assert.Contains("Coverage: ", output);
        Assert.True(File.Exists(Path.Combine(dir.Out, "coverage.json")));
    }

    [Fact]
    public async Task A_second_sigint_while_the_search_stops_exits_130_at_once_without_the_summary()
    {
        using var dir = new TempDir();
        var (exit, output, err) = await InterruptedChild(["check", "-s", "half-close", "--loss", "6", "--dup", "5", "--data", "6", "--no-liveness", "--max-memory", "2G", "--out", dir.Out], twice: true);
        Assert.Equal(130, exit);
        Assert.Contains("interrupted again: exiting now, nothing more is written", err);
        Assert.DoesNotContain("Coverage: ", output);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("pct")]
    public async Task Sigint_stops_a_randomized_search_with_the_partial_summary_and_exits_130(string strategy)
    {
        using var dir = new TempDir();
        // A billion runs: only the signal ends it.
        var (exit, output, err) = await InterruptedChild(["check", "-s", "half-close", "--strategy", strategy, "--iterations", "1000000000", "--out", dir.Out]);
        Assert.Equal(130, exit);
        Assert.Contains("SIGINT: stopping the search; the partial results follow", err);
        Assert.Matches(@"not exhaustive: half-close stopped after [0-9,]+ run\(s\), [0-9,]+ states \(interrupted\)", output);
        Assert.Contains("holds so far (truncated)", output);
        Assert.Contains("Coverage: ", output);
        Assert.True(File.Exists(Path.Combine(dir.Out, "coverage.json")));
    }

    /// <summary>
    /// Starts a child <c>tcpspec</c>, waits for its first progress line (the search is running), sends
    /// SIGINT as Ctrl-C does, and returns what it printed; <paramref name="twice"/>: a second SIGINT as
    /// soon as the child says it is stopping (the stop of a search this size outlasts a signal).
    /// </summary>
    private static async Task<(int Exit, string Out, string Err)> InterruptedChild(string[] args, bool twice = false)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "tcpspec.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(cli);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var progress = new TaskCompletionSource();
        var stopping = new TaskCompletionSource();
        var err = new System.Text.StringBuilder();
        var stderr = Task.Run(() =>
        {
            while (child.StandardError.ReadLine() is { } line)
            {
                lock (err) err.AppendLine(line);
                if (line.Contains(" states/s, frontier ")) progress.TrySetResult();
                if (line.Contains("stopping the search")) stopping.TrySetResult();
            }
            progress.TrySetResult();
            stopping.TrySetResult();
        });
        await progress.Task.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.False(child.HasExited, "the search ended before the signal: " + err);
        using (var kill = Process.Start("kill", ["-INT", child.Id.ToString()])) kill.WaitForExit();
        if (twice)
        {
            await stopping.Task.WaitAsync(TimeSpan.FromMinutes(1));
            using var again = Process.Start("kill", ["-INT", child.Id.ToString()])!;
            again.WaitForExit();
        }
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        await stderr;
        return (child.ExitCode, await stdout, err.ToString());
    }

    [Fact]
    public void The_progress_line_shows_states_rate_frontier_memory_and_elapsed_time()
    {
        var line = Commands.ProgressLine.Text("half-close", new SearchProgress(1_234_567, 9_000_000, 45_678, 17, 3L << 30, 2.5));
        Assert.Equal("half-close: 1,234,567 states, 493,827 states/s, frontier 45,678, depth 17, memory 3 GiB, 00:00:02", line);
    }

    [Fact]
    public void Bitstate_reports_its_estimated_coverage_under_the_summary()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "-s", "simultaneous-close", "--bitstate", "20", "--out", dir.Out);
        Assert.Equal(0, r.Exit);
        Assert.Matches(@"bitstate: simultaneous-close: 2\^20 bits \(131,072 B\), 3 bits per state; hash factor [0-9.]+ \(SPIN: good coverage above 100\); probability of omission at the end [0-9.]+ ?%; about [0-9,]+ states may have been missed \(estimated coverage [0-9.]+ ?%\)", r.Out);
    }

    [Fact]
    public void Bitstate_sizes_outside_10_to_40_are_refused()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "-s", "closed-port", "--bitstate", "5", "--out", dir.Out);
        Assert.Equal(2, r.Exit);
        Assert.Contains("--bitstate takes the log2 of the filter's bits, 10 to 40 (30 is 128 MiB), not 5", r.Err);
    }
}
