using System.Text;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Strategies;
using TcpSpec.Language;

namespace TcpSpec.Checker.Output;

/// <summary>
/// A counterexample as a Mermaid sequence diagram with the two hosts as lifelines, drawn like
/// RFC 9293's figures: an arrow when a segment is delivered, a crossed arrow when it is lost,
/// a note when a host's state changes.
/// </summary>
public static class SequenceDiagram
{
    public static string Write(TwoHostModel model, Violation v, IReadOnlyList<TraceStep> trace)
    {
        var n = model.Scenario.HostNames;
        var sb = new StringBuilder();
        sb.Append("```mermaid\nsequenceDiagram\n");
        sb.Append($"    participant {n[0]}\n    participant {n[1]}\n");
        sb.Append($"    Note over {n[0]},{n[1]}: {Text(model.Scenario.Name)}: {n[0]} {model.States.Name(model.Initial.A.Ep.State)}, {n[1]} {model.States.Name(model.Initial.B.Ep.State)}\n");
        foreach (var t in trace)
        {
            if (v.LoopStart == t.Number - 1) sb.Append($"    Note over {n[0]},{n[1]}: from here the run repeats forever\n");
            switch (t.Move.Kind)
            {
                case MoveKind.Deliver or MoveKind.Stale or MoveKind.Inject:
                    var f = t.Delivered!.Value;
                    string note = t.Move.Kind == MoveKind.Inject ? " (forged by the attacker)" : f.Incarnation == Model.Flight.PreviousLife || t.Move.Kind == MoveKind.Stale ? " (old)" : "";
                    sb.Append($"    {n[f.From]}->>{n[f.To]}: {t.Number}. {Text(f.Seg.ToString())}{note}\n");
                    break;
                case MoveKind.Lose:
                    var lost = t.Before.Net[t.Move.Index];
                    sb.Append($"    {n[lost.From]}-x{n[lost.To]}: {t.Number}. LOST {Text(lost.Seg.ToString())}\n");
                    break;
                case MoveKind.Duplicate:
                    var dup = t.Before.Net[t.Move.Index];
                    sb.Append($"    Note over {n[dup.From]},{n[dup.To]}: {t.Number}. network duplicates {Text(dup.Seg.ToString())}\n");
                    break;
                default:
                    sb.Append($"    Note over {n[t.Move.Host]}: {t.Number}. {Text(t.Description.Substring(t.Description.IndexOf(':') + 1).Trim())}\n");
                    break;
            }
            foreach (var s in t.Steps)
            {
                if (s.From != s.To) sb.Append($"    Note over {n[s.Host]}: {model.States.Name(s.To)} (R{s.Row})\n");
                else if (s.Row == 0) sb.Append($"    Note over {n[s.Host]}: no row decides {TcpMachine.EventNames[(int)s.Event]} in {model.States.Name(s.From)}\n");
            }
            foreach (var msg in t.Violations) sb.Append($"    Note over {n[0]},{n[1]}: VIOLATION {Text(msg)}\n");
        }
        if (trace.Count == 0 || trace[^1].Violations.Count == 0)
            sb.Append($"    Note over {n[0]},{n[1]}: VIOLATION {v.Property}: {Text(v.Message)}\n");
        sb.Append("```\n");
        return sb.ToString();
    }

    private static string Text(string s) => DiagramWriter.MermaidText(s).Replace("<", "#lt;").Replace(">", "#gt;");
}
