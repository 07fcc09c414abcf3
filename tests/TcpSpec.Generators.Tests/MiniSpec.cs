namespace TcpSpec.Generators.Tests;

/// <summary>Builds small spec texts for the analyzer's unit tests.</summary>
internal static class MiniSpec
{
    public const string Path = "mini.spec.md";

    /// <summary>
    /// A spec declaring the given names (comma-separated) with the given transition rows, each
    /// written as <c>| state | event | guard | actions | next |</c>; the RFC cell is added.
    /// Line 1 is the title; the first row is on line <see cref="FirstRowLine"/>.
    /// </summary>
    public static string Build(string states, string events, string guards, string actions, params string[] rows)
    {
        var lines = new List<string> { "# Mini", "", "| state | event | guard | actions | next | RFC |", "|---|---|---|---|---|---|" };
        lines.AddRange(rows.Select(r => r + " R |"));
        lines.Add("");
        Declare(lines, "state", states);
        Declare(lines, "event", events);
        Declare(lines, "guard", guards);
        Declare(lines, "action", actions);
        return string.Join('\n', lines);
    }

    public const int FirstRowLine = 5;

    private static void Declare(List<string> lines, string kind, string names)
    {
        lines.Add($"| {kind} | meaning | RFC |");
        lines.Add("|---|---|---|");
        foreach (var n in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            lines.Add($"| {n} | A {kind}. | R |");
        lines.Add("");
    }
}
