using System.Text;
using TcpSpec.Language;

namespace TcpSpec.Generators.Tests;

/// <summary>
/// The least a consumer must write for a machine's generated code to compile: the context type
/// and a body for every guard, action and <c>Enter</c>. Derived from the model, so any table can be compiled.
/// </summary>
internal static class RuntimeStubs
{
    public static string For(MachineModel m, string ns)
    {
        string context = m.Name + "Context";
        var sb = new StringBuilder();
        sb.Append("namespace ").Append(ns).Append(";\n\n");
        sb.Append("public ref struct ").Append(context).Append(" { public int Row; }\n\n");
        sb.Append("public static partial class ").Append(m.Name).Append("Machine\n{\n");
        foreach (var g in m.Guards)
            sb.Append("    internal static partial bool ").Append(g.Identifier).Append("(ref ").Append(context).Append(" ctx) => ctx.Row > 0;\n");
        foreach (var a in m.Actions)
            sb.Append("    internal static partial void ").Append(a.Identifier).Append("(ref ").Append(context).Append(" ctx) => ctx.Row++;\n");
        sb.Append("    internal static partial void Enter(ref ").Append(context).Append(" ctx, ").Append(m.Name).Append("State next, int row) => ctx.Row = row;\n");
        sb.Append("}\n");
        return sb.ToString();
    }
}
