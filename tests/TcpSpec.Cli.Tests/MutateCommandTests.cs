using System.Text.Json;
using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary>`tcpspec mutate` as a user runs it: its JSON, its sample, its usage errors.</summary>
public class MutateCommandTests
{
    private static readonly string[] Quick = ["mutate", "--spec", Repo.SpecFile, "-s", "closed-port,lost-final-ack", "--sample", "6", "--seed", "3"];

    [Fact]
    public void Json_is_one_document_whose_counts_add_up_to_the_mutants_judged()
    {
        var r = CliRunner.Run([.. Quick, "--json"]);
        Assert.Equal(0, r.Exit);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal("mutate", root.GetProperty("command").GetString());
        var mutants = root.GetProperty("mutants").EnumerateArray().ToList();
        Assert.Equal(6, mutants.Count);
        Assert.Equal(6, root.GetProperty("total").GetInt32());
        int sum = new[] { "killed", "caughtStatically", "survived", "outOfBudget", "equivalent" }.Sum(k => root.GetProperty(k).GetInt32());
        Assert.Equal(6, sum);
        Assert.Equal(["closed-port", "lost-final-ack"], root.GetProperty("scenarios").EnumerateArray().Select(e => e.GetString()!).Order());
        // Every mutant names a real line of the table.
        int lines = File.ReadAllLines(Repo.SpecFile).Length;
        Assert.All(mutants, m => Assert.InRange(m.GetProperty("line").GetInt32(), 1, lines));
    }

    [Fact]
    public void The_same_seed_judges_the_same_mutants_the_same_way_and_another_seed_others()
    {
        var a = CliRunner.Run([.. Quick, "--json"]);
        var b = CliRunner.Run([.. Quick, "--json"]);
        Assert.Equal(Ids(a.Out), Ids(b.Out));
        Assert.Equal(Verdicts(a.Out), Verdicts(b.Out));
        var other = CliRunner.Run([.. Quick[..^1], "4", "--json"]);
        Assert.NotEqual(Ids(a.Out), Ids(other.Out));
    }

    [Fact]
    public void A_kill_rate_above_what_is_reached_exits_1()
    {
        var r = CliRunner.Run([.. Quick, "--min-kill-rate", "1.0"]);
        // The sample leaves survivors (most rows are never reached by two small scenarios).
        Assert.Contains("survived", r.Out);
        Assert.Equal(1, r.Exit);
    }

    [Theory]
    [InlineData("--operators", "remove-everything")]
    [InlineData("--sample", "-2")]
    [InlineData("--workers", "0")]
    [InlineData("-s", "no-such-scenario")]
    public void Nonsense_is_a_usage_error(string option, string value)
    {
        var r = CliRunner.Run("mutate", "--spec", Repo.SpecFile, option, value);
        Assert.Equal(2, r.Exit);
        Assert.NotEqual("", r.Err.Trim());
    }

    [Fact]
    public void A_table_that_does_not_exist_is_a_usage_error_naming_it()
    {
        var r = CliRunner.Run("mutate", "--spec", "no-such.spec.md");
        Assert.Equal(2, r.Exit);
        Assert.Contains("no-such.spec.md", r.Err);
    }

    [Theory]
    [InlineData("--rows", "5-2")]
    [InlineData("--rows", "abc")]
    [InlineData("--rows", "99999")]
    public void Rows_that_name_no_mutant_are_a_usage_error_quoting_them(string option, string value)
    {
        var r = CliRunner.Run("mutate", "--spec", Repo.SpecFile, option, value);
        Assert.Equal(2, r.Exit);
        Assert.Contains($"--rows", r.Err);
        Assert.Contains(value, r.Err);
    }

    [Fact]
    public void A_focused_run_says_which_rows_in_its_json_and_in_its_report()
    {
        using var dir = new TempDir();
        int line = File.ReadAllLines(Repo.SpecFile).Select((l, i) => (l, i + 1)).First(x => x.l.StartsWith("| CLOSED | USER-TIMEOUT", StringComparison.Ordinal)).Item2;
        var docs = dir.File("mutation.md");
        var r = CliRunner.Run("mutate", "--spec", Repo.SpecFile, "--rows", $"{line}", "-s", "closed-port", "--json", "--docs", docs);
        Assert.Equal(0, r.Exit);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal([line], doc.RootElement.GetProperty("rows").EnumerateArray().Select(e => e.GetInt32()));
        Assert.All(doc.RootElement.GetProperty("mutants").EnumerateArray(), m => Assert.Equal(line, m.GetProperty("rowLine").GetInt32()));
        Assert.Contains($"in the rows at lines {line}", File.ReadAllText(docs));
    }

    [Fact]
    public void A_docs_file_that_cannot_be_written_is_refused_before_any_mutant_is_judged()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a-file"), "");
        var r = CliRunner.Run("mutate", "--spec", Repo.SpecFile, "--docs", Path.Combine(dir.File("a-file"), "mutation.md"), "-s", "closed-port");
        Assert.Equal(2, r.Exit);
        Assert.Contains("--docs", r.Err);
        Assert.Contains("nothing was mutated", r.Err);
        Assert.DoesNotContain("mutants,", r.Err); // no progress line: no work was started
        Assert.Equal("", r.Out);
    }

    private static List<int> Ids(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("mutants").EnumerateArray().Select(m => m.GetProperty("id").GetInt32()).ToList();

    private static List<string> Verdicts(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("mutants").EnumerateArray().Select(m => m.GetProperty("verdict").GetString()!).ToList();
}
