using System.Globalization;

namespace TcpSpec.Conformance.Packetdrill;

/// <summary>The packet statements of a script: <c>&lt;</c> inbound and <c>&gt;</c> outbound segments, their flags, ranges, ack, window and options.</summary>
public static partial class PacketdrillParser
{
    private sealed partial class StatementParser
    {
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
            long start, end, length;
            bool seqIgnored = false;
            if (seqToken.Kind == TokenKind.Ellipsis)
            {
                // ...(length): any sequence number (nplab's packetdrill grammar, seq: ELLIPSIS '(' INTEGER ')').
                Next();
                Expect('(', "before the payload length in ...(length)");
                length = ParseInteger("the payload length", 0, ushort.MaxValue);
                Expect(')', "after the payload length");
                start = 0;
                end = length;
                seqIgnored = true;
            }
            else
            {
                start = ParseInteger("the sequence range start:end(length)", 0, uint.MaxValue);
                Expect(':', "in the sequence range start:end(length)");
                end = ParseInteger("the sequence range end", 0, uint.MaxValue);
                Expect('(', "before the payload length in start:end(length)");
                length = ParseInteger("the payload length", 0, ushort.MaxValue);
                Expect(')', "after the payload length");
                if (end != start + length) throw Error(seqToken, "inconsistent TCP sequence numbers and payload size: end must be start + length");
            }

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
            if (seqIgnored && direction == PacketDirection.Inbound)
                throw Error(seqToken, "...(length) for the sequence number can only be used with outbound packets");
            return new PacketLine(direction, flagsText, bits, ecn, (uint)start, (uint)end, (ushort)length, ack, window, options, mss, ignored) { SeqIgnored = seqIgnored };
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
    }
}
