using System.Globalization;

namespace TcpSpec.Conformance.Packetdrill;

/// <summary>The system-call statements of a script: the call, its arguments (fd, count, how, SO_LINGER), its expected result and errno.</summary>
public static partial class PacketdrillParser
{
    private sealed partial class StatementParser
    {
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
                    return Call(CallKind.SetSockOpt, fd);
                }
                case "getsockopt":
                    return Call(CallKind.GetSockOpt, Fd(args, nameToken));
                case "ioctl":
                    return Call(CallKind.Ioctl, Fd(args, nameToken));
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
