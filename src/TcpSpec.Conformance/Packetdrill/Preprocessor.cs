namespace TcpSpec.Conformance.Packetdrill;

/// <summary>
/// packetdrill's conditional lines, as nplab's packetdrill reads them: <c>#ifdef NAME</c>,
/// <c>#ifndef NAME</c>, <c>#else</c>, <c>#endif</c> (nested), with names from <c>--define
/// NAME[=VALUE]</c> and the profile's OS name (<c>FreeBSD</c>, <c>Linux</c>). A line left out, and
/// every directive line, becomes an empty line so that line numbers stay the file's. An unbalanced
/// <c>#else</c> or <c>#endif</c>, or an <c>#ifdef</c> never closed, is an error naming its line.
/// </summary>
public static class Preprocessor
{
    /// <summary>The script's text with the lines its conditions leave out blanked.</summary>
    public static string Apply(string text, IReadOnlySet<string> defined)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(defined);
        if (!text.Contains('#')) return text;
        var lines = text.Split('\n');
        // Each open #if: whether its current branch is kept, whether the enclosing one is, and where it began.
        var open = new Stack<(bool Keep, bool Outer, int Line, bool SeenElse)>();
        bool keep = true;
        for (int i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (!trimmed.StartsWith('#'))
            {
                if (!keep) lines[i] = lines[i].EndsWith('\r') ? "\r" : "";
                continue;
            }
            var parts = trimmed.Split([' ', '\t', '\r'], 2, StringSplitOptions.RemoveEmptyEntries);
            var directive = parts[0];
            if (directive is not ("#ifdef" or "#ifndef" or "#else" or "#endif"))
            {
                // Not a directive (a comment inside a code snippet, say): the lexer reads it.
                if (!keep) lines[i] = lines[i].EndsWith('\r') ? "\r" : "";
                continue;
            }
            var arg = parts.Length > 1 ? StripComment(parts[1]) : "";
            switch (directive)
            {
                case "#ifdef" or "#ifndef":
                    if (arg.Length == 0 || arg.Contains(' ')) throw new PacketdrillSyntaxException(i + 1, 1, $"{directive} needs one name ({directive} NAME)");
                    bool cond = defined.Contains(arg) == (directive == "#ifdef");
                    open.Push((cond, keep, i + 1, false));
                    keep = keep && cond;
                    break;
                case "#else":
                {
                    if (open.Count == 0) throw new PacketdrillSyntaxException(i + 1, 1, "#else without #ifdef or #ifndef");
                    var top = open.Pop();
                    if (top.SeenElse) throw new PacketdrillSyntaxException(i + 1, 1, $"a second #else for the #if of line {top.Line}");
                    open.Push((!top.Keep, top.Outer, top.Line, true));
                    keep = top.Outer && !top.Keep;
                    break;
                }
                case "#endif":
                {
                    if (open.Count == 0) throw new PacketdrillSyntaxException(i + 1, 1, "#endif without #ifdef or #ifndef");
                    keep = open.Pop().Outer;
                    break;
                }
            }
            lines[i] = lines[i].EndsWith('\r') ? "\r" : "";
        }
        if (open.Count > 0) throw new PacketdrillSyntaxException(open.Peek().Line, 1, "#ifdef or #ifndef without its #endif");
        return string.Join('\n', lines);
    }

    private static string StripComment(string s)
    {
        int c = s.IndexOf("//", StringComparison.Ordinal);
        return (c >= 0 ? s[..c] : s).Trim();
    }

    /// <summary>Reads <c>NAME</c> or <c>NAME=VALUE</c> of a <c>--define</c>; the name alone is what <c>#ifdef</c> tests.</summary>
    public static string DefineName(string define)
    {
        ArgumentNullException.ThrowIfNull(define);
        int eq = define.IndexOf('=');
        var name = (eq >= 0 ? define[..eq] : define).Trim();
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw new ArgumentException($"--define '{define}': expected NAME or NAME=VALUE (letters, digits, _)", nameof(define));
        return name;
    }
}
