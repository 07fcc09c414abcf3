using System.Text;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Checker.Output;

/// <summary>A counterexample as text: each move, both hosts' states after it, the rows that fired and the segments sent.</summary>
public static class TraceText
{
    public static string Write(TwoHostModel model, Violation v, IReadOnlyList<TraceStep> trace)
    {
        var sb = new StringBuilder();
        var names = model.Scenario.HostNames;
        sb.Append($"Property violated: {v.Property}\n  {v.Message}\n");
        sb.Append($"Scenario: {model.Scenario.Name} ({model.Budgets}); engine: {model.Engine.Name}\n");
        sb.Append($"Initial: {names[0]} {model.States.Name(model.Initial.A.Ep.State)}, {names[1]} {model.States.Name(model.Initial.B.Ep.State)}");
        for (int i = 0; i < model.Initial.Net.Count; i++) sb.Append($"; in flight: {Replay.Arrow(model, model.Initial.Net[i])}");
        sb.Append('\n');
        foreach (var t in trace)
        {
            if (v.LoopStart == t.Number - 1) sb.Append("  ---- from here the run repeats forever ----\n");
            sb.Append($"{t.Number,4}. {t.Description}\n");
            foreach (var s in t.Steps)
            {
                var row = s.Row > 0 && s.Row <= model.Engine.Rows.Count ? model.Engine.Rows[s.Row - 1] : null;
                string change = s.From == s.To ? model.States.Name(s.To) : $"{model.States.Name(s.From)} → {model.States.Name(s.To)}";
                sb.Append($"        {names[s.Host]}: {TcpMachine.EventNames[(int)s.Event]} in {change}  ");
                sb.Append(row is null ? "NO ROW DECIDES IT\n" : $"R{row.Id} (line {row.Line}: {row.Description})\n");
            }
            foreach (var f in t.Sent) sb.Append($"        sends {Replay.Arrow(model, f)}\n");
            foreach (var n in t.Notices)
            {
                if (n.Notice.Kind is NoticeKind.Delivered or NoticeKind.ReceiveQueued) continue;
                sb.Append($"        {names[n.Host]} is told: {Notice(n.Notice)}\n");
            }
            sb.Append($"        => {names[0]} {model.States.Name(t.After.A.Ep.State)}, {names[1]} {model.States.Name(t.After.B.Ep.State)}, {t.After.Net.Count} in flight\n");
            foreach (var msg in t.Violations) sb.Append($"        !! {msg}\n");
        }
        return sb.ToString();
    }

    public static string Notice(Notice n) => n.Kind switch
    {
        NoticeKind.TextArrived => $"{n.B} octet(s) of text arrived",
        NoticeKind.RemoteClosing => "connection closing (the peer sent FIN)",
        NoticeKind.ConnectionReset => "connection reset",
        NoticeKind.ConnectionRefused => "connection refused",
        NoticeKind.RetransmitTimeout => "connection aborted: retransmitted R2 times without acknowledgment",
        NoticeKind.UserTimeout => "connection aborted due to user timeout",
        NoticeKind.ErrorClosing => "error: connection closing",
        NoticeKind.ErrorConnectionExists => "error: connection already exists",
        NoticeKind.ErrorNoConnection => "error: connection does not exist",
        NoticeKind.ErrorForeignUnspecified => "error: foreign socket unspecified",
        _ => n.Kind.ToString(),
    };
}
