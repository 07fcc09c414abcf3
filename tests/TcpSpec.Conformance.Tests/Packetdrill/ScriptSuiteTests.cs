using System.Text.RegularExpressions;
using TcpSpec.Conformance.Packetdrill;
using TcpSpec.Testing;

namespace TcpSpec.Conformance.Tests.Packetdrill;

/// <summary>
/// Our own packetdrill scripts (tests/TcpSpec.Conformance.Tests/Scripts): every one passes
/// against the generated engine, and together they inject every segment event in every state.
/// </summary>
public class ScriptSuiteTests
{
    /// <summary>The segment events the scripts must cover in every state (BARE, text without ACK, is not among them).</summary>
    public static readonly string[] SegmentEvents = ["SYN", "SYN-ACK", "SYN-FIN", "ACK", "FIN", "FIN-ACK", "RST", "RST-ACK"];

    /// <summary>Our own scripts run under --strict: every packet sent is expected, nothing follows the last line.</summary>
    public static readonly PacketdrillOptions Strict = new() { Strict = true };

    public static string ScriptsDir => Repo.Path("tests", "TcpSpec.Conformance.Tests", "Scripts");

    public static IReadOnlyList<string> ScriptFiles() =>
        Directory.GetFiles(ScriptsDir, "*.pkt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var f in ScriptFiles()) data.Add(Name(f));
        return data;
    }

    private static string Name(string file) => Path.GetRelativePath(ScriptsDir, file).Replace('\\', '/');

    private static readonly Lazy<IReadOnlyList<(string Name, Script Script, ScriptResult Result)>> All = new(() =>
        ScriptFiles().Select(f =>
        {
            var script = PacketdrillParser.ParseFile(f);
            return (Name(f), script, PacketdrillRunner.Run(script, Strict));
        }).ToList());

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_passes(string name)
    {
        var result = PacketdrillRunner.Run(PacketdrillParser.ParseFile(Path.Combine(ScriptsDir, name)), Strict);
        Assert.True(result.Passed, PacketdrillReport.Format(result, verbose: true));
    }

    [Fact]
    public void The_scripts_inject_every_segment_event_in_every_state()
    {
        var hit = All.Value.SelectMany(r => r.Result.Cells).Select(c => (c.State, c.Event)).ToHashSet();
        var missing = (from s in TcpMachine.StateNames from e in SegmentEvents where !hit.Contains((s, e)) select $"{s} × {e}").ToList();
        Assert.True(missing.Count == 0, $"No script injects {missing.Count} cell(s): {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_cell_has_its_own_script_that_injects_it_after_the_setup()
    {
        var problems = new List<string>();
        foreach (var state in TcpMachine.StateNames)
        {
            foreach (var ev in SegmentEvents)
            {
                var name = $"{state.ToLowerInvariant()}/rcv-{ev.ToLowerInvariant()}.pkt";
                var run = All.Value.FirstOrDefault(r => r.Name == name);
                if (run.Script is null)
                {
                    problems.Add($"{name} is missing");
                    continue;
                }
                // The header names the cell and cites RFC 9293; the cell is met after the setup.
                var text = File.ReadAllText(Path.Combine(ScriptsDir, name));
                if (!text.StartsWith($"// {state} × {ev}\n", StringComparison.Ordinal)) problems.Add($"{name}: the first line must be '// {state} × {ev}'");
                if (!Regex.IsMatch(text, @"RFC (9293|5961|1122)")) problems.Add($"{name}: the header cites no RFC section");
                int marker = MarkerLine(text);
                if (!run.Result.Cells.Any(c => c.State == state && c.Event == ev && c.Line > marker))
                    problems.Add($"{name} never injects {ev} in {state} (after line {marker})");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_script_has_a_header_citing_the_rfc()
    {
        foreach (var f in ScriptFiles())
        {
            var head = string.Join(" ", File.ReadLines(f).TakeWhile(l => l.StartsWith("//", StringComparison.Ordinal)).Select(l => l.TrimStart('/').Trim()));
            Assert.True(Regex.IsMatch(head, @"RFC \d{3,4} §"), $"{Name(f)}: the header comment must name the RFC section it tests");
        }
    }

    [Fact]
    public void Our_scripts_run_every_line_they_write_except_the_shown_skips()
    {
        // Only the one example that demonstrates skipping has skipped lines.
        var skipping = All.Value.Where(r => r.Result.Skipped.Count > 0).Select(r => r.Name).ToList();
        Assert.Equal(["examples/server-remote-fin-then-close.pkt"], skipping);
    }

    /// <summary>The line of "// The segment under test" (0 if the script has none: the whole script is the test).</summary>
    private static int MarkerLine(string text)
    {
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
            if (lines[i].StartsWith("// The segment under test", StringComparison.Ordinal)) return i + 1;
        return 0;
    }
}
