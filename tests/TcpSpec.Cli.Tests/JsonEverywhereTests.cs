using System.Text.Json;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Engines;
using TcpSpec.Testing;
using static TcpSpec.Cli.Tests.CliRunner;

namespace TcpSpec.Cli.Tests;

/// <summary>
/// <c>--json</c> on every command (issue 15): stdout is one JSON document whose fields say what the
/// command found (docs/json-schema.md), the exit code is the text run's, and errors are JSON too.
/// </summary>
public class JsonEverywhereTests
{
    private static readonly string Scripts = Repo.Path("tests", "TcpSpec.Conformance.Tests", "Scripts");
    private static readonly string Captures = Repo.Path("tests", "TcpSpec.Conformance.Tests", "Fixtures", "linux");

    private static JsonElement Parse(CliRunner.Result r)
    {
        using var doc = JsonDocument.Parse(r.Out); // throws unless stdout is exactly one document
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Check_list_lists_every_scenario_with_its_default_budgets()
    {
        var r = Run("check", "--list", "--json");
        Assert.Equal(Cli.Ok, r.Exit);
        var root = Parse(r);
        Assert.Equal("check --list", root.GetProperty("command").GetString());
        var scenarios = root.GetProperty("scenarios").EnumerateArray().ToList();
        Assert.Equal(ScenarioCatalog.All.Select(s => s.Name).Concat(ScenarioCatalog.Findings.Select(s => s.Name)), scenarios.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(ScenarioCatalog.All.Count, scenarios.Count(s => s.GetProperty("runByDefault").GetBoolean()));
        var lost = scenarios.Single(s => s.GetProperty("name").GetString() == "lost-final-ack");
        Assert.Equal(ScenarioCatalog.Find("lost-final-ack")!.Defaults.Loss, lost.GetProperty("budgets").GetProperty("loss").GetInt32());
        Assert.Contains("both-closed", lost.GetProperty("properties").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public void Table_is_its_summary_and_rows_with_the_hash_check_reports()
    {
        using var dir = new TempDir();
        var r = Run("table", "--json", "--cells");
        Assert.Equal(Cli.Ok, r.Exit);
        var root = Parse(r);
        var m = GeneratedEngine.Instance.Table;
        Assert.Equal(m.Rows.Count, root.GetProperty("counts").GetProperty("rows").GetInt32());
        Assert.Equal(m.States.Count, root.GetProperty("counts").GetProperty("states").GetInt32());
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(m.Rows.Select(x => x.Line), rows.Select(x => x.GetProperty("line").GetInt32()));
        Assert.Equal(m.Cells.Count, root.GetProperty("cells").GetArrayLength());
        var check = Parse(Run("check", "-s", "abort", "--json", "--out", dir.Out));
        Assert.Equal(check.GetProperty("tableHash").GetString(), root.GetProperty("tableHash").GetString());
    }

    [Fact]
    public void Table_errors_are_json_with_file_line_column_and_id()
    {
        using var dir = new TempDir();
        var (spec, line, column) = TypoTable.WriteTo(dir);
        var r = Run("table", "--spec", spec, "--json");
        Assert.Equal(Cli.Usage, r.Exit);
        var root = Parse(r);
        Assert.Equal("table", root.GetProperty("command").GetString());
        Assert.Equal(Cli.Usage, root.GetProperty("exitCode").GetInt32());
        var errors = root.GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains("the table does not compile", errors[0].GetProperty("message").GetString());
        var d = errors.Single(e => e.GetProperty("id").GetString() == "TSPEC004");
        Assert.Equal(line, d.GetProperty("line").GetInt32());
        Assert.Equal(column, d.GetProperty("column").GetInt32());
        Assert.EndsWith("typo.spec.md", d.GetProperty("file").GetString());
        Assert.Equal("Unknown guard 'AckAcceptble' (did you mean 'AckAcceptable'?): declare it in the Guards table", d.GetProperty("message").GetString());
    }

    [Fact]
    public void Conform_reports_each_capture_and_connection_as_the_text_does()
    {
        var capture = Path.Combine(Captures, "close-client-first.pcap");
        var text = Run("conform", capture, "--profile", "linux");
        var r = Run("conform", capture, "--profile", "linux", "--json");
        Assert.Equal(text.Exit, r.Exit);
        var root = Parse(r);
        Assert.Equal("conform", root.GetProperty("command").GetString());
        Assert.Equal("linux", root.GetProperty("profile").GetString());
        var c = Assert.Single(root.GetProperty("captures").EnumerateArray());
        var connections = c.GetProperty("connections").EnumerateArray().ToList();
        Assert.Contains($"{connections.Count} connection(s)", text.Out);
        Assert.Equal(text.Exit == Cli.Ok, root.GetProperty("conforms").GetBoolean());
        var first = connections[0];
        Assert.Contains($"A {first.GetProperty("a").GetString()} ↔ B {first.GetProperty("b").GetString()}", text.Out);
        Assert.Equal(2, first.GetProperty("endpoints").GetArrayLength());
    }

    [Fact]
    public void Conform_names_a_non_conforming_segment_and_an_unreadable_capture()
    {
        using var dir = new TempDir();
        var junk = dir.File("junk.pcap");
        File.WriteAllBytes(junk, [1, 2, 3, 4, 5, 6, 7, 8]);
        var capture = Path.Combine(Captures, "challenge-ack-rst.pcap");
        var text = Run("conform", capture);
        var r = Run("conform", capture, junk, "--json");
        Assert.Equal(Cli.Usage, r.Exit); // unreadable input wins, as without --json
        var captures = Parse(r).GetProperty("captures").EnumerateArray().ToList();
        Assert.Equal(2, captures.Count);
        var bad = captures[1].GetProperty("error");
        Assert.Contains("unreadable capture at byte", bad.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Number, bad.GetProperty("offset").ValueKind);
        var failures = captures[0].GetProperty("connections").EnumerateArray()
            .SelectMany(c => c.GetProperty("endpoints").EnumerateArray())
            .Where(e => e.GetProperty("failure").ValueKind == JsonValueKind.Object).ToList();
        Assert.Equal(text.Exit == Cli.Finding, failures.Count > 0);
        foreach (var f in failures) Assert.Contains($"sends #{f.GetProperty("failure").GetProperty("frame").GetInt64()} ", text.Out);
    }

    [Fact]
    public void Pkt_reports_every_script_of_a_directory_in_path_order()
    {
        var dir = Path.Combine(Scripts, "listen");
        var r = Run("pkt", dir, "--json");
        Assert.Equal(Cli.Ok, r.Exit);
        var root = Parse(r);
        var expected = Directory.GetFiles(dir, "*.pkt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(Path.GetFileName).ToList();
        var scripts = root.GetProperty("scripts").EnumerateArray().ToList();
        Assert.Equal(expected, scripts.Select(s => Path.GetFileName(s.GetProperty("file").GetString())));
        Assert.All(scripts, s => Assert.Equal("pass", s.GetProperty("result").GetString()));
        Assert.Equal(expected.Count, root.GetProperty("totals").GetProperty("passed").GetInt32());
        Assert.True(root.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public void Pkt_names_the_failing_line_and_the_row_and_a_malformed_script()
    {
        using var dir = new TempDir();
        var malformed = dir.File("bad.pkt");
        File.WriteAllText(malformed, "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 this is not packetdrill\n");
        var script = Path.Combine(Scripts, "established", "rcv-syn.pkt");
        var broken = Repo.Path("spec", "broken", "09-syn-in-established-resets.spec.md");
        var r = Run("pkt", script, malformed, "--spec", broken, "--json");
        Assert.Equal(Cli.Usage, r.Exit); // a malformed script, as without --json
        var scripts = Parse(r).GetProperty("scripts").EnumerateArray().ToList();
        var fail = scripts[0];
        Assert.Equal("fail", fail.GetProperty("result").GetString());
        Assert.Contains("outbound packet differs", fail.GetProperty("failure").GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Number, fail.GetProperty("failure").GetProperty("row").ValueKind);
        Assert.Equal("malformed", scripts[1].GetProperty("result").GetString());
        Assert.Equal(2, scripts[1].GetProperty("error").GetProperty("line").GetInt32());
    }

    [Fact]
    public void Replay_says_whether_it_reproduces_and_whether_the_table_changed()
    {
        using var dir = new TempDir();
        var broken = Repo.Path("spec", "broken", "01-skip-time-wait.spec.md");
        Assert.Equal(Cli.Finding, Run("check", "--spec", broken, "-s", "lost-final-ack", "--out", dir.Out).Exit);
        var file = Path.Combine(dir.Out, "lost-final-ack.segment-shape.replay.json");

        var r = Run("replay", file, "--json");
        Assert.Equal(Cli.Finding, r.Exit);
        var root = Parse(r);
        Assert.True(root.GetProperty("reproduced").GetBoolean());
        Assert.Equal("segment-shape", root.GetProperty("property").GetString());
        Assert.False(root.GetProperty("tableChanged").GetBoolean());
        Assert.Equal(root.GetProperty("moves").GetInt32(), root.GetProperty("steps").GetArrayLength());

        var fixedTable = Run("replay", file, "--spec", Repo.SpecFile, "--json");
        var again = Parse(fixedTable);
        Assert.Equal(Cli.Ok, fixedTable.Exit);
        Assert.False(again.GetProperty("reproduced").GetBoolean());
        Assert.True(again.GetProperty("tableChanged").GetBoolean());
    }

    [Fact]
    public void Every_command_names_the_table_alike_built_in_or_the_spec_file_as_a_build_prints_paths()
    {
        using var dir = new TempDir();
        // Relative to the working directory, or absolute where that would climb out of it (as a build prints paths).
        static string Shown(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path) is var rel && !rel.StartsWith("..", StringComparison.Ordinal) ? rel : path;
        string relative = Shown(Repo.SpecFile);
        string Table(params string[] args) => Parse(Run(args)).GetProperty("table").GetString()!;

        Assert.Equal("built in", Table("check", "-s", "closed-port", "--json", "--out", dir.Out));
        Assert.Equal("built in", Table("table", "--json"));
        Assert.Equal(relative, Table("check", "-s", "closed-port", "--spec", Repo.SpecFile, "--json", "--out", dir.Out));
        Assert.Equal(relative, Table("table", "--spec", Repo.SpecFile, "--json"));

        var broken = Repo.Path("spec", "broken", "01-skip-time-wait.spec.md");
        Assert.Equal(Cli.Finding, Run("check", "--spec", broken, "-s", "lost-final-ack", "--out", dir.Out).Exit);
        var file = Path.Combine(dir.Out, "lost-final-ack.segment-shape.replay.json");
        Assert.Equal(Shown(broken), Table("replay", file, "--json"));
        Assert.Equal(relative, Table("replay", file, "--spec", Repo.SpecFile, "--json"));
    }

    [Theory]
    [InlineData("conform", "--bogus", "x.pcap")]
    [InlineData("pkt", "/no/such/dir")]
    [InlineData("replay", "/no/such.replay.json")]
    [InlineData("check", "-s", "no-such-scenario")]
    [InlineData("table", "--spec", "/no/such.spec.md")]
    public void An_error_with_json_is_a_json_document_with_the_same_exit_code(params string[] args)
    {
        var r = Run([.. args, "--json"]);
        Assert.Equal(Cli.Usage, r.Exit);
        var root = Parse(r);
        Assert.Equal(args[0], root.GetProperty("command").GetString());
        Assert.Equal(Cli.Usage, root.GetProperty("exitCode").GetInt32());
        var message = root.GetProperty("errors")[0].GetProperty("message").GetString();
        Assert.Contains(message!, r.Err); // the same words as on stderr
    }
}
