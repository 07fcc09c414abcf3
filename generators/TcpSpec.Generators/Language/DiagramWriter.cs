using System.Text;

namespace TcpSpec.Language;

/// <summary>How an arrow of the state diagram is drawn.</summary>
public enum EdgeStyle
{
    /// <summary>A transition on no declared path.</summary>
    Normal,
    /// <summary>On the first declared path (RFC 9293 Figure 5's client: the active opener and closer).</summary>
    FirstPath,
    /// <summary>On the second declared path (the server: the passive opener and closer).</summary>
    SecondPath,
    /// <summary>A reset, abort or give-up: triggered by an event whose name contains RST, ABORT or TIMEOUT.</summary>
    Error,
}

/// <summary>One row behind an arrow, with the events of the row that take that arrow.</summary>
public sealed record DiagramLabel(int Row, string Events, string Guard, string Actions);

/// <summary>An arrow between two different states and the rows that take it.</summary>
public sealed record DiagramEdge(int From, int To, EdgeStyle Style, EquatableArray<DiagramLabel> Labels);

/// <summary>A state of the diagram; <paramref name="Paths"/> is a bit set of the declared paths it is on.</summary>
public sealed record DiagramState(string Name, int Paths);

/// <summary>
/// The state diagram as plain data: states, and for every pair of different states the rows
/// that lead from one to the other. The generator builds it from the analysed table and emits
/// both the data and its renderings, so the docs draw from the same analysis as the engine.
/// Rows that keep the state are left out of the picture (they are in the transition table).
/// </summary>
public sealed record DiagramModel(string Name, EquatableArray<DiagramState> States, EquatableArray<DiagramEdge> Edges, EquatableArray<string> PathNames)
{
    public static DiagramModel From(MachineModel m)
    {
        var order = new List<(int From, int To)>();
        var labels = new Dictionary<(int, int), List<DiagramLabel>>();
        foreach (var row in m.Rows)
        {
            var byEdge = new Dictionary<(int, int), List<string>>();
            foreach (var cell in m.Cells.Where(c => c.Rows.Contains(row.Id)))
            {
                int to = m.NextOf(row, cell.State);
                if (to == cell.State) continue;
                var key = (cell.State, to);
                if (!byEdge.TryGetValue(key, out var events)) byEdge[key] = events = new List<string>();
                var name = m.Events[cell.Event].Name;
                if (!events.Contains(name)) events.Add(name);
            }
            foreach (var kv in byEdge)
            {
                if (!labels.TryGetValue(kv.Key, out var list))
                {
                    labels[kv.Key] = list = new List<DiagramLabel>();
                    order.Add(kv.Key);
                }
                list.Add(new DiagramLabel(row.Id, string.Join(", ", kv.Value), row.Guard.Count == 0 ? "" : m.GuardText(row), row.Actions.Count == 0 ? "" : m.ActionsText(row)));
            }
        }

        var paths = m.Paths.Take(2).ToList();
        bool OnPath(int p, int from, int to)
        {
            if (p >= paths.Count) return false;
            var s = paths[p].States;
            for (int i = 0; i + 1 < s.Count; i++) if (s[i] == from && s[i + 1] == to) return true;
            return false;
        }
        // Resets, aborts and give-ups get their own arrow beside the usual one between the same states.
        var edges = new List<DiagramEdge>();
        foreach (var k in order)
        {
            var usual = labels[k].Where(l => !IsErrorEvent(l.Events)).ToList();
            var errors = labels[k].Where(l => IsErrorEvent(l.Events)).ToList();
            if (usual.Count > 0)
            {
                var style = OnPath(0, k.From, k.To) ? EdgeStyle.FirstPath : OnPath(1, k.From, k.To) ? EdgeStyle.SecondPath : EdgeStyle.Normal;
                edges.Add(new DiagramEdge(k.From, k.To, style, usual.ToEquatableArray()));
            }
            if (errors.Count > 0) edges.Add(new DiagramEdge(k.From, k.To, EdgeStyle.Error, errors.ToEquatableArray()));
        }

        var states = m.States.Select((s, i) =>
            new DiagramState(s.Name, Enumerable.Range(0, paths.Count).Where(p => paths[p].States.Contains(i)).Sum(p => 1 << p))).ToList();
        return new DiagramModel(m.Name, states.ToEquatableArray(), edges.ToEquatableArray(), paths.Select(p => p.Name).ToEquatableArray());
    }

    /// <summary>A reset, abort or give-up: an event whose name contains RST, ABORT or TIMEOUT (but not TIME-WAIT's).</summary>
    public static bool IsErrorEvent(string events) =>
        events.Split(',').Select(e => e.Trim()).Any(e => e.Contains("RST") || e.Contains("ABORT") || (e.Contains("TIMEOUT") && !e.Contains("TIME-WAIT")));
}

