using System.Text;

namespace TcpSpec.Language;

/// <summary>
/// Renders the state-changing transitions of a machine as Mermaid <c>stateDiagram-v2</c> and
/// Graphviz DOT. Rows that keep the state are left out of the pictures (they are in the
/// transition table). Used by the generator, which embeds the text as constants, so the docs
/// come from the same analysis as the engine.
/// </summary>
public static class DiagramWriter
{
    /// <summary>One arrow: from → to, labelled with the rows that take it.</summary>
    public sealed record Edge(int From, int To, IReadOnlyList<RowModel> Rows, IReadOnlyList<int> Events);

    /// <summary>The distinct state changes of the machine, in table order, with the rows behind each.</summary>
    public static IReadOnlyList<Edge> Edges(MachineModel m)
    {
        var order = new List<(int From, int To)>();
        var rowsOf = new Dictionary<(int, int), List<RowModel>>();
        var eventsOf = new Dictionary<(int, int), List<int>>();
        foreach (var row in m.Rows)
        {
            foreach (var cell in m.Cells.Where(c => c.Rows.Contains(row.Id)))
            {
                int to = m.NextOf(row, cell.State);
                if (to == cell.State) continue;
                var key = (cell.State, to);
                if (!rowsOf.TryGetValue(key, out var list))
                {
                    rowsOf[key] = list = new List<RowModel>();
                    eventsOf[key] = new List<int>();
                    order.Add(key);
                }
                if (!list.Contains(row)) list.Add(row);
                if (!eventsOf[key].Contains(cell.Event)) eventsOf[key].Add(cell.Event);
            }
        }
        return order.Select(k => new Edge(k.From, k.To, rowsOf[k], eventsOf[k])).ToList();
    }

    /// <summary>The full picture: one arrow per row and state change, labelled <c>event [guard] / actions</c>.</summary>
    public static string Mermaid(MachineModel m, bool compact = false)
    {
        var sb = new StringBuilder();
        sb.Append("stateDiagram-v2\n");
        sb.Append("    direction TB\n");
        foreach (var s in m.States)
        {
            sb.Append("    state \"").Append(MermaidText(s.Name)).Append("\" as ").Append(Naming.ToDiagramId(s.Name)).Append('\n');
        }
        if (m.States.Count > 0) sb.Append("    [*] --> ").Append(Naming.ToDiagramId(m.States[0].Name)).Append('\n');
        foreach (var edge in Edges(m))
        {
            var from = Naming.ToDiagramId(m.States[edge.From].Name);
            var to = Naming.ToDiagramId(m.States[edge.To].Name);
            if (compact)
            {
                var label = string.Join(", ", edge.Events.Select(e => m.Events[e].Name));
                sb.Append("    ").Append(from).Append(" --> ").Append(to).Append(" : ").Append(MermaidText(label)).Append('\n');
                continue;
            }
            foreach (var row in edge.Rows)
            {
                var events = string.Join(", ", edge.Events.Where(row.Events.Contains).Select(e => m.Events[e].Name));
                sb.Append("    ").Append(from).Append(" --> ").Append(to).Append(" : ").Append(MermaidText(Label(m, row, events))).Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>Graphviz source: one node per state, one edge per state change with its rows' labels.</summary>
    public static string Dot(MachineModel m)
    {
        var sb = new StringBuilder();
        sb.Append("digraph ").Append(Naming.ToDiagramId(m.Name)).Append(" {\n");
        sb.Append("    rankdir=TB;\n");
        sb.Append("    node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
        sb.Append("    edge [fontname=\"Helvetica\", fontsize=9];\n");
        foreach (var s in m.States)
        {
            sb.Append("    ").Append(Naming.ToDiagramId(s.Name)).Append(" [label=\"").Append(DotText(s.Name)).Append("\"];\n");
        }
        foreach (var edge in Edges(m))
        {
            var label = string.Join("\\n", edge.Rows.Select(r =>
                DotText(Label(m, r, string.Join(", ", edge.Events.Where(r.Events.Contains).Select(e => m.Events[e].Name))))));
            sb.Append("    ").Append(Naming.ToDiagramId(m.States[edge.From].Name)).Append(" -> ")
              .Append(Naming.ToDiagramId(m.States[edge.To].Name)).Append(" [label=\"").Append(label).Append("\"];\n");
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    private static string Label(MachineModel m, RowModel row, string events)
    {
        var guard = row.Guard.Count == 0 ? "" : " [" + m.GuardText(row) + "]";
        var actions = row.Actions.Count == 0 ? "" : " / " + m.ActionsText(row);
        return events + guard + actions;
    }

    /// <summary>Mermaid label text: no ':' ';' '#' or quotes, which end or break a label.</summary>
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
                case '\n': sb.Append(' '); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>DOT string text: quotes and backslashes escaped.</summary>
    public static string DotText(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
