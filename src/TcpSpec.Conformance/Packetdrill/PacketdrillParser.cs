using System.Globalization;

namespace TcpSpec.Conformance.Packetdrill;

/// <summary>
/// Reads packetdrill scripts (google/packetdrill's syntax) into a <see cref="Script"/>. A statement
/// ends with its line unless a bracket, string, shell command, code snippet or comment is still
/// open. Everything the runner cannot model is kept as a <see cref="SkippedLine"/> with the
/// reason; anything malformed is a <see cref="PacketdrillSyntaxException"/> with the line and
/// column, and no other exception escapes, whatever the input.
/// </summary>
public static class PacketdrillParser
{
    /// <summary>The longest time a script may name: 10^7 seconds (about 4 months).</summary>
    public const long MaxUsecs = 10_000_000L * 1_000_000L;

    private static readonly HashSet<string> ShellLike = ["sysctl", "system", "shell"];

    private static readonly Dictionary<string, string> NotModelled = new(StringComparer.Ordinal)
    {
        ["getsockopt"] = "getsockopt is not modelled (the engine has no socket options to read)",
        ["fcntl"] = "fcntl is not modelled (blocking or not is read from each call's expected result)",
        ["ioctl"] = "ioctl is not modelled",
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

    /// <summary>Reads a script file. An unreadable file is a <see cref="PacketdrillSyntaxException"/> at line 1.</summary>
    public static Script ParseFile(string path)
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
        return Parse(text, path);
    }

    /// <summary>Reads a script's text.</summary>
    public static Script Parse(string text, string path = "<script>")
    {
        ArgumentNullException.ThrowIfNull(text);
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
    private sealed class StatementParser(string source, List<Token> tokens)
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
                return new ScriptLine(first.Line, default, new SkippedLine(first.Kind == TokenKind.Code ? "code snippet not run" : ShellReason(first.Text)), Text);
            }

