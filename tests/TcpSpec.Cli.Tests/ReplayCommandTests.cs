using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary><c>tcpspec replay</c>: a counterexample file re-executes to the same trace; a fixed table no longer shows it; bad files are usage errors.</summary>
public class ReplayCommandTests
{
    private static string Broken(string file) => Repo.Path("spec", "broken", file);

    private static string Norm(string s) => s.Replace("\r\n", "\n");

    private static void AssertNoStackTrace(CliRunner.Result r)
    {
        Assert.DoesNotContain("   at ", r.Err);
        Assert.DoesNotContain("   at ", r.Out);
        Assert.DoesNotContain("internal error", r.Err);
    }

    /// <summary>Checks a broken table into <paramref name="dir"/> and returns the stem of its counterexample files.</summary>
    private static string CheckBroken(TempDir dir, string table, string scenario, string property)
    {
        var r = CliRunner.Run("check", "--spec", Broken(table), "-s", scenario, "--out", dir.Out);
        Assert.Equal(1, r.Exit);
        var stem = Path.Combine(dir.Out, $"{scenario}.{property}");
        Assert.True(File.Exists(stem + ".replay.json"), r.Out + r.Err);
        return stem;
    }

    [Theory]
    [InlineData("11-last-ack-never-closes.spec.md", "client-closes-first", "ack-and-fin-processing")]
    [InlineData("04-accept-any-ack-in-syn-sent.spec.md", "old-duplicate-syn-ack", "no-phantom-connection")]
    [InlineData("01-skip-time-wait.spec.md", "lost-final-ack", "segment-shape")]
    [InlineData("17-established-skips-the-sequence-test.spec.md", "blind-attack", "unacceptable-dropped")]
    [InlineData("18-established-ignores-a-valid-rst.spec.md", "peer-crash", "reset-processing")]
    public void Replay_reproduces_the_violation_with_the_same_trace(string table, string scenario, string property)
    {
        using var dir = new TempDir();
        var stem = CheckBroken(dir, table, scenario, property);

        var r = CliRunner.Run("replay", stem + ".replay.json");
        Assert.Equal(1, r.Exit);
        AssertNoStackTrace(r);
        Assert.Equal("", r.Err);
        var trace = Norm(File.ReadAllText(stem + ".trace.txt"));
        Assert.Matches(new Regex(@"^\s+1\. ", RegexOptions.Multiline), trace);
        Assert.StartsWith(trace, Norm(r.Out)); // the same trace, step for step
        Assert.Contains($"Reproduced: {property}: ", r.Out);
        Assert.DoesNotContain("Not reproduced", r.Out);
    }

    [Fact]
    public void A_counterexample_with_a_stray_call_keeps_the_calls_budget_in_the_replay_file_and_replays()
    {
        using var dir = new TempDir();
        // ABORT in ESTABLISHED without its reset: only a stray ABORT (--calls) makes that call in user-calls.
        var table = Path.Combine(dir.Root, "abort-without-reset.spec.md");
        File.WriteAllText(table, File.ReadAllText(Repo.SpecFile).Replace(
            "| SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT | ABORT | — | SendReset, DeleteTcb | CLOSED |",
            "| SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT | ABORT | — | DeleteTcb | CLOSED |"));
        var r = CliRunner.Run("check", "--spec", table, "-s", "user-calls", "--calls", "1", "--out", dir.Out);
        Assert.Equal(1, r.Exit);
        Assert.Contains("calls-answered-per-rfc", r.Out);
        var stem = Path.Combine(dir.Out, "user-calls.calls-answered-per-rfc");
        var file = JsonNode.Parse(File.ReadAllText(stem + ".replay.json"))!;
        Assert.Equal(1, (int)file["budgets"]!["calls"]!);
        Assert.Contains(file["moves"]!.AsArray(), m => (string?)m!["kind"] == "Call");
        Assert.Contains("user makes a stray call ABORT", File.ReadAllText(stem + ".trace.txt"));

        var replay = CliRunner.Run("replay", stem + ".replay.json");
        Assert.Equal(1, replay.Exit);
        AssertNoStackTrace(replay);
        Assert.Contains("Reproduced: calls-answered-per-rfc", replay.Out);

        // Without stray calls the scenario never aborts: the same table passes.
        var none = CliRunner.Run("check", "--spec", table, "-s", "user-calls", "--calls", "0", "--out", dir.Out);
        Assert.Equal(0, none.Exit);
    }

