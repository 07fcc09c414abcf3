using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary>The real table with one guard misspelt (<c>!AckAcceptble</c>): a table that does not compile, with the diagnostic's line and column known.</summary>
internal static class TypoTable
{
    /// <summary>Writes it into <paramref name="dir"/>; returns its path and the 1-based line and column of the misspelt name.</summary>
    public static (string Path, int Line, int Column) WriteTo(TempDir dir)
    {
        var text = File.ReadAllText(Repo.SpecFile);
        int at = text.IndexOf("| AckAcceptable", text.IndexOf("## Transitions", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(at > 0);
        text = text.Remove(at, "| AckAcceptable".Length).Insert(at, "| !AckAcceptble");
        var path = dir.File("typo.spec.md");
        File.WriteAllText(path, text);
        int name = at + "| !".Length;
        int line = text[..name].Count(c => c == '\n') + 1;
        int column = name - (text.LastIndexOf('\n', name - 1) + 1) + 1;
        return (path, line, column);
    }
}
