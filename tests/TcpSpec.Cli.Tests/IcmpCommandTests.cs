using System.Text.Json;
using System.Text.Json.Nodes;
using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary><c>tcpspec check --icmp N</c>: the budget on the command line, in --list, the JSON output and replay files.</summary>
public class IcmpCommandTests
{
    // SHLD-26 taken in every state: a hard error resets a synchronized connection (RFC 5461 §4 advises against it).
    private const string HardRow = "| * | ICMP-HARD | — | SignalSoftError | same |";
    private const string HardResets = "| * | ICMP-HARD | — | SignalUnreachable, DeleteTcb | CLOSED |";

    [Theory]
    [InlineData("-1")]
    [InlineData("256")]
    public void A_budget_out_of_range_exits_2_with_a_message(string value)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "-s", "icmp-errors", "--icmp", value, "--out", dir.Out);
        Assert.Equal(2, r.Exit);
        Assert.Contains($"--icmp must be between 0 and 255, not {value}", r.Err);
        Assert.Equal("", r.Out);
        Assert.False(Directory.Exists(dir.Out));
    }

    [Fact]
    public void The_list_and_the_json_output_show_the_budget()
    {
        var list = CliRunner.Run("check", "--list");
        Assert.Equal(0, list.Exit);
        Assert.Contains(list.Out.Split('\n'), l => l.StartsWith("icmp-errors ") && l.Contains("icmp=1"));
        var listJson = JsonDocument.Parse(CliRunner.Run("check", "--list", "--json").Out).RootElement;
        var scenario = listJson.GetProperty("scenarios").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "icmp-errors");
        Assert.Equal(1, scenario.GetProperty("budgets").GetProperty("icmp").GetInt32());
        Assert.Equal(0, listJson.GetProperty("scenarios").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "abort").GetProperty("budgets").GetProperty("icmp").GetInt32());

        using var dir = new TempDir();
        foreach (var (args, expected) in new[] { (Array.Empty<string>(), 1), (new[] { "--icmp", "0" }, 0), (new[] { "--icmp", "2" }, 2) })
        {
            var r = CliRunner.Run(["check", "-s", "icmp-errors", "--json", "--out", dir.Out, .. args]);
            Assert.Equal(0, r.Exit);
            var budgets = JsonDocument.Parse(r.Out).RootElement.GetProperty("scenarios")[0].GetProperty("budgets");
            Assert.Equal(expected, budgets.GetProperty("icmp").GetInt32());
        }
    }

    [Fact]
    public void A_counterexample_with_an_icmp_error_keeps_the_budget_in_the_replay_file_and_replays()
    {
        using var dir = new TempDir();
        var table = Path.Combine(dir.Root, "hard-error-resets.spec.md");
        var text = File.ReadAllText(Repo.SpecFile);
        Assert.Contains(HardRow, text);
        File.WriteAllText(table, text.Replace(HardRow, HardResets));
        var r = CliRunner.Run("check", "--spec", table, "-s", "icmp-errors", "--out", dir.Out);
        Assert.Equal(1, r.Exit);
        // Figure 5's arrows see it first (no arrow from SYN-RECEIVED to CLOSED on ICMP-HARD); icmp-hard-error-aborts-attempt on the same move.
        Assert.Contains("past SYN-SENT a hard error does not end the connection", r.Out);
        var stem = Path.Combine(dir.Out, "icmp-errors.figure-5-edges");
        var file = JsonNode.Parse(File.ReadAllText(stem + ".replay.json"))!;
        Assert.Equal(1, (int)file["budgets"]!["icmp"]!);
        Assert.Contains(file["moves"]!.AsArray(), m => (string?)m!["kind"] == "Icmp");
        Assert.Contains("ICMP HARD error (port unreachable) instead of", File.ReadAllText(stem + ".trace.txt"));

        var replay = CliRunner.Run("replay", stem + ".replay.json");
        Assert.Equal(1, replay.Exit);
        Assert.Contains("Reproduced: figure-5-edges", replay.Out);

        // Without ICMP errors no hard error arrives: the same table passes.
        var none = CliRunner.Run("check", "--spec", table, "-s", "icmp-errors", "--icmp", "0", "--out", dir.Out);
        Assert.Equal(0, none.Exit);
    }

    [Fact]
    public void A_replay_file_with_a_negative_icmp_budget_is_refused()
    {
        using var dir = new TempDir();
        var table = Path.Combine(dir.Root, "hard-error-resets.spec.md");
        File.WriteAllText(table, File.ReadAllText(Repo.SpecFile).Replace(HardRow, HardResets));
        Assert.Equal(1, CliRunner.Run("check", "--spec", table, "-s", "icmp-errors", "--out", dir.Out).Exit);
        var path = Path.Combine(dir.Out, "icmp-errors.figure-5-edges.replay.json");
        var file = JsonNode.Parse(File.ReadAllText(path))!;
        file["budgets"]!["icmp"] = -1;
        File.WriteAllText(path, file.ToJsonString());
        var replay = CliRunner.Run("replay", path);
        Assert.Equal(2, replay.Exit);
        Assert.Contains("icmp", replay.Err);
    }
}
