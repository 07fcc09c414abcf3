using System.Text.Json;
using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary><c>check --json</c> is one JSON document with the fields docs/json-schema.md lists, for a run that holds, one that is violated, and a scenario that cannot start.</summary>
public class CheckJsonTests
{

    [Fact]
    public void A_run_that_holds_is_one_document_with_the_scenario_and_the_table_hash()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "-s", "lost-final-ack", "--json", "--out", dir.Out);
        Assert.Equal(Cli.Ok, r.Exit);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal("check", root.GetProperty("command").GetString());
        Assert.Matches("^sha256:[0-9a-f]{16}$", root.GetProperty("tableHash").GetString());
        Assert.True(root.GetProperty("holds").GetBoolean());
        var s = Assert.Single(root.GetProperty("scenarios").EnumerateArray());
        Assert.Equal("lost-final-ack", s.GetProperty("name").GetString());
        Assert.True(s.GetProperty("states").GetInt64() > 0);
        Assert.Equal(2, s.GetProperty("budgets").GetProperty("loss").GetInt32());
        Assert.False(s.GetProperty("truncated").GetBoolean());
        Assert.Empty(s.GetProperty("violations").EnumerateArray());
    }

    [Fact]
    public void A_violation_names_its_files_and_the_pcapng()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "--spec", Repo.Path("spec", "broken", "01-skip-time-wait.spec.md"), "-s", "lost-final-ack", "--json", "--out", dir.Out);
        Assert.Equal(Cli.Finding, r.Exit);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.False(doc.RootElement.GetProperty("holds").GetBoolean());
        var v = Assert.Single(doc.RootElement.GetProperty("scenarios")[0].GetProperty("violations").EnumerateArray());
        Assert.Equal("segment-shape", v.GetProperty("property").GetString());
        Assert.EndsWith(".pcapng", v.GetProperty("pcap").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(".replay.json", v.GetProperty("replay").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_that_cannot_start_says_why_in_the_document()
    {
        using var dir = new TempDir();
        var path = CannotStartTable.WriteTo(dir);
        var r = CliRunner.Run("check", "--spec", path, "-s", "simultaneous-close", "--json", "--out", dir.Out);
        Assert.Equal(Cli.Finding, r.Exit);
        using var doc = JsonDocument.Parse(r.Out);
        var s = Assert.Single(doc.RootElement.GetProperty("scenarios").EnumerateArray());
        Assert.False(s.GetProperty("holds").GetBoolean());
        Assert.Contains("sends no segment", s.GetProperty("cannotStart").GetString(), StringComparison.Ordinal);
    }
}
