using System.Diagnostics;
using System.Text.Json.Nodes;
using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary>
/// <c>check</c> runs a suite's scenarios side by side (issue 15): with 2 workers two scenarios
/// run at once, one worker each; with 1 worker one after the other. Whatever ran beside what,
/// the results are the same: counts, verdicts, violations, and every file written, byte for byte
/// (coverage.json but for its timing fields).
/// </summary>
public class ParallelSuiteTests
{
    private static readonly string[] TimingFields = ["seconds", "statesPerSecond", "peakMemoryBytes"];

    [Fact]
    public void One_and_two_workers_give_the_same_results_json_and_files()
    {
        using var one = new TempDir();
        using var two = new TempDir();
        // A broken table so that some scenarios have counterexamples to write; five scenarios, so two lanes share them unevenly.
        string table = Repo.Path("spec", "broken", "07-ignore-the-third-ack.spec.md");
        string scenarios = "server-closes-first,closed-port,close-before-handshake,simultaneous-open,old-duplicate-syn-ack";
        var r1 = CliRunner.Run("check", "--spec", table, "-s", scenarios, "--workers", "1", "--json", "--out", one.Out);
        var r2 = CliRunner.Run("check", "--spec", table, "-s", scenarios, "--workers", "2", "--json", "--out", two.Out);
        Assert.Equal(1, r1.Exit);
        Assert.Equal(r1.Exit, r2.Exit);

        var j1 = WithoutTiming(JsonNode.Parse(r1.Out)!);
        var j2 = WithoutTiming(JsonNode.Parse(r2.Out)!);
        // The summary lists the scenarios in the order asked, and at least one has a violation (else the files compared would be only coverage).
        Assert.Equal(scenarios.Split(','), j1["scenarios"]!.AsArray().Select(s => (string)s!["name"]!));
        Assert.Contains(j1["scenarios"]!.AsArray(), s => s!["violations"] is JsonArray { Count: > 0 });
        Assert.Equal(j1.ToJsonString(), j2.ToJsonString().Replace(two.Out, one.Out, StringComparison.Ordinal).Replace(Path.GetFileName(two.Root), Path.GetFileName(one.Root), StringComparison.Ordinal));

        var files1 = Directory.GetFiles(one.Out).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        var files2 = Directory.GetFiles(two.Out).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files1, files2);
        Assert.True(files1.Count > 4, string.Join(", ", files1));
        foreach (var f in files1)
        {
            if (f == "coverage.json")
            {
                Assert.Equal(WithoutTiming(JsonNode.Parse(File.ReadAllText(Path.Combine(one.Out, f)))!).ToJsonString(),
                    WithoutTiming(JsonNode.Parse(File.ReadAllText(Path.Combine(two.Out, f)))!).ToJsonString());
            }
            else Assert.True(File.ReadAllBytes(Path.Combine(one.Out, f)).SequenceEqual(File.ReadAllBytes(Path.Combine(two.Out, f))), $"{f} differs between 1 and 2 workers");
        }
    }

    [Fact]
    public void The_summary_says_how_the_workers_were_shared()
    {
        using var dir = new TempDir();
        var two = CliRunner.Run("check", "-s", "closed-port,lost-final-ack", "--workers", "2", "--out", dir.Out);
        Assert.Equal(0, two.Exit);
        Assert.Contains("2 scenarios side by side, 1 worker(s) each.", two.Out.Replace("\n", " "));
        var single = CliRunner.Run("check", "-s", "closed-port", "--workers", "2", "--out", dir.Out);
        Assert.Contains("2 worker(s) a scenario.", single.Out.Replace("\n", " "));
        // The scenarios are listed in the order asked, whichever finished first.
        Assert.True(two.Out.IndexOf("closed-port ", StringComparison.Ordinal) < two.Out.IndexOf("lost-final-ack ", StringComparison.Ordinal));
    }

    private static JsonNode WithoutTiming(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var f in TimingFields) o.Remove(f);
                foreach (var (_, v) in o.ToList()) if (v is not null) WithoutTiming(v);
                break;
            case JsonArray a:
                foreach (var v in a) if (v is not null) WithoutTiming(v);
                break;
        }
        return node;
    }
}
