using System.Globalization;

namespace TcpSpec.Conformance.Packetdrill;

/// <summary>
/// Reads packetdrill scripts (google/packetdrill's syntax) into a <see cref="Script"/>. A statement
/// ends with its line unless a bracket, string, shell command, code snippet or comment is still
/// open. Everything the runner cannot model is kept as a <see cref="SkippedLine"/> with the
/// reason; anything malformed is a <see cref="PacketdrillSyntaxException"/> with the line and
/// column, and no other exception escapes, whatever the input.
/// </summary>
public static partial class PacketdrillParser
{
    /// <summary>The longest time a script may name: 10^7 seconds (about 4 months).</summary>
    public const long MaxUsecs = 10_000_000L * 1_000_000L;

    private static readonly Dictionary<string, string> NotModelled = new(StringComparer.Ordinal)
    {
        ["fcntl"] = "fcntl is not modelled (blocking or not is read from each call's expected result)",
        ["poll"] = "poll is not modelled",
        ["select"] = "select is not modelled",
        ["epoll_create"] = "epoll is not modelled",
        ["epoll_create1"] = "epoll is not modelled",
        ["epoll_ctl"] = "epoll is not modelled",
        ["epoll_wait"] = "epoll is not modelled",
        ["sendmsg"] = "sendmsg is not modelled (use write or send)",
        ["recvmsg"] = "recvmsg is not modelled (use read or recv)",
        ["writev"] = "writev is not modelled (use write)",
        ["readv"] = "readv is not modelled (use read)",
        ["sendfile"] = "sendfile is not modelled",
        ["splice"] = "splice is not modelled",
        ["open"] = "open is not modelled",
        ["pipe"] = "pipe is not modelled",
        ["socketpair"] = "socketpair is not modelled",
        ["getsockname"] = "getsockname is not modelled (the engine has no addresses)",
        ["getpeername"] = "getpeername is not modelled (the engine has no addresses)",
    };