    [Fact]
    public void A_counterexample_with_a_stale_budget_keeps_it_in_the_replay_file_and_replays()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "--spec", Broken("09-syn-in-established-resets.spec.md"), "-s", "client-closes-first", "--stale", "1", "--out", dir.Out);
        Assert.Equal(1, r.Exit);
        var stem = Path.Combine(dir.Out, "client-closes-first.syn-challenged");
        var file = JsonNode.Parse(File.ReadAllText(stem + ".replay.json"))!;
        Assert.Equal(1, (int)file["budgets"]!["stale"]!);
        Assert.Contains(file["moves"]!.AsArray(), m => (string?)m!["kind"] == "Stale");
        Assert.Contains("deliver again the old B→A <SEQ=300><ACK=101><CTL=SYN,ACK>", File.ReadAllText(stem + ".trace.txt"));

        var replay = CliRunner.Run("replay", stem + ".replay.json");
        Assert.Equal(1, replay.Exit);
        AssertNoStackTrace(replay);
        Assert.Contains("Reproduced: syn-challenged: A in ESTABLISHED took an old segment delivered again", replay.Out);
    }

    [Fact]
    public void Replay_against_the_fixed_table_no_longer_reproduces()
    {
        using var dir = new TempDir();
        var stem = CheckBroken(dir, "11-last-ack-never-closes.spec.md", "client-closes-first", "ack-and-fin-processing");

        var r = CliRunner.Run("replay", stem + ".replay.json", "--spec", Repo.SpecFile);
        Assert.Equal(0, r.Exit);
        AssertNoStackTrace(r);
        Assert.Contains("Not reproduced: the run no longer violates ack-and-fin-processing.", r.Out);
        Assert.DoesNotContain("Reproduced: ", r.Out.Replace("Not reproduced: ", ""));
        // The same moves, now decided by the real table: LAST-ACK takes the ACK of its FIN and closes.
        Assert.Contains("B: ACK in LAST-ACK → CLOSED  R", r.Out);
        Assert.Matches(new Regex(@"=> A [A-Z-]+, B CLOSED, \d+ in flight"), r.Out);
    }

    [Fact]
    public void Replay_against_a_table_that_no_longer_enables_a_move_exits_2_naming_the_file_and_the_step()
    {
        using var dir = new TempDir();
        // The run of a broken table, with a retransmission timeout of B appended: under the real
        // table B in CLOSE-WAIT has nothing unacknowledged, so no retransmission timer runs.
        var recorded = CheckBroken(dir, "06-forget-rcv-nxt-over-fin.spec.md", "client-closes-first", "arrival-answered");
        var json = JsonNode.Parse(File.ReadAllText(recorded + ".replay.json"))!;
        json["moves"]!.AsArray().Add(new JsonObject { ["kind"] = "Timer", ["host"] = "B", ["index"] = 1 });
        var stem = Path.Combine(dir.Out, "edited");
        File.WriteAllText(stem + ".replay.json", json.ToJsonString());

        var r = CliRunner.Run("replay", stem + ".replay.json", "--spec", Repo.SpecFile);
        Assert.Equal(2, r.Exit);
        AssertNoStackTrace(r);
        Assert.Equal("", r.Out);
        Assert.StartsWith($"tcpspec: note: {stem}.replay.json was found in table sha256:", r.Err); // another table: it says so first
        Assert.Contains($"\ntcpspec: {stem}.replay.json: step ", r.Err.Replace("\r\n", "\n"));
        Assert.Matches(new Regex(@"step \d+: the move .+ is not enabled here: the table or the model changed since the file was written"), r.Err);
    }

    [Fact]
    public void Replay_of_a_hand_shortened_run_does_not_reproduce_a_deadlock()
    {
        using var dir = new TempDir();
        var stem = CheckBroken(dir, "11-last-ack-never-closes.spec.md", "client-closes-first", "ack-and-fin-processing");
        var json = JsonNode.Parse(File.ReadAllText(stem + ".replay.json"))!;
        var moves = json["moves"]!.AsArray();
        while (moves.Count > 5) moves.RemoveAt(moves.Count - 1);
        var path = dir.File("short.replay.json");
        File.WriteAllText(path, json.ToJsonString());

        var r = CliRunner.Run("replay", path);
        Assert.Equal(0, r.Exit);
        AssertNoStackTrace(r);
        Assert.Matches(new Regex(@"^\s+5\. ", RegexOptions.Multiline), r.Out);
        Assert.DoesNotMatch(new Regex(@"^\s+6\. ", RegexOptions.Multiline), r.Out);
        Assert.Contains("Not reproduced: the run no longer violates ack-and-fin-processing.", r.Out);
    }

    public static TheoryData<string, string> Corruptions() => new()
    {
        { "truncated", "not a replay file" },
        { "empty", "not a replay file" },
        { "array", "not a replay file" },
        { "format", "replay format 99 is not supported (this tcpspec reads 1)" },
        { "kind", "move 1: unknown kind 'Teleport'" },
        { "host", "move 1: unknown host 'Z'" },
        { "scenario", "unknown scenario 'no-such-scenario'" },
        { "missing-moves", "not a replay file" },
        { "null-budgets", "not a replay file" },
        { "null-scenario", "not a replay file" },
        { "null-move", "move 2: " },
        { "segment-index", "move 2: index 200 out of range" },
        { "negative-index", "move 1: index -1 out of range" },
        { "loop-start", "loopStart 500" },
        { "negative-loop-start", "loopStart -3" },
        { "not-enabled", "step 1: Deliver of segment 0, but only 0 segment(s) are in flight" },
        { "missing-spec", "no such table file: /nonexistent/dir/tcp.spec.md" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_corrupt_replay_file_exits_2_with_a_message_naming_the_file(string corruption, string message)
    {
        using var dir = new TempDir();
        var stem = CheckBroken(dir, "11-last-ack-never-closes.spec.md", "client-closes-first", "ack-and-fin-processing");
        var text = File.ReadAllText(stem + ".replay.json");
        var json = JsonNode.Parse(text)!;
        var moves = json["moves"]!.AsArray();
        string corrupt = corruption switch
        {
            "truncated" => text[..(text.Length / 2)],
            "empty" => "",
            "array" => "[1, 2, 3]",
            "format" => Set(json, "format", 99),
            "kind" => Set(moves[0]!, "kind", "Teleport", json),
            "host" => Set(moves[0]!, "host", "Z", json),
            "scenario" => Set(json, "scenario", "no-such-scenario"),
            "missing-moves" => Remove(json, "moves"),
            "null-budgets" => Set(json, "budgets", null),
            "null-scenario" => Set(json, "scenario", null),
            "null-move" => SetMove(json, 1, null),
            "segment-index" => Set(moves[1]!, "index", 200, json),
            "negative-index" => Set(moves[0]!, "index", -1, json),
            "loop-start" => Set(json, "loopStart", 500),
            "negative-loop-start" => Set(json, "loopStart", -3),
            "not-enabled" => Set(moves[0]!, "kind", "Deliver", json), // nothing is in flight before the first move
            "missing-spec" => Set(json, "spec", "/nonexistent/dir/tcp.spec.md"),
            _ => throw new ArgumentException(corruption),
        };
        var path = dir.File($"{corruption}.replay.json");
        File.WriteAllText(path, corrupt);

        var r = CliRunner.Run("replay", path);
        Assert.Equal(2, r.Exit);
        AssertNoStackTrace(r);
        Assert.StartsWith("tcpspec: ", r.Err);
        Assert.Contains(message, r.Err);
        if (corruption != "missing-spec") Assert.Contains(path, r.Err);
    }

    [Fact]
    public void A_missing_replay_file_exits_2()
    {
        var r = CliRunner.Run("replay", "/nonexistent/dir/x.replay.json");
        Assert.Equal(2, r.Exit);
        Assert.Contains("tcpspec: no such replay file: /nonexistent/dir/x.replay.json", r.Err);
        AssertNoStackTrace(r);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void Replay_without_a_file_is_a_usage_error()
    {
        var r = CliRunner.Run("replay");
        Assert.Equal(2, r.Exit);
        Assert.Contains("tcpspec:", r.Err);
        AssertNoStackTrace(r);
    }

    private static string Set(JsonNode node, string key, JsonNode? value, JsonNode? root = null)
    {
        node[key] = value;
        return (root ?? node).ToJsonString();
    }

    private static string Remove(JsonNode node, string key)
    {
        node.AsObject().Remove(key);
        return node.ToJsonString();
    }

    private static string SetMove(JsonNode root, int index, JsonNode? value)
    {
        root["moves"]!.AsArray()[index] = value;
        return root.ToJsonString();
    }
}
