using System.Text.Json;
using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary><c>table --format sarif</c>: the table's diagnostics as a SARIF 2.1.0 log that code scanning reads.</summary>
public class TableSarifTests
{
    [Fact]
    public void A_broken_row_is_a_sarif_result_at_its_line_and_column()
    {
        var lines = File.ReadAllLines(Repo.SpecFile);
        int index = Array.FindIndex(lines, l => l.StartsWith("| LISTEN, SYN-SENT | CLOSE |", StringComparison.Ordinal));
        Assert.True(index >= 0);
        int column = lines[index].IndexOf("| CLOSED |", StringComparison.Ordinal) + 3;
        lines[index] = lines[index].Replace("| CLOSED |", "| CLOSD |");
        using var dir = new TempDir();
        var path = dir.File("broken.spec.md");
        File.WriteAllLines(path, lines);

        var r = CliRunner.Run("table", "--spec", path, "--format", "sarif");

        Assert.Equal(2, r.Exit); // a table with errors is exit 2 in every command (issue 15); the log is still printed
        Assert.Equal("", r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        Assert.EndsWith("sarif-2.1.0.json", root.GetProperty("$schema").GetString());
        var run = Assert.Single(root.GetProperty("runs").EnumerateArray());
        var driver = run.GetProperty("tool").GetProperty("driver");
        Assert.Equal("tcpspec", driver.GetProperty("name").GetString());
        var ruleIds = driver.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(Language.SpecRules.All.Select(r => r.Id), ruleIds);

        var result = Assert.Single(run.GetProperty("results").EnumerateArray());
        Assert.Equal("TSPEC002", result.GetProperty("ruleId").GetString());
        Assert.Equal(ruleIds.IndexOf("TSPEC002"), result.GetProperty("ruleIndex").GetInt32());
        Assert.Equal("error", result.GetProperty("level").GetString());
        Assert.Contains("Unknown state 'CLOSD'", result.GetProperty("message").GetProperty("text").GetString());
        var physical = Assert.Single(result.GetProperty("locations").EnumerateArray()).GetProperty("physicalLocation");
        Assert.EndsWith("broken.spec.md", physical.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.DoesNotContain("\\", physical.GetProperty("artifactLocation").GetProperty("uri").GetString()!);
        var region = physical.GetProperty("region");
        Assert.Equal(index + 1, region.GetProperty("startLine").GetInt32());
        Assert.Equal(column, region.GetProperty("startColumn").GetInt32());
        Assert.Equal("CLOSD".Length, region.GetProperty("charLength").GetInt32());
    }

    [Fact]
    public void The_real_table_is_a_sarif_log_with_no_results()
    {
        foreach (var args in new[] { new[] { "table", "--format", "sarif" }, ["table", "--spec", Repo.SpecFile, "--format", "sarif"] })
        {
            var r = CliRunner.Run(args);
            Assert.Equal(0, r.Exit);
            using var doc = JsonDocument.Parse(r.Out);
            Assert.Empty(doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray());
        }
    }

    [Fact]
    public void An_unknown_format_is_a_usage_error()
    {
        var r = CliRunner.Run("table", "--format", "xml");
        Assert.Equal(2, r.Exit);
        Assert.Contains("xml", r.Err);
    }
}

/// <summary>Table typos are answered with the nearest declared name.</summary>
public class TableTypoTests
{
    [Fact]
    public void The_real_tables_guard_misspelt_gets_a_did_you_mean()
    {
        var text = File.ReadAllText(Repo.SpecFile);
        Assert.Contains("AckAcceptable", text);
        int at = text.IndexOf("| AckAcceptable", text.IndexOf("## Transitions", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(at > 0);
        text = text.Remove(at, "| AckAcceptable".Length).Insert(at, "| !AckAcceptble");
        using var dir = new TempDir();
        var path = dir.File("typo.spec.md");
        File.WriteAllText(path, text);
        var r = CliRunner.Run("table", "--spec", path);
        Assert.Equal(2, r.Exit);
        Assert.Contains("error TSPEC004: Unknown guard 'AckAcceptble' (did you mean 'AckAcceptable'?)", r.Err);
    }
}
