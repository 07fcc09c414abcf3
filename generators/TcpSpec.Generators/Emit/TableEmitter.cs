using System.Text;
using TcpSpec.Language;

namespace TcpSpec.Generators.Emit;

/// <summary>
/// Stage 3, the table: the analysed <see cref="MachineModel"/> emitted as data, so the compiled
/// engine exposes the very table it was compiled from (<c>TcpMachine.Table</c>) and everything
/// that reads a table (traces, docs, diagrams, the checker's state roles, the observer) reads
/// one model for both engines. Emitted only where the compilation has the model's types
/// (the runtime compiles the generator's <c>Language/</c> folder); the data is built on first use.
/// The model's <see cref="MachineModel.Path"/> is the spec's file name and its diagnostics are
/// empty: the build reported them.
/// </summary>
public static class TableEmitter
{
    /// <summary>The type the emitted table is an instance of; without it in the compilation there is no table to emit.</summary>
    public const string ModelType = "TcpSpec.Language.MachineModel";

    public static string Emit(MachineModel m, string ns, string machine, string file)
    {
        var sb = new StringBuilder();
        sb.Append(MachineEmitter.Header).Append('\n');
        sb.Append("// The analysed table of ").Append(file).Append(", as data: what the dispatcher was compiled from.\n");
        sb.Append("#nullable enable\n\n");
        sb.Append("using L = global::TcpSpec.Language;\n\n");
        sb.Append("namespace ").Append(ns).Append(";\n\n");
        sb.Append("public static partial class ").Append(machine).Append("\n{\n");
        sb.Append("    /// <summary>The analysed table this machine was compiled from: states, events, guards, actions, rows and cells, by index.</summary>\n");
        sb.Append("    public static L.MachineModel Table => TableData.Model;\n\n");
        sb.Append("    private static class TableData\n    {\n");
        sb.Append("        public static readonly L.MachineModel Model = new(\n");
        sb.Append("            ").Append(Literal(file)).Append(",\n");
        sb.Append("            ").Append(Literal(m.Name)).Append(",\n");
        Decls(sb, "States", m.States);
        Decls(sb, "Events", m.Events);
        Decls(sb, "Guards", m.Guards);
        Decls(sb, "Actions", m.Actions);

        sb.Append("            // Rows: id, line, column, *, states, events, guard terms (index, negated), actions, next (-1: same), RFC, section.\n");
        sb.Append("            new L.EquatableArray<L.RowModel>(new L.RowModel[]\n            {\n");
        foreach (var r in m.Rows)
        {
            sb.Append("                new(").Append(r.Id).Append(", ").Append(r.Line).Append(", ").Append(r.Column).Append(", ").Append(r.AnyState ? "true" : "false")
              .Append(", I(").Append(string.Join(", ", r.States)).Append("), I(").Append(string.Join(", ", r.Events)).Append("), G(")
              .Append(string.Join(", ", r.Guard.Select(g => "(" + g.Guard + ", " + (g.Negated ? "true" : "false") + ")")))
              .Append("), I(").Append(string.Join(", ", r.Actions)).Append("), ").Append(r.Next).Append(", ")
              .Append(Literal(r.Rfc)).Append(", ").Append(Literal(r.Section)).Append("), // ").Append(r.Key).Append(' ').Append(OneLine(m.Describe(r))).Append('\n');
        }
        sb.Append("            }),\n");

        sb.Append("            // Cells: state, event, the rows tried in order, whether a * row decides it.\n");
        sb.Append("            new L.EquatableArray<L.CellModel>(new L.CellModel[]\n            {\n");
        foreach (var c in m.Cells)
        {
            sb.Append("                new(").Append(c.State).Append(", ").Append(c.Event).Append(", I(").Append(string.Join(", ", c.Rows)).Append("), ")
              .Append(c.FromAnyState ? "true" : "false").Append("), // ").Append(m.States[c.State].Name).Append(" × ").Append(m.Events[c.Event].Name).Append('\n');
        }
        sb.Append("            }),\n");
        sb.Append("            L.EquatableArray<L.SpecDiagnostic>.Empty)\n        {\n");
        sb.Append("            Paths = new L.EquatableArray<L.PathModel>(new L.PathModel[]\n            {\n");
        foreach (var p in m.Paths)
        {
            sb.Append("                new(").Append(Literal(p.Name)).Append(", I(").Append(string.Join(", ", p.States)).Append("), ").Append(Literal(p.Rfc)).Append("), // ")
              .Append(string.Join(" → ", p.States.Select(s => m.States[s].Name))).Append('\n');
        }
        sb.Append("            }),\n        };\n\n");

        sb.Append("        private static L.EquatableArray<int> I(params int[] items) => new(items);\n\n");
        sb.Append("        private static L.EquatableArray<L.GuardTermModel> G(params (int Guard, bool Negated)[] terms)\n        {\n");
        sb.Append("            var result = new L.GuardTermModel[terms.Length];\n");
        sb.Append("            for (int i = 0; i < terms.Length; i++) result[i] = new(terms[i].Guard, terms[i].Negated);\n");
        sb.Append("            return new(result);\n        }\n");
        sb.Append("    }\n}\n");
        return sb.ToString();
    }

    private static void Decls(StringBuilder sb, string what, EquatableArray<DeclModel> decls)
    {
        sb.Append("            // ").Append(what).Append(": name, C# identifier, meaning, RFC reference, line.\n");
        sb.Append("            new L.EquatableArray<L.DeclModel>(new L.DeclModel[]\n            {\n");
        foreach (var d in decls)
        {
            sb.Append("                new(").Append(Literal(d.Name)).Append(", ").Append(Literal(d.Identifier)).Append(", ").Append(Literal(d.Meaning)).Append(", ")
              .Append(Literal(d.Rfc)).Append(", ").Append(d.Line).Append("),\n");
        }
        sb.Append("            }),\n");
    }

    private static string OneLine(string s) => s.Replace("\r", " ").Replace("\n", " ");

    private static string Literal(string s) => MachineEmitter.Literal(s);
}
