using System.Text.Json.Nodes;
using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary>
/// Files the checker writes name the table they were made from (issue 15): a replay file carries
/// the table's path relative to the current directory and its hash, and says so when replayed
/// against another table; coverage carries the hash, and <c>docs</c> refuses another table's.
/// </summary>
public class TableHashTests
{
    private static readonly string SkipTimeWait = Repo.Path("spec", "broken", "01-skip-time-wait.spec.md");

    private static string CheckBroken(TempDir dir)
    {
        var r = CliRunner.Run("check", "--spec", SkipTimeWait, "-s", "lost-final-ack", "--out", dir.Out);
        Assert.Equal(Cli.Finding, r.Exit);
        return Path.Combine(dir.Out, "lost-final-ack.segment-shape.replay.json");
    }

    /// <summary>The replay file of <see cref="CheckBroken"/>, rewritten with <paramref name="edit"/> applied to its JSON.</summary>
    private static string EditedReplay(TempDir dir, Action<JsonNode> edit)
    {
        var file = CheckBroken(dir);
        var replay = JsonNode.Parse(File.ReadAllText(file))!;
        edit(replay);
        File.WriteAllText(file, replay.ToJsonString());
        return file;
    }

    [Fact]
    public void A_replay_file_names_its_table_relative_to_the_current_directory_with_its_hash()
    {
        using var dir = new TempDir();
        var replay = JsonNode.Parse(File.ReadAllText(CheckBroken(dir)))!;
        Assert.False(Path.IsPathRooted((string)replay["spec"]!), $"spec is {replay["spec"]}");
        Assert.Matches("^sha256:[0-9a-f]{16}$", (string)replay["tableHash"]!);
        Assert.Equal(Path.GetFullPath(SkipTimeWait), Path.GetFullPath((string)replay["spec"]!));
    }

    [Fact]
    public void Replaying_against_another_table_says_the_table_changed()
    {
        using var dir = new TempDir();
        var file = CheckBroken(dir);
        var same = CliRunner.Run("replay", file);
        Assert.DoesNotContain("the table changed", same.Err, StringComparison.Ordinal);

        var other = CliRunner.Run("replay", file, "--spec", Repo.SpecFile);
        Assert.Contains("the table changed since", other.Err, StringComparison.Ordinal);
        Assert.Equal(Cli.Ok, other.Exit); // the fixed table no longer shows it
    }

    [Fact]
    public void A_negative_budget_in_a_replay_file_is_a_usage_error_naming_the_file()
    {
        using var dir = new TempDir();
        var file = EditedReplay(dir, replay => replay["budgets"]!["loss"] = -3);

        var r = CliRunner.Run("replay", file);
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains("budgets.loss must be between 0 and 255, not -3", r.Err, StringComparison.Ordinal);
        Assert.Contains("lost-final-ack.segment-shape.replay.json", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replay_file_whose_table_is_not_found_from_here_says_where_it_was_named_from()
    {
        using var dir = new TempDir();
        var file = EditedReplay(dir, replay => replay["spec"] = Path.Combine("elsewhere", "tcp.spec.md"));

        var r = CliRunner.Run("replay", file);
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains("relative to the directory tcpspec check ran in", r.Err, StringComparison.Ordinal);
        Assert.Contains("--spec FILE", r.Err, StringComparison.Ordinal);
        Assert.Equal(Cli.Finding, CliRunner.Run("replay", file, "--spec", SkipTimeWait).Exit);
    }

    [Theory]
    [InlineData("dup", "99999999999", "budgets.dup has a value of the wrong form or size")]
    [InlineData("icmp", "\"two\"", "budgets.icmp has a value of the wrong form or size")]
    [InlineData("icmp", "-3", "budgets.icmp must be between 0 and 255, not -3")]
    [InlineData("stale", "256", "budgets.stale must be between 0 and 255, not 256")]
    public void A_bad_budget_in_a_replay_file_is_named_in_the_users_words(string budget, string value, string expected)
    {
        using var dir = new TempDir();
        var file = EditedReplay(dir, replay => replay["budgets"]![budget] = JsonNode.Parse(value));

        var r = CliRunner.Run("replay", file);
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains(expected, r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Dto", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replay_file_of_an_earlier_version_without_an_icmp_budget_replays()
    {
        using var dir = new TempDir();
        var file = EditedReplay(dir, replay =>
        {
            replay["budgets"]!.AsObject().Remove("icmp");
            Assert.Null(replay["budgets"]!["icmp"]);
        });
        Assert.Equal(Cli.Finding, CliRunner.Run("replay", file).Exit);
    }

    [Fact]
    public void Coverage_carries_the_table_hash_and_docs_refuses_another_tables_coverage()
    {
        using var dir = new TempDir();
        CheckBroken(dir);
        var coverage = Path.Combine(dir.Out, "coverage.json");
        Assert.Matches("^sha256:[0-9a-f]{16}$", (string)JsonNode.Parse(File.ReadAllText(coverage))!["tableHash"]!);

        var r = CliRunner.Run("docs", "--coverage", coverage, "--out", dir.File("docs"));
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains("coverage of another table", r.Err, StringComparison.Ordinal);
        Assert.Contains("refused: nothing was written", r.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("docs")));
    }
}
