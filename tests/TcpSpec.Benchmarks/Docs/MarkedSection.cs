namespace TcpSpec.Benchmarks.Docs;

/// <summary>
/// A section of docs/benchmarks.md between two HTML-comment markers, which one benchmark mode
/// rewrites and every other mode keeps (coyote, scale, cli).
/// </summary>
internal sealed record MarkedSection(string Begin, string End)
{
    /// <summary>This section of the file at <paramref name="path"/>, markers included ("" if none).</summary>
    public string Of(string path)
    {
        if (!File.Exists(path)) return "";
        string text = File.ReadAllText(path);
        int b = text.IndexOf(Begin, StringComparison.Ordinal), e = text.IndexOf(End, StringComparison.Ordinal);
        return b < 0 || e < b ? "" : text[b..(e + End.Length)] + "\n";
    }

    /// <summary>Replaces this section of the file at <paramref name="path"/> by <paramref name="section"/> (markers included), or appends it.</summary>
    public void Write(string path, string section)
    {
        string text = File.Exists(path) ? File.ReadAllText(path) : "";
        File.WriteAllText(path, Splice(text, section));
    }

    /// <summary><paramref name="document"/> with this section replaced by <paramref name="section"/>, or with it appended.</summary>
    public string Splice(string document, string section)
    {
        int b = document.IndexOf(Begin, StringComparison.Ordinal), e = document.IndexOf(End, StringComparison.Ordinal);
        return b >= 0 && e > b
            ? document[..b] + section.TrimEnd('\n') + document[(e + End.Length)..]
            : document.TrimEnd('\n') + "\n\n" + section;
    }
}
