using System.Text.RegularExpressions;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Strategies;
using TcpSpec.Checker.Output;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Tests.Broken;
using TcpSpec.Engines;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests.Output;

/// <summary>
/// The counterexample of a broken table drawn as a Mermaid sequence diagram and written as text:
/// one arrow per segment delivered or lost, labels Mermaid can parse, and every row named.
/// </summary>
public class SequenceDiagramTests
{
    public static TheoryData<string> Tables() => new(BrokenTableCatalog.All.Select(b => b.File));

    private static readonly Dictionary<string, (TwoHostModel Model, Violation Violation, List<TraceStep> Trace)> Cache = new();

    /// <summary>The violation <c>tcpspec check --spec spec/broken/FILE</c> reports, with its replayed trace.</summary>
    private static (TwoHostModel Model, Violation Violation, List<TraceStep> Trace) Counterexample(string file)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(file, out var cached)) return cached;
            var broken = BrokenTableCatalog.All.Single(b => b.File == file);
            var engine = InterpretedEngine.Load(Repo.Path("spec", "broken", file), out var diagnostics);
            Assert.True(engine is not null, string.Join("; ", diagnostics));
            var result = ModelChecker.Check(ScenarioCatalog.Find(broken.Scenario)!, new CheckOptions { Engine = engine, Model = new ModelOptions { UntimedTimers = broken.UntimedTimers } });
            var violation = result.Violations.First(v => v.Property == broken.Property);
            var entry = (result.Model, violation, Trace.Of(result.Model, result.Properties, violation.Path));
            Cache[file] = entry;
            return entry;
        }
    }

    private static readonly Regex Entity = new("#[A-Za-z0-9]+;");

    private static readonly Regex Arrow = new(@"^    (?<from>\w+)(?<arrow>->>|-x)(?<to>\w+): (?<label>.*)$");

    /// <summary>A label as Mermaid shows it: its <c>#name;</c> and <c>#nn;</c> escapes decoded.</summary>
    private static string Decode(string label) => Entity.Replace(label, m => m.Value switch
    {
        "#lt;" => "<",
        "#gt;" => ">",
        "#quot;" => "\"",
        "#amp;" => "&",
        _ when int.TryParse(m.Value[1..^1], out int code) => ((char)code).ToString(),
        _ => throw new Xunit.Sdk.XunitException($"unknown entity {m.Value}"),
    });

    [Theory]
    [MemberData(nameof(Tables))]
    public void Diagram_is_a_mermaid_sequence_diagram_with_both_hosts(string file)
    {
        var (model, v, trace) = Counterexample(file);
        var text = SequenceDiagram.Write(model, v, trace);
        var lines = text.Split('\n');
        Assert.Equal("```mermaid", lines[0]);
        Assert.Equal("sequenceDiagram", lines[1]);
        Assert.Equal("    participant A", lines[2]);
        Assert.Equal("    participant B", lines[3]);
        Assert.Equal("```", lines[^2]);
        Assert.Equal("", lines[^1]);
        Assert.Equal(2, lines.Count(l => l == "```" || l.StartsWith("```", StringComparison.Ordinal)));

        // Every statement inside is an arrow or a note, indented.
        foreach (var line in lines[4..^2])
            Assert.True(Arrow.IsMatch(line) || line.StartsWith("    Note over ", StringComparison.Ordinal), $"not a statement: {line}");
        Assert.Contains($"VIOLATION {v.Property}", text);
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Diagram_has_one_arrow_per_segment_delivered_forged_or_lost_in_trace_order(string file)
    {
        var (model, v, trace) = Counterexample(file);
        var names = model.Scenario.HostNames;
        var arrows = SequenceDiagram.Write(model, v, trace).Split('\n').Select(l => Arrow.Match(l)).Where(m => m.Success).ToList();

        // A segment delivered again (--stale) or forged (--attack) arrives too: it is an arrow like a delivery.
        var expected = trace.Where(t => t.Move.Kind is MoveKind.Deliver or MoveKind.Lose or MoveKind.Stale or MoveKind.Inject).ToList();
        Assert.Equal(expected.Count, arrows.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var t = expected[i];
            var flight = t.Move.Kind == MoveKind.Lose ? t.Before.Net[t.Move.Index] : t.Delivered!.Value;
            var m = arrows[i];
            Assert.Equal(names[flight.From], m.Groups["from"].Value);
            Assert.Equal(names[flight.To], m.Groups["to"].Value);
            bool lost = t.Move.Kind == MoveKind.Lose;
            Assert.Equal(lost ? "-x" : "->>", m.Groups["arrow"].Value);
            // The label, decoded, is the step number and the segment as the RFC writes it.
            string label = Decode(m.Groups["label"].Value);
            Assert.StartsWith($"{t.Number}. {(lost ? "LOST " : "")}{flight.Seg}", label);
        }
    }

    [Fact]
    public void A_lost_segment_is_a_crossed_arrow()
    {
        // Skipping TIME-WAIT shows at the ending only when the last ACK is lost (the protocol
        // properties see it earlier, at the ACK sent on the way to CLOSED: leave them out here).
        var engine = InterpretedEngine.Load(Repo.Path("spec", "broken", "01-skip-time-wait.spec.md"), out _)!;
        var scenario = ScenarioCatalog.Find("lost-final-ack")!;
        var properties = ScenarioCatalog.PropertiesOf(scenario).Except(ProtocolProperties.All).ToList();
        var result = ModelChecker.Check(scenario, new CheckOptions { Engine = engine, Properties = properties });
        var model = result.Model;
        var v = result.Violations.First(x => x.Property == "both-closed");
        var trace = Trace.Of(model, result.Properties, v.Path);
        var lose = Assert.Single(trace, t => t.Move.Kind == MoveKind.Lose && t.Before.Net[t.Move.Index].Seg.Flags == TcpFlags.Ack);
        var lost = lose.Before.Net[lose.Move.Index];
        var text = SequenceDiagram.Write(model, v, trace);
        Assert.Contains($"    A-xB: {lose.Number}. LOST #lt;SEQ={lost.Seg.Seq}#gt;#lt;ACK={lost.Seg.Ack}#gt;#lt;CTL=ACK#gt;\n", text);
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Labels_have_no_raw_semicolon_or_hash_outside_entity_escapes(string file)
    {
        // Mermaid ends a message at ';' or '#' unless they are part of an entity escape such as #59; or #lt;.
        var (model, v, trace) = Counterexample(file);
        var lines = SequenceDiagram.Write(model, v, trace).Split('\n');
        foreach (var line in lines[2..^2])
        {
            var bare = Entity.Replace(line, "");
            Assert.False(bare.Contains(';') || bare.Contains('#'), $"raw ';' or '#' in: {line}");
            Assert.DoesNotContain("&lt;", line);
            Assert.DoesNotContain("<", line);
            Assert.DoesNotContain(">", line.Replace("->>", ""));
        }
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Trace_text_names_every_row_of_every_step(string file)
    {
        var (model, v, trace) = Counterexample(file);
        var text = TraceText.Write(model, v, trace);
        Assert.StartsWith($"Property violated: {v.Property}\n  {v.Message}\nScenario: {model.Scenario.Name} (", text);

        // Split the text at its numbered steps.
        var starts = Regex.Matches(text, @"^ *(\d+)\. ", RegexOptions.Multiline).ToList();
        Assert.Equal(trace.Select(t => t.Number), starts.Select(m => int.Parse(m.Groups[1].Value)));
        for (int i = 0; i < trace.Count; i++)
        {
            var t = trace[i];
            int end = i + 1 < starts.Count ? starts[i + 1].Index : text.Length;
            var block = text[starts[i].Index..end];
            Assert.StartsWith($"{t.Number,4}. {t.Description}\n", block);
            foreach (var s in t.Steps)
            {
                string host = model.Scenario.HostNames[s.Host];
                Assert.Contains($"        {host}: {TcpMachine.EventNames[(int)s.Event]} in ", block);
                if (s.Row == 0)
                {
                    Assert.Contains("NO ROW DECIDES IT", block);
                    continue;
                }
                var row = model.Engine.Rows[s.Row - 1];
                Assert.Equal(s.Row, row.Id);
                Assert.Contains($"R{row.Id} (line {row.Line}: {row.Description})", block);
            }
            Assert.Contains($"=> A {model.States.Name(t.After.A.Ep.State)}, B {model.States.Name(t.After.B.Ep.State)}, {t.After.Net.Count} in flight", block);
            foreach (var msg in t.Violations) Assert.Contains($"!! {msg}", block);
        }
    }

    [Fact]
    public void Trace_text_rows_point_at_the_lines_of_the_broken_table()
    {
        // The row numbers and lines are the interpreted table's, so a reader can open the file at them.
        var file = "11-last-ack-never-closes.spec.md";
        var (model, v, trace) = Counterexample(file);
        var lines = File.ReadAllLines(Repo.Path("spec", "broken", file));
        var text = TraceText.Write(model, v, trace);
        var rows = trace.SelectMany(t => t.Steps).Where(s => s.Row > 0).Select(s => model.Engine.Rows[s.Row - 1]).Distinct().ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            Assert.Contains($"line {row.Line}:", text);
            Assert.StartsWith("|", lines[row.Line - 1]);
        }
        // The broken row — LAST-ACK keeps its state on the ACK of its FIN — is among them.
        var lastAck = Assert.Single(rows, r => lines[r.Line - 1].StartsWith("| LAST-ACK | ACK, FIN-ACK | FinAcked |", StringComparison.Ordinal));
        Assert.Contains($"B: ACK in LAST-ACK  R{lastAck.Id} (line {lastAck.Line}:", text);
    }
}