    /// <summary>Reads a script file, its <c>#ifdef</c> lines decided by <paramref name="defined"/>. An unreadable file is a <see cref="PacketdrillSyntaxException"/> at line 1.</summary>
    public static Script ParseFile(string path, IReadOnlySet<string>? defined = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException or System.Security.SecurityException)
        {
            throw new PacketdrillSyntaxException(1, 1, $"cannot read the script: {ex.Message}");
        }
        return Parse(text, path, defined);
    }

    /// <summary>Reads a script's text, its <c>#ifdef</c> lines decided by <paramref name="defined"/> (see <see cref="Preprocessor"/>).</summary>
    public static Script Parse(string text, string path = "<script>", IReadOnlySet<string>? defined = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = Preprocessor.Apply(text, defined ?? new HashSet<string>());
        var tokens = PacketdrillLexer.Tokenize(text);
        var lines = new List<ScriptLine>();
        bool eventsBegun = false;
        foreach (var statement in Statements(tokens))
        {
            var line = new StatementParser(text, statement).Parse();
            if (line.Body is OptionLine && eventsBegun)
                throw new PacketdrillSyntaxException(statement[0].Line, statement[0].Column, "options (--name=value) must come before the first event");
            if (line.Time.Kind != TimeKind.None) eventsBegun = true;
            lines.Add(line);
        }
        return new Script(path, lines);
    }

    /// <summary>Groups tokens into statements: a statement ends at a line break outside brackets.</summary>
    private static IEnumerable<List<Token>> Statements(List<Token> tokens)
    {
        var current = new List<Token>();
        var open = new Stack<Token>();
        foreach (var t in tokens)
        {
            if (current.Count > 0 && open.Count == 0 && t.Line > current[^1].EndLine)
            {
                yield return current;
                current = new List<Token>();
            }
            current.Add(t);
            if (t.Is('(') || t.Is('[') || t.Is('{')) open.Push(t);
            else if (t.Is(')') || t.Is(']') || t.Is('}'))
            {
                char want = t.Text[0] switch { ')' => '(', ']' => '[', _ => '{' };
                if (open.Count == 0 || !open.Peek().Is(want))
                    throw new PacketdrillSyntaxException(t.Line, t.Column, $"'{t.Text}' without a matching '{want}'");
                open.Pop();
            }
        }
        if (open.Count > 0)
        {
            var o = open.Peek();
            throw new PacketdrillSyntaxException(o.Line, o.Column, $"'{o.Text}' is never closed");
        }
        if (current.Count > 0) yield return current;
    }

    /// <summary>Parses one statement; <see cref="_pos"/> walks its tokens.</summary>
    private sealed partial class StatementParser(string source, List<Token> tokens)
    {
        private int _pos;

        private Token Peek(int ahead = 0) => _pos + ahead < tokens.Count ? tokens[_pos + ahead] : new Token(TokenKind.End, "", 0, 0, 0, 0, 0);

        private bool AtEnd => _pos >= tokens.Count;

        private bool NextIs(char c) => !AtEnd && tokens[_pos].Is(c);

        private Token Next() => tokens[_pos++];

        private PacketdrillSyntaxException Error(string message)
        {
            if (!AtEnd) return Error(tokens[_pos], message);
            var last = tokens[^1];
            int col = last.Column + Math.Max(1, last.End - last.Start);
            return new PacketdrillSyntaxException(last.EndLine, last.EndLine == last.Line ? col : 1, message + " (at the end of the line)");
        }

        private static PacketdrillSyntaxException Error(Token t, string message) => new(t.Line, t.Column, message);

        private string Found => AtEnd ? "the end of the line" : $"'{tokens[_pos].Shown}'";

        private Token Expect(char c, string what)
        {
            if (!NextIs(c)) throw Error($"expected '{c}' {what}, found {Found}");
            return Next();
        }

        private string Raw(int from, int to) // tokens [from, to)
        {
            if (from >= to) return "";
            var s = source.Substring(tokens[from].Start, tokens[to - 1].End - tokens[from].Start);
            return System.Text.RegularExpressions.Regex.Replace(s, @"\s+", " ").Trim();
        }

        private string Text => Raw(0, tokens.Count);

        public ScriptLine Parse()
        {
            var first = tokens[0];
            if (first.Kind == TokenKind.Option) return ParseOption();
            if (first.Kind is TokenKind.BackQuoted or TokenKind.Code)
            {
                // An init or cleanup command (packetdrill runs them before and after the events).
                Next();
                if (!AtEnd) throw Error($"unexpected {Found} after the {(first.Kind == TokenKind.Code ? "code snippet" : "shell command")}");
                return new ScriptLine(first.Line, default, first.Kind == TokenKind.Code ? new CodeLine(first.Text) : new ShellLine(first.Text), Text);
            }

            var time = ParseTime();
            if (AtEnd) throw Error("expected a packet ('<' or '>'), a system call, a shell command or a code snippet after the time");
            LineBody body;
            var t = Peek();
            if (t.Is('<') || t.Is('>')) body = ParsePacket();
            else if (t.Kind == TokenKind.BackQuoted)
            {
                Next();
                body = new ShellLine(t.Text);
            }
            else if (t.Kind == TokenKind.Code)
            {
                Next();
                body = new CodeLine(t.Text);
            }
            else if (t.Kind == TokenKind.Word || t.Kind == TokenKind.Ellipsis) body = ParseCall(time);
            else throw Error($"expected a packet ('<' or '>'), a system call, a shell command or a code snippet, found {Found}");
            if (!AtEnd) throw Error($"unexpected {Found}");

            bool outbound = body is PacketLine { Direction: PacketDirection.Outbound } || body is SkippedLine && t.Is('>');
            if (time.Kind == TimeKind.Any && !outbound)
                throw Error(first, "the time '*' can only be used with outbound packets");
            if (time.Kind is TimeKind.AbsoluteRange or TimeKind.RelativeRange && !outbound)
                throw Error(first, "a time range can only be used with outbound packets");
            return new ScriptLine(first.Line, time, body, Text);
        }

        private ScriptLine ParseOption()
        {
            var opt = Next();
            string? value = null;
            if (NextIs('='))
            {
                Next();
                if (AtEnd) throw Error($"expected a value after '--{opt.Text}='");
                value = Raw(_pos, tokens.Count);
                if (tokens[_pos].Kind == TokenKind.String && _pos == tokens.Count - 1) value = tokens[_pos].Text;
                _pos = tokens.Count;
            }
            else if (!AtEnd) throw Error($"unexpected {Found} after the option '--{opt.Text}' (write --name=value)");
            if (opt.Text == "tolerance_usecs")
            {
                if (value is null || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var usecs) || usecs > MaxUsecs)
                    throw Error(opt, "--tolerance_usecs needs a whole number of microseconds");
            }
            return new ScriptLine(opt.Line, default, new OptionLine(opt.Text, value), Text);
        }

        private EventTime ParseTime()
        {
            var first = Peek();
            if (first.Is('*'))
            {
                Next();
                return new EventTime(TimeKind.Any);
            }
            bool relative = first.Is('+');
            if (relative) Next();
            long start = ParseSeconds("a time (0, +0.1, 0.100 or *) at the start of the line");
            if (!NextIs('~')) return new EventTime(relative ? TimeKind.Relative : TimeKind.Absolute, start);
            Next();
            if (relative) Expect('+', "after '~' in a relative time range (+0.1~+0.2)");
            else if (NextIs('+')) throw Error("an absolute time range has no '+' after '~' (0.1~0.2)");
            long end = ParseSeconds("the end of the time range");
            if (end < start) throw Error(first, "the time range is backwards");
            return new EventTime(relative ? TimeKind.RelativeRange : TimeKind.AbsoluteRange, start, end);
        }

        /// <summary>Seconds (integer or decimal, not negative) as microseconds.</summary>
        private long ParseSeconds(string what)
        {
            var t = Peek();
            if (AtEnd || t.Kind is not (TokenKind.Integer or TokenKind.Float)) throw Error($"expected {what}, found {Found}");
            if (!double.TryParse(t.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
                || double.IsNaN(seconds) || double.IsInfinity(seconds))
                throw Error($"'{t.Text}' is not a time");
            if (seconds < 0) throw Error("negative time");
            if (seconds * 1e6 > MaxUsecs) throw Error($"the time {t.Text} s is out of range");
            Next();
            return (long)Math.Round(seconds * 1e6);
        }

        private long ParseInteger(string what, long min, long max)
        {
            var t = Peek();
            if (AtEnd || t.Kind is not (TokenKind.Integer or TokenKind.Hex)) throw Error($"expected {what}, found {Found}");
            bool ok = t.Kind == TokenKind.Hex
                ? long.TryParse(t.Text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v) && v >= 0
                : long.TryParse(t.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v);
            if (!ok || v < min || v > max) throw Error($"{what} {t.Text} is out of range ({min} to {max})");
            Next();
            return v;
        }
    }
}