            var time = ParseTime();
            if (AtEnd) throw Error("expected a packet ('<' or '>'), a system call, a shell command or a code snippet after the time");
            LineBody body;
            var t = Peek();
            if (t.Is('<') || t.Is('>')) body = ParsePacket();
            else if (t.Kind == TokenKind.BackQuoted)
            {
                Next();
                body = new SkippedLine(ShellReason(t.Text));
            }
            else if (t.Kind == TokenKind.Code)
            {
                Next();
                body = new SkippedLine("code snippet not run");
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

        private static string ShellReason(string command)
        {
            var word = command.TrimStart().Split([' ', '\t', '\n', '\r'], 2)[0];
            return word.Length > 0 && ShellLike.Contains(word) ? $"{word} command not run (the engine has no kernel settings)"
                : "shell command not run";
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

        // ---- packets ------------------------------------------------------------------------

        private LineBody ParsePacket()
        {
            var dirToken = Next();
            var direction = dirToken.Is('<') ? PacketDirection.Inbound : PacketDirection.Outbound;
            var ignored = new List<string>();

            var t = Peek();
            if (!AtEnd && t.Kind == TokenKind.Word && t.Text is "udp" or "icmp" or "ipv4" or "ipv6" or "gre" or "GREv0" or "mpls")
            {
                _pos = tokens.Count;
                return new SkippedLine(t.Text is "udp" or "icmp" ? $"{t.Text} packets are not TCP segments" : $"{t.Text} encapsulation is not modelled");
            }
            // opt_ip_info: (tos ...) or [ect0] and the like.
            if (NextIs('(') || NextIs('['))
            {
                int from = _pos;
                SkipBracketed();
                ignored.Add("IP header info " + Raw(from, _pos));
            }
            // opt_port_info: 8080>80.
            if (Peek().Kind == TokenKind.Integer && Peek(1).Is('>') && Peek(2).Kind == TokenKind.Integer)
            {
                int from = _pos;
                ParseInteger("a source port", 0, 65535);
                Next();
                ParseInteger("a destination port", 0, 65535);
                ignored.Add("ports " + Raw(from, _pos));
            }

            var (flagsText, bits, ecn) = ParseFlags();

            // seq: start:end(len)
            var seqToken = Peek();
            long start = ParseInteger("the sequence range start:end(length)", 0, uint.MaxValue);
            Expect(':', "in the sequence range start:end(length)");
            long end = ParseInteger("the sequence range end", 0, uint.MaxValue);
            Expect('(', "before the payload length in start:end(length)");
            long length = ParseInteger("the payload length", 0, ushort.MaxValue);
            Expect(')', "after the payload length");
            if (end != start + length) throw Error(seqToken, "inconsistent TCP sequence numbers and payload size: end must be start + length");

            uint? ack = null;
            ushort? window = null;
            string? options = null;
            ushort? mss = null;
            if (Peek().IsWord("ack"))
            {
                Next();
                ack = (uint)ParseInteger("the acknowledgment number", 0, uint.MaxValue);
            }
            if (Peek().IsWord("win"))
            {
                Next();
                window = (ushort)ParseInteger("the window", 0, ushort.MaxValue);
            }
            if (Peek().IsWord("urg"))
            {
                int from = _pos;
                Next();
                ParseInteger("the urgent pointer", 0, ushort.MaxValue);
                ignored.Add("urgent pointer " + Raw(from + 1, _pos));
            }
            if (NextIs('<'))
            {
                var open = Next();
                int from = _pos;
                while (!AtEnd && !NextIs('>')) Next();
                if (AtEnd) throw Error(open, "TCP options '<' without the closing '>'");
                options = Raw(from, _pos);
                if (options.Length == 0) throw Error(open, "empty TCP options '<>'");
                for (int k = from; k < _pos - 1; k++)
                {
                    if (tokens[k].IsWord("mss") && tokens[k + 1].Kind == TokenKind.Integer
                        && ushort.TryParse(tokens[k + 1].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var m))
                        mss = m;
                }
                Next();
                if (options == "..." && direction == PacketDirection.Inbound)
                    throw Error(open, "<...> for TCP options can only be used with outbound packets");
            }
            if (NextIs('{'))
            {
                _pos = tokens.Count;
                return new SkippedLine("packet fuzzing is not modelled");
            }
            if (direction == PacketDirection.Inbound && window is null)
                throw Error("window must be specified for inbound packets (win N)");
            return new PacketLine(direction, flagsText, bits, ecn, (uint)start, (uint)end, (ushort)length, ack, window, options, mss, ignored);
        }

        private void SkipBracketed()
        {
            int depth = 0;
            do
            {
                var t = Next();
                if (t.Is('(') || t.Is('[') || t.Is('{')) depth++;
                else if (t.Is(')') || t.Is(']') || t.Is('}')) depth--;
            }
            while (depth > 0 && !AtEnd);
        }

        private (string Text, TcpFlags Bits, string Ecn) ParseFlags()
        {
            var t = Peek();
            string text;
            if (t.Is('.') || t.Is('-'))
            {
                Next();
                text = t.Text;
                return (text, text == "." ? TcpFlags.Ack : TcpFlags.None, "");
            }
            if (AtEnd || t.Kind != TokenKind.Word) throw Error($"expected TCP flags (S, S., ., F., R, R., P. or -), found {Found}");
            Next();
            text = t.Text;
            if (NextIs('.') && Peek().Start == t.End)
            {
                Next();
                text += ".";
            }
            var bits = text.EndsWith('.') ? TcpFlags.Ack : TcpFlags.None;
            var ecn = "";
            for (int k = 0; k < t.Text.Length; k++)
            {
                char c = t.Text[k];
                switch (c)
                {
                    case 'F': bits |= TcpFlags.Fin; break;
                    case 'S': bits |= TcpFlags.Syn; break;
                    case 'R': bits |= TcpFlags.Rst; break;
                    case 'P': bits |= TcpFlags.Psh; break;
                    case 'U': bits |= TcpFlags.Urg; break;
                    case 'E' or 'W' or 'A': ecn += c; break;
                    default:
                        throw new PacketdrillSyntaxException(t.Line, t.Column + k, $"invalid TCP flag '{c}' in '{t.Text}' (flags are F S R P U E W A and '.' for ACK)");
                }
            }
            return (text, bits, ecn);
        }

        // ---- system calls -------------------------------------------------------------------

        private LineBody ParseCall(EventTime time)
        {
            long? endUsecs = null;
            if (Peek().Kind == TokenKind.Ellipsis)
            {
                Next();
                var endToken = Peek();
                endUsecs = ParseSeconds("the time the blocking call returns after '...'");
                if (time.Kind == TimeKind.Absolute && endUsecs < time.Usecs) throw Error(endToken, "a blocking call cannot return before it starts");
            }
            var nameToken = Peek();
            if (AtEnd || nameToken.Kind != TokenKind.Word) throw Error($"expected a system call name, found {Found}");
            Next();
            Expect('(', $"after the system call name '{nameToken.Text}'");
            var args = new List<(string Text, int From, int To)>();
            int argStart = _pos, depth = 0;
            while (true)
            {
                if (AtEnd) throw Error($"the arguments of {nameToken.Text}( are never closed");
                var t = Peek();
                if (depth == 0 && (t.Is(',') || t.Is(')')))
                {
                    if (_pos == argStart && !(t.Is(')') && args.Count == 0)) throw Error(t, "empty argument");
                    if (_pos > argStart) args.Add((Raw(argStart, _pos), argStart, _pos));
                    Next();
                    if (t.Is(')')) break;
                    argStart = _pos;
                    continue;
                }
                if (t.Is('(') || t.Is('[') || t.Is('{')) depth++;
                else if (t.Is(')') || t.Is(']') || t.Is('}')) depth--;
                Next();
            }
            Expect('=', $"and the expected result after {nameToken.Text}(...)");
            long result = ParseInteger("the expected return value", int.MinValue, uint.MaxValue);
            string? errno = null, note = null;
            if (Peek().Kind == TokenKind.Word)
            {
                errno = Next().Text;
            }
            if (NextIs('('))
            {
                int from = _pos;
                SkipBracketed();
                note = Raw(from + 1, _pos - 1);
            }
            if (errno is not null && result != -1) throw Error(nameToken, $"an errno ({errno}) goes with the result -1, not {result}");

            string name = nameToken.Text;
            var argTexts = args.Select(a => a.Text).ToArray();
            CallLine Call(CallKind kind, int fd = -1, uint count = 0, ShutdownHow how = ShutdownHow.Both, (int, int)? linger = null) =>
                new(name, kind, argTexts, result, errno, note, endUsecs, fd, count, how, linger);

            switch (name)
            {
                case "socket":
                    return Call(CallKind.Socket);
                case "bind":
                    return Call(CallKind.Bind, Fd(args, nameToken));
                case "listen":
                    return Call(CallKind.Listen, Fd(args, nameToken));
                case "connect":
                    return Call(CallKind.Connect, Fd(args, nameToken));
                case "accept" or "accept4":
                    return Call(CallKind.Accept, Fd(args, nameToken));
                case "close":
                    return Call(CallKind.Close, Fd(args, nameToken));
                case "shutdown":
                    return Call(CallKind.Shutdown, Fd(args, nameToken), how: How(args, nameToken));
                case "write" or "send" or "sendto":
                    return Call(CallKind.Write, Fd(args, nameToken), Count(args, nameToken));
                case "read" or "recv" or "recvfrom":
                    return Call(CallKind.Read, Fd(args, nameToken), Count(args, nameToken));
                case "setsockopt":
                {
                    int fd = Fd(args, nameToken);
                    if (args.Count >= 3 && args[2].Text == "SO_LINGER")
                    {
                        if (args.Count < 4) throw Error(nameToken, "setsockopt SO_LINGER needs its value {onoff=N, linger=M}");
                        return Call(CallKind.SetLinger, fd, linger: Linger(args[3]));
                    }
                    string opt = args.Count >= 3 ? args[2].Text : "?";
                    return new SkippedLine($"setsockopt {opt} is not modelled (only SO_LINGER is)");
                }
                default:
                    if (NotModelled.TryGetValue(name, out var why)) return new SkippedLine(why);
                    return new SkippedLine($"system call {name} is not modelled");
            }
        }

        private int Fd(List<(string Text, int From, int To)> args, Token name)
        {
            if (args.Count == 0) throw Error(name, $"{name.Text} needs a file descriptor as its first argument");
            var a = args[0];
            if (a.To - a.From != 1 || tokens[a.From].Kind != TokenKind.Integer
                || !int.TryParse(tokens[a.From].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var fd))
                throw Error(tokens[a.From], $"expected a file descriptor (a number), found '{a.Text}'");
            return fd;
        }

        private uint Count(List<(string Text, int From, int To)> args, Token name)
        {
            if (args.Count < 3) throw Error(name, $"{name.Text} needs a byte count as its third argument ({name.Text}(fd, ..., count))");
            var a = args[2];
            if (a.To - a.From != 1 || tokens[a.From].Kind != TokenKind.Integer
                || !uint.TryParse(tokens[a.From].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > int.MaxValue)
                throw Error(tokens[a.From], $"expected a byte count (0 to {int.MaxValue}), found '{a.Text}'");
            return n;
        }

        private ShutdownHow How(List<(string Text, int From, int To)> args, Token name)
        {
            if (args.Count < 2) throw Error(name, "shutdown needs SHUT_RD, SHUT_WR or SHUT_RDWR as its second argument");
            return args[1].Text switch
            {
                "SHUT_RD" or "0" => ShutdownHow.Read,
                "SHUT_WR" or "1" => ShutdownHow.Write,
                "SHUT_RDWR" or "2" => ShutdownHow.Both,
                _ => throw Error(tokens[args[1].From], $"expected SHUT_RD, SHUT_WR or SHUT_RDWR, found '{args[1].Text}'"),
            };
        }

        /// <summary><c>{onoff=1, linger=0}</c>.</summary>
        private (int, int) Linger((string Text, int From, int To) arg)
        {
            var t = tokens.GetRange(arg.From, arg.To - arg.From);
            bool ok = t.Count == 9 && t[0].Is('{') && t[1].IsWord("onoff") && t[2].Is('=') && t[3].Kind == TokenKind.Integer
                && t[4].Is(',') && t[5].IsWord("linger") && t[6].Is('=') && t[7].Kind == TokenKind.Integer && t[8].Is('}');
            if (!ok || !int.TryParse(t[3].Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var onoff)
                || !int.TryParse(t[7].Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var linger))
                throw Error(tokens[arg.From], $"expected the SO_LINGER value {{onoff=N, linger=M}}, found '{arg.Text}'");
            return (onoff, linger);
        }
    }
}