/// <summary>
/// Renders a <see cref="DiagramModel"/> as Mermaid <c>stateDiagram-v2</c> and Graphviz DOT,
/// optionally marking which rows a checker run exercised.
/// </summary>
public static class DiagramWriter
{
    public static string Mermaid(MachineModel m, bool compact = false) => Mermaid(DiagramModel.From(m), compact);

    public static string Dot(MachineModel m) => Dot(DiagramModel.From(m));

    /// <summary>
    /// The Mermaid picture. Mermaid cannot style a state diagram's arrows, so the paths are told
    /// apart by the states' colours and by a prefix on each arrow's label: the first path's
    /// name, the second path's name, or "reset" for resets, aborts and give-ups.
    /// With <paramref name="covered"/>, each label ends in ✔ (fired in the last check) or ✘.
    /// </summary>
    public static string Mermaid(DiagramModel d, bool compact, Func<int, bool>? covered = null)
    {
        var sb = new StringBuilder();
        sb.Append("stateDiagram-v2\n");
        sb.Append("    direction TB\n");
        foreach (var s in d.States)
            sb.Append("    state \"").Append(MermaidText(s.Name)).Append("\" as ").Append(Naming.ToDiagramId(s.Name)).Append('\n');
        if (d.States.Count > 0) sb.Append("    [*] --> ").Append(Naming.ToDiagramId(d.States[0].Name)).Append('\n');
        foreach (var e in d.Edges)
        {
            var from = Naming.ToDiagramId(d.States[e.From].Name);
            var to = Naming.ToDiagramId(d.States[e.To].Name);
            string prefix = Prefix(d, e.Style);
            if (compact)
            {
                var events = e.Labels.SelectMany(l => l.Events.Split(new[] { ", " }, StringSplitOptions.None)).Distinct();
                string mark = covered is null ? "" : e.Labels.Any(l => covered(l.Row)) ? " ✔" : " ✘";
                sb.Append("    ").Append(from).Append(" --> ").Append(to).Append(" : ").Append(MermaidText(prefix + string.Join(", ", events) + mark)).Append('\n');
                continue;
            }
            foreach (var l in e.Labels)
            {
                string mark = covered is null ? "" : covered(l.Row) ? " ✔" : " ✘";
                sb.Append("    ").Append(from).Append(" --> ").Append(to).Append(" : ").Append(MermaidText(prefix + Label(l) + mark)).Append('\n');
            }
        }
        if (d.PathNames.Count > 0)
        {
            sb.Append("    classDef path0 fill:#dbeafe,stroke:#1d4ed8,stroke-width:2px\n");
            sb.Append("    classDef path1 fill:#dcfce7,stroke:#15803d,stroke-width:2px\n");
            sb.Append("    classDef bothPaths fill:#fef9c3,stroke:#a16207,stroke-width:2px\n");
            AppendClass(sb, d, 1, "path0");
            AppendClass(sb, d, 2, "path1");
            AppendClass(sb, d, 3, "bothPaths");
        }
        return sb.ToString();
    }

    private static void AppendClass(StringBuilder sb, DiagramModel d, int paths, string cls)
    {
        var ids = d.States.Where(s => s.Paths == paths).Select(s => Naming.ToDiagramId(s.Name)).ToList();
        if (ids.Count > 0) sb.Append("    class ").Append(string.Join(", ", ids)).Append(' ').Append(cls).Append('\n');
    }

    private static string Prefix(DiagramModel d, EdgeStyle style) => style switch
    {
        EdgeStyle.FirstPath when d.PathNames.Count > 0 => d.PathNames[0] + ": ",
        EdgeStyle.SecondPath when d.PathNames.Count > 1 => d.PathNames[1] + ": ",
        EdgeStyle.Error => "reset: ",
        _ => "",
    };

