using Microsoft.CodeAnalysis;

namespace TcpSpec.Generators.Tests;

/// <summary>Editing spec text in tests, and finding where something is written in it.</summary>
internal static class SpecText
{
    /// <summary>The switch table, the base of the diagnostic tests.</summary>
    public static string Switch => GeneratorHarness.Table("switch.spec.md");

    public const string SwitchPath = "tables/switch.spec.md";

    /// <summary>Replaces the one occurrence of <paramref name="old"/>; fails if it is not there exactly once.</summary>
    public static string Edit(string text, string old, string replacement)
    {
        int at = text.IndexOf(old, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{old}' is not in the table");
        Assert.True(text.IndexOf(old, at + 1, StringComparison.Ordinal) < 0, $"'{old}' is in the table more than once");
        return text.Substring(0, at) + replacement + text.Substring(at + old.Length);
    }

    /// <summary>Inserts <paramref name="lines"/> after the line that contains <paramref name="anchor"/>.</summary>
    public static string InsertAfter(string text, string anchor, params string[] lines)
    {
        var (line, _) = Locate(text, anchor, anchor);
        var all = text.Split('\n').ToList();
        all.InsertRange(line, lines);
        return string.Join('\n', all);
    }

    /// <summary>
    /// The 1-based line of the one line containing <paramref name="lineContains"/>, and the 1-based
    /// column of <paramref name="token"/> in it.
    /// </summary>
    public static (int Line, int Column) Locate(string text, string lineContains, string token)
    {
        var lines = text.Split('\n');
        var hits = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(lineContains, StringComparison.Ordinal)).ToList();
        Assert.True(hits.Count == 1, $"'{lineContains}' is on {hits.Count} lines");
        int column = lines[hits[0]].IndexOf(token, StringComparison.Ordinal);
        Assert.True(column >= 0, $"'{token}' is not on the line '{lines[hits[0]]}'");
        return (hits[0] + 1, column + 1);
    }

    /// <summary>
    /// Asserts a diagnostic's ID, severity, file, line and column, that its span covers
    /// <paramref name="spanText"/> in <paramref name="text"/> (when given), and its MSBuild-style rendering.
    /// </summary>
    public static void AssertAt(Diagnostic d, string id, string path, (int Line, int Column) at, string text, string? spanText = null)
    {
        Assert.Equal(id, d.Id);
        var severity = id is "TSPEC012" or "TSPEC013" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;
        Assert.Equal(severity, d.Severity);
        var span = d.Location.GetLineSpan();
        Assert.Equal(path, span.Path);
        Assert.Equal(at, (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        if (spanText is not null)
        {
            Assert.Equal(spanText, text.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length));
        }
        string word = severity == DiagnosticSeverity.Error ? "error" : "warning";
        Assert.Contains($"{path}({at.Line},{at.Column}): {word} {id}: ", d.ToString(), StringComparison.Ordinal);
    }
}
