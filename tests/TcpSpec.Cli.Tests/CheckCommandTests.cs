using System.Text.Json;
using System.Text.RegularExpressions;
using TcpSpec.Checker;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary><c>tcpspec check</c>: verdicts, counterexample files, JSON, coverage and argument errors, run in-process.</summary>
public class CheckCommandTests
{
    private static readonly string LastAckNeverCloses = Repo.Path("spec", "broken", "11-last-ack-never-closes.spec.md");
    private static readonly string AcceptAnyAck = Repo.Path("spec", "broken", "04-accept-any-ack-in-syn-sent.spec.md");

    private static string Norm(string s) => s.Replace("\r\n", "\n");

    private static void AssertNoStackTrace(CliRunner.Result r)
    {
        Assert.DoesNotContain("   at ", r.Err);
        Assert.DoesNotContain("   at ", r.Out);
        Assert.DoesNotContain("internal error", r.Err);
        Assert.DoesNotContain("Exception", r.Err);
    }

    [Fact]
    public void A_scenario_that_holds_exits_0_with_its_row_verdict_and_state_count()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "-s", "lost-final-ack", "--out", dir.Out);
        Assert.Equal(0, r.Exit);

        // The same search the command runs, through the library: the state count printed is its count.
        var expected = ModelChecker.Check(ScenarioCatalog.Find("lost-final-ack")!);
        Assert.True(expected.Holds);
        var row = Assert.Single(r.Out.Split('\n'), l => l.TrimStart().StartsWith("lost-final-ack ", StringComparison.Ordinal));
        Assert.Contains("all properties hold", row);
        Assert.Contains("strategy: exhaustive", r.Out);
        Assert.Contains($" {expected.Stats.States.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} ", row);
        Assert.All(r.Out.Split('\n').TakeWhile(l => !l.StartsWith("Coverage:", StringComparison.Ordinal)), l => Assert.True(l.TrimEnd('\r').Length <= 80, $"wider than 80 columns: {l}")); // issue 15: fits a terminal
        Assert.Contains("row(s) no scenario reached (--verbose lists them", r.Out);
        Assert.DoesNotContain("Rows no scenario reached:", r.Out);
        Assert.DoesNotContain("Property violated", r.Out);
        Assert.DoesNotContain("VIOLATED", r.Out);
        Assert.Contains("Coverage: ", r.Out);

        // No counterexample files, only the coverage.
        Assert.Equal(new[] { "coverage.json" }, Directory.GetFiles(dir.Out).Select(f => Path.GetFileName(f)).ToArray());
    }

    [Fact]
    public void List_names_every_scenario_of_the_catalog_with_its_budgets_and_description()
    {
        var r = CliRunner.Run("check", "--list");
        Assert.Equal(0, r.Exit);
        Assert.Equal("", r.Err);
        var lines = Norm(r.Out).Split('\n');
        foreach (var s in ScenarioCatalog.All.Concat(ScenarioCatalog.Findings))
        {
            var line = Assert.Single(lines, l => l.StartsWith(s.Name + " ", StringComparison.Ordinal));
            Assert.Contains(s.Defaults.ToString(), line);
            Assert.Contains(s.Description, r.Out);
        }
        // One line per scenario plus the heading of the findings.
        Assert.Equal(ScenarioCatalog.All.Count + ScenarioCatalog.Findings.Count + 1, lines.Count(l => l.Length > 0 && l[0] != ' '));
        Assert.Contains("Findings about RFC 9293 itself", r.Out);
    }

    [Fact]
    public void A_broken_table_exits_1_prints_the_trace_and_writes_the_four_counterexample_files()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "--spec", LastAckNeverCloses, "--scenario", "client-closes-first", "--out", dir.Out);
        Assert.Equal(1, r.Exit);
        AssertNoStackTrace(r);
        Assert.Contains("VIOLATED: ack-and-fin-processing", r.Out);
        Assert.Contains("Property violated: ack-and-fin-processing", r.Out);
        Assert.Contains("Scenario: client-closes-first", r.Out);
        Assert.Matches(new Regex(@"^\s+1\. A: user calls OPEN", RegexOptions.Multiline), r.Out);
        Assert.Matches(new Regex(@"^\s+2\. deliver A→B <SEQ=\d+><CTL=SYN>", RegexOptions.Multiline), r.Out);
        Assert.Matches(new Regex(@"R\d+ \(line \d+: "), r.Out);
        // The broken row itself is what the trace ends on: LAST-ACK takes the ACK of its FIN and stays.
        Assert.Contains("B: ACK in LAST-ACK  R", r.Out);
        Assert.Contains("must take it to CLOSED, but it went to LAST-ACK", r.Out);

        string stem = Path.Combine(dir.Out, "client-closes-first.ack-and-fin-processing");
        string[] expected = [".pcapng", ".replay.json", ".sequence.md", ".trace.txt"];
        foreach (var ext in expected) Assert.True(File.Exists(stem + ext), $"{stem + ext} was not written");
        Assert.Equal(expected.Select(e => "client-closes-first.ack-and-fin-processing" + e).Append("coverage.json").Order(StringComparer.Ordinal),
            Directory.GetFiles(dir.Out).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal));
        Assert.Contains($"Replay: tcpspec replay {stem}.replay.json", r.Out);

        // The trace file is the trace printed.
        var trace = Norm(File.ReadAllText(stem + ".trace.txt"));
        Assert.StartsWith("Property violated: ack-and-fin-processing\n", trace);
        Assert.Contains(trace, Norm(r.Out));

        // The replay file names the table, the scenario and the property.
        using (var replay = JsonDocument.Parse(File.ReadAllText(stem + ".replay.json")))
        {
            Assert.Equal(1, replay.RootElement.GetProperty("format").GetInt32());
            Assert.Equal("client-closes-first", replay.RootElement.GetProperty("scenario").GetString());
            Assert.Equal("ack-and-fin-processing", replay.RootElement.GetProperty("property").GetString());
            Assert.Equal(Path.GetFullPath(LastAckNeverCloses), Path.GetFullPath(replay.RootElement.GetProperty("spec").GetString()!));
            int steps = Regex.Matches(trace, @"^\s+\d+\. ", RegexOptions.Multiline).Count;
            Assert.Equal(steps, replay.RootElement.GetProperty("moves").GetArrayLength());
        }

        var diagram = File.ReadAllText(stem + ".sequence.md");
        Assert.StartsWith("# client-closes-first: ack-and-fin-processing", diagram);
        Assert.Contains("```mermaid\nsequenceDiagram\n", Norm(diagram));

        var capture = TcpSpec.Conformance.Pcap.CaptureReader.ReadFile(stem + ".pcapng");
        Assert.StartsWith("pcapng", capture.Format, StringComparison.Ordinal);
        Assert.Equal([101], capture.LinkTypes);
        Assert.Equal(TcpSpec.Protocol.TcpFlags.Syn, capture.Segments[0].Seg.Flags); // from the connection's first segment
    }

    [Fact]
    public void Checking_twice_into_the_same_directory_rewrites_the_files()
    {
        // Every file of the first run must be closed: the second run, in the same process, overwrites them.
        using var dir = new TempDir();
        var first = CliRunner.Run("check", "--spec", AcceptAnyAck, "-s", "old-duplicate-syn-ack", "--out", dir.Out);
        var second = CliRunner.Run("check", "--spec", AcceptAnyAck, "-s", "old-duplicate-syn-ack", "--out", dir.Out);
        Assert.Equal(1, first.Exit);
        Assert.Equal(1, second.Exit);
        AssertNoStackTrace(second);
        var stem = Path.Combine(dir.Out, "old-duplicate-syn-ack.no-phantom-connection");
        Assert.Contains(Norm(File.ReadAllText(stem + ".trace.txt")), Norm(second.Out));
        Assert.Equal(0x0A0D0D0Au, BitConverter.ToUInt32(File.ReadAllBytes(stem + ".pcapng"), 0)); // readable: no writer holds it
        Assert.Equal(5, Directory.GetFiles(dir.Out).Length);
    }

    [Fact]
    public void Json_output_is_valid_json_with_verdict_states_and_replay_paths()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "--spec", AcceptAnyAck, "-s", "old-duplicate-syn-ack", "--json", "--out", dir.Out);
        Assert.Equal(1, r.Exit);
        AssertNoStackTrace(r);

        using var doc = JsonDocument.Parse(r.Out); // nothing but JSON on stdout
        var root = doc.RootElement;
        Assert.False(root.GetProperty("holds").GetBoolean());
        Assert.Equal(Path.Combine(dir.Out, "coverage.json"), root.GetProperty("coverage").GetString());
        var scenario = Assert.Single(root.GetProperty("scenarios").EnumerateArray());
        Assert.Equal("old-duplicate-syn-ack", scenario.GetProperty("name").GetString());
        Assert.Equal("exhaustive", scenario.GetProperty("strategy").GetString());
        Assert.True(scenario.GetProperty("states").GetInt64() > 1);
        Assert.True(scenario.GetProperty("transitions").GetInt64() >= scenario.GetProperty("states").GetInt64() - 1);
        Assert.False(scenario.GetProperty("holds").GetBoolean());
        var violation = Assert.Single(scenario.GetProperty("violations").EnumerateArray());
        Assert.Equal("no-phantom-connection", violation.GetProperty("property").GetString());
        Assert.True(violation.GetProperty("moves").GetInt32() > 0);
        foreach (var key in new[] { "replay", "trace", "diagram", "pcap" })
            Assert.True(File.Exists(violation.GetProperty(key).GetString()), $"{key}: {violation.GetProperty(key).GetString()} does not exist");
        Assert.Equal(Path.Combine(dir.Out, "old-duplicate-syn-ack.no-phantom-connection.replay.json"), violation.GetProperty("replay").GetString());
    }

    [Fact]
    public void Json_output_of_a_scenario_that_holds_says_so()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "-s", "closed-port", "--json", "--out", dir.Out);
        Assert.Equal(0, r.Exit);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.True(doc.RootElement.GetProperty("holds").GetBoolean());
        var scenario = Assert.Single(doc.RootElement.GetProperty("scenarios").EnumerateArray());
        Assert.True(scenario.GetProperty("holds").GetBoolean());
        Assert.Empty(scenario.GetProperty("violations").EnumerateArray());
        var expected = ModelChecker.Check(ScenarioCatalog.Find("closed-port")!);
        Assert.Equal(expected.Stats.States, scenario.GetProperty("states").GetInt64());
        Assert.Equal(expected.Stats.Transitions, scenario.GetProperty("transitions").GetInt64());
    }

    [Fact]
    public void Coverage_json_lists_every_row_and_agrees_with_the_rows_covered()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "-s", "lost-final-ack", "--json", "--out", dir.Out);
        Assert.Equal(0, r.Exit);
        using var result = JsonDocument.Parse(r.Out);
        int rowsCovered = result.RootElement.GetProperty("scenarios")[0].GetProperty("rowsCovered").GetInt32();

        var path = Path.Combine(dir.Out, "coverage.json");
        Assert.True(File.Exists(path));
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        Assert.Equal("spec/tcp.spec.md", root.GetProperty("spec").GetString());
        Assert.Equal(new[] { "lost-final-ack" }, root.GetProperty("scenarios").EnumerateArray().Select(s => s.GetString()).ToArray());

        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(TcpMachine.Rows.Select(x => x.Id), rows.Select(x => x.GetProperty("id").GetInt32()));
        Assert.Equal(TcpMachine.Rows.Select(x => x.Line), rows.Select(x => x.GetProperty("line").GetInt32()));
        Assert.Equal(TcpMachine.Rows.Select(x => x.Description), rows.Select(x => x.GetProperty("description").GetString()));
        var covered = rows.Where(x => x.GetProperty("covered").GetBoolean()).ToList();
        Assert.Equal(rowsCovered, covered.Count);
        Assert.InRange(covered.Count, 1, TcpMachine.Rows.Count - 1);
        foreach (var row in rows)
        {
            var scenarios = row.GetProperty("scenarios").EnumerateArray().Select(s => s.GetString()).ToArray();
            Assert.Equal(row.GetProperty("covered").GetBoolean() ? new[] { "lost-final-ack" } : Array.Empty<string?>(), scenarios);
        }

        var cells = root.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(TcpMachine.StateNames.Count * TcpMachine.EventNames.Count, cells.Count);
        Assert.Contains(cells, c => c.GetProperty("state").GetString() == "TIME-WAIT" && c.GetProperty("event").GetString() == "FIN-ACK" && c.GetProperty("covered").GetBoolean());
    }

    [Theory]
    [InlineData("unknown scenario 'no-such-scenario'", "-s", "no-such-scenario")]
    [InlineData("--loss must be 0 or more, not -1", "-s", "abort", "--loss", "-1")]
    [InlineData("--max-in-flight must be between 1 and 12, not 99", "-s", "abort", "--max-in-flight", "99")]
    [InlineData("--max-in-flight must be between 1 and 12, not 0", "-s", "abort", "--max-in-flight", "0")]
    [InlineData("--stale must be between 0 and 255, not -1", "-s", "abort", "--stale", "-1")]
    [InlineData("--attack must be between 0 and 255, not 256", "-s", "abort", "--attack", "256")]
    [InlineData("--calls must be between 0 and 255, not -1", "-s", "user-calls", "--calls", "-1")]
    [InlineData("--calls must be between 0 and 255, not 256", "-s", "user-calls", "--calls", "256")]
    [InlineData("'bogus'", "-s", "abort", "--strategy", "bogus")]
    [InlineData("--iterations must be positive, not 0", "-s", "abort", "--strategy", "random", "--iterations", "0")]
    [InlineData("no such table file", "-s", "abort", "--spec", "/nonexistent/dir/tcp.spec.md")]
    [InlineData("--bogus", "--bogus")]
    public void Bad_arguments_exit_2_with_a_message_and_no_stack_trace(string message, params string[] args)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["check", .. args, "--out", dir.Out]);
        Assert.Equal(2, r.Exit);
        Assert.StartsWith("tcpspec: ", r.Err);
        Assert.Contains(message, r.Err);
        AssertNoStackTrace(r);
        Assert.Equal("", r.Out);
        Assert.False(Directory.Exists(dir.Out), "nothing is written on a usage error");
    }

    [Fact]
    public void A_table_that_does_not_compile_exits_2_with_the_error_at_its_line_and_column()
    {
        using var dir = new TempDir();
        var lines = File.ReadAllLines(Repo.SpecFile);
        int index = Array.FindIndex(lines, l => l.StartsWith("| LISTEN, SYN-SENT | CLOSE |", StringComparison.Ordinal));
        Assert.True(index >= 0);
        lines[index] = lines[index].Replace("| CLOSED |", "| CLOSD |");
        var path = dir.File("typo.spec.md");
        File.WriteAllLines(path, lines);

        var r = CliRunner.Run("check", "--spec", path, "-s", "abort", "--out", dir.Out);
        Assert.Equal(2, r.Exit); // bad input, as in every command (issue 15)
        int column = lines[index].IndexOf("CLOSD", StringComparison.Ordinal) + 1;
        Assert.Contains($"{path}({index + 1},{column}): error TSPEC002: Unknown state 'CLOSD'", r.Err);
        Assert.Contains("the table does not compile; nothing was checked", r.Err);
        AssertNoStackTrace(r);
        Assert.Equal("", r.Out);
        Assert.False(Directory.Exists(dir.Out));
    }

    [Theory]
    [InlineData("random", "random(seed=7)")]
    [InlineData("pct", "pct(seed=7, depth=3)")]
    public void Randomized_strategies_run_and_name_themselves(string strategy, string shown)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "-s", "abort", "--strategy", strategy, "--seed", "7", "--iterations", "20", "--out", dir.Out);
        Assert.Equal(0, r.Exit);
        var row = Assert.Single(r.Out.Split('\n'), l => l.TrimStart().StartsWith("abort ", StringComparison.Ordinal));
        Assert.Contains("strategy: " + shown, r.Out);
        Assert.Contains("all properties hold", row);
    }

    [Fact]
    public void Randomized_strategies_find_a_broken_table_too()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "--spec", AcceptAnyAck, "-s", "old-duplicate-syn-ack", "--strategy", "random", "--seed", "1",
            "--iterations", "200", "--json", "--out", dir.Out);
        Assert.Equal(1, r.Exit);
        using var doc = JsonDocument.Parse(r.Out);
        var scenario = doc.RootElement.GetProperty("scenarios")[0];
        Assert.Equal("random(seed=1)", scenario.GetProperty("strategy").GetString());
        Assert.Contains(scenario.GetProperty("violations").EnumerateArray(), v => v.GetProperty("property").GetString() == "no-phantom-connection");
        using var replay = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Out, "old-duplicate-syn-ack.no-phantom-connection.replay.json")));
        Assert.Equal("random(seed=1)", replay.RootElement.GetProperty("strategy").GetString());
    }

    [Theory]
    [InlineData("random")]
    [InlineData("pct")]
    public void The_same_seed_gives_the_same_numbers(string strategy)
    {
        (long States, long Transitions, int MaxDepth, long Iterations)[] Numbers()
        {
            using var dir = new TempDir();
            var r = CliRunner.Run("check", "-s", "abort,lost-final-ack", "--strategy", strategy, "--seed", "7", "--iterations", "20", "--json", "--out", dir.Out);
            Assert.Equal(0, r.Exit);
            using var doc = JsonDocument.Parse(r.Out);
            return doc.RootElement.GetProperty("scenarios").EnumerateArray()
                .Select(s => (s.GetProperty("states").GetInt64(), s.GetProperty("transitions").GetInt64(), s.GetProperty("maxDepth").GetInt32(),
                    s.GetProperty("iterations").GetInt64()))
                .ToArray();
        }

        var first = Numbers();
        var second = Numbers();
        Assert.Equal(2, first.Length);
        Assert.All(first, n => Assert.True(n.States > 1 && n.Transitions > 0 && n.Iterations == 20, n.ToString()));
        Assert.Equal(first, second);
    }
}