    /// <summary>
    /// Graphviz source. Arrow labels list the events and guards of the rows behind each arrow
    /// (the actions are in the transition table, to keep the picture legible); the first path is
    /// drawn blue and bold, the second green and dashed, resets red and dotted.
    /// With <paramref name="covered"/>, arrows no checker run took are grey and dashed.
    /// </summary>
    public static string Dot(DiagramModel d, Func<int, bool>? covered = null)
    {
        var sb = new StringBuilder();
        sb.Append("digraph ").Append(Naming.ToDiagramId(d.Name)).Append(" {\n");
        sb.Append("    rankdir=TB;\n    nodesep=0.6;\n    ranksep=0.7;\n");
        sb.Append("    node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\", fontsize=12];\n");
        sb.Append("    edge [fontname=\"Helvetica\", fontsize=9];\n");
        foreach (var s in d.States)
        {
            string fill = s.Paths switch { 1 => "#dbeafe", 2 => "#dcfce7", 3 => "#fef9c3", _ => "white" };
            sb.Append("    ").Append(Naming.ToDiagramId(s.Name)).Append(" [label=\"").Append(DotText(s.Name)).Append("\", fillcolor=\"").Append(fill).Append("\"];\n");
        }
        // Resets, aborts and give-ups into the initial state all end in one extra node drawn at the
        // bottom, so they do not cross the picture; it is the same state (the legend says so).
        bool sink = covered is null && d.Edges.Any(e => e.Style == EdgeStyle.Error && e.To == 0);
        if (sink)
        {
            sb.Append("    reset_sink [label=\"").Append(DotText(d.States[0].Name)).Append("\\n(reset, abort, give-up)\", shape=box, style=\"rounded,filled,dashed\", ")
              .Append("fillcolor=\"#fee2e2\", color=\"#b91c1c\", fontcolor=\"#b91c1c\"];\n");
            sb.Append("    { rank=sink; reset_sink; }\n");
        }
        foreach (var e in d.Edges)
        {
            bool toSink = sink && e.Style == EdgeStyle.Error && e.To == 0;
            var label = toSink
                ? DotText(string.Join(", ", e.Labels.SelectMany(l => l.Events.Split(new[] { ", " }, StringSplitOptions.None)).Distinct()))
                : string.Join("\\n", e.Labels.Select(l => DotText(l.Events + (l.Guard.Length == 0 ? "" : " [" + l.Guard + "]"))));
            string attrs;
            if (covered is not null)
            {
                bool any = e.Labels.Any(l => covered(l.Row));
                attrs = any ? "color=\"#15803d\", penwidth=2" : "color=\"#9ca3af\", fontcolor=\"#6b7280\", style=dashed";
            }
            else
            {
                attrs = e.Style switch
                {
                    EdgeStyle.FirstPath => "color=\"#1d4ed8\", fontcolor=\"#1d4ed8\", penwidth=2.2",
                    EdgeStyle.SecondPath => "color=\"#15803d\", fontcolor=\"#15803d\", penwidth=2.2, style=dashed",
                    EdgeStyle.Error => "color=\"#b91c1c\", fontcolor=\"#b91c1c\", style=dotted",
                    _ => "color=\"#374151\"",
                };
            }
            sb.Append("    ").Append(Naming.ToDiagramId(d.States[e.From].Name)).Append(" -> ").Append(toSink ? "reset_sink" : Naming.ToDiagramId(d.States[e.To].Name))
              .Append(" [label=\"").Append(label).Append("\", ").Append(attrs).Append("];\n");
        }
        if (covered is null && d.PathNames.Count > 0)
        {
            sb.Append("    subgraph cluster_legend {\n        label=\"Legend\"; fontname=\"Helvetica\"; fontsize=10; color=\"#d1d5db\";\n");
            sb.Append("        node [shape=plaintext, style=\"\", fontsize=10];\n");
            sb.Append("        legend [label=<").Append(LegendHtml(d)).Append(">];\n    }\n");
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    private static string LegendHtml(DiagramModel d)
    {
        var rows = new List<string>();
        rows.Add($"<tr><td><font color=\"#1d4ed8\"><b>━━</b></font></td><td align=\"left\">{Html(d.PathNames[0])}'s usual path</td></tr>");
        if (d.PathNames.Count > 1) rows.Add($"<tr><td><font color=\"#15803d\"><b>╍╍</b></font></td><td align=\"left\">{Html(d.PathNames[1])}'s usual path</td></tr>");
        rows.Add("<tr><td><font color=\"#b91c1c\">┈┈</font></td><td align=\"left\">reset, abort, give-up</td></tr>");
        return "<table border=\"0\" cellspacing=\"2\">" + string.Concat(rows) + "</table>";
    }

    private static string Html(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Label(DiagramLabel l) =>
        l.Events + (l.Guard.Length == 0 ? "" : " [" + l.Guard + "]") + (l.Actions.Length == 0 ? "" : " / " + l.Actions);

    /// <summary>Mermaid label text: characters that end or break a label become entity codes.</summary>
    public static string MermaidText(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            switch (c)
            {
                case ':': sb.Append("#58;"); break;
                case ';': sb.Append("#59;"); break;
                case '#': sb.Append("#35;"); break;
                case '"': sb.Append("#quot;"); break;
                case '{': sb.Append("#123;"); break;
                case '}': sb.Append("#125;"); break;
                case '\n': sb.Append(' '); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>DOT string text: quotes and backslashes escaped.</summary>
    public static string DotText(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
