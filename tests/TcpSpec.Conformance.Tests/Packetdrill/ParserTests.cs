using TcpSpec.Conformance.Packetdrill;

namespace TcpSpec.Conformance.Tests.Packetdrill;

/// <summary>The reader: packetdrill's syntax to lines, and every malformed line a clear error at its line and column.</summary>
public class ParserTests
{
    private static Script Parse(string text) => PacketdrillParser.Parse(text, "test.pkt");

    private static T Body<T>(string text) where T : LineBody => Assert.IsType<T>(Assert.Single(Parse(text).Lines).Body);

    [Fact]
    public void A_script_becomes_lines_with_numbers_times_and_bodies()
    {
        var s = Parse("""
            // A comment, then a blank line.

            --tolerance_usecs=10000
            `../common/defaults.sh`
            0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0  < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>
            +.1 > S. 0:0(0) ack 1 <...>
            /* a comment
               over two lines */ 0.300 accept(3, ..., ...) = 4
            +0  connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
            """);
        Assert.Equal([3, 4, 5, 6, 7, 9, 10], s.Lines.Select(l => l.Line));
        Assert.Equal("10000", s.Option("tolerance_usecs"));
        Assert.Equal(new OptionLine("tolerance_usecs", "10000"), s.Lines[0].Body);
        Assert.Equal("../common/defaults.sh", Assert.IsType<ShellLine>(s.Lines[1].Body).Command);
        Assert.Equal(new EventTime(TimeKind.Absolute, 0), s.Lines[2].Time);
        Assert.Equal(new EventTime(TimeKind.Relative, 100_000), s.Lines[4].Time);
        Assert.Equal(new EventTime(TimeKind.Absolute, 300_000), s.Lines[5].Time);
        Assert.Equal("+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>", s.Lines[3].Text);

        var syn = Assert.IsType<PacketLine>(s.Lines[3].Body);
        Assert.True(syn.Inbound);
        Assert.Equal(("S", TcpFlags.Syn, 0u, 0u, (ushort)0), (syn.Flags, syn.Bits, syn.Start, syn.End, syn.Length));
        Assert.Equal((ushort)32792, syn.Window);
        Assert.Null(syn.Ack);
        Assert.Equal("mss 1000,sackOK,nop,nop,nop,wscale 7", syn.Options);
        Assert.Equal((ushort)1000, syn.Mss);

        var synAck = Assert.IsType<PacketLine>(s.Lines[4].Body);
        Assert.Equal((PacketDirection.Outbound, "S.", TcpFlags.Syn | TcpFlags.Ack, 1u), (synAck.Direction, synAck.Flags, synAck.Bits, synAck.Ack));
        Assert.Null(synAck.Window);
        Assert.Equal("...", synAck.Options);

        var accept = Assert.IsType<CallLine>(s.Lines[5].Body);
        Assert.Equal((CallKind.Accept, 3, 4L), (accept.Kind, accept.Fd, accept.Result));
        Assert.Equal(["3", "...", "..."], accept.Args);

        var connect = Assert.IsType<CallLine>(s.Lines[6].Body);
        Assert.Equal((-1L, "EINPROGRESS", "Operation now in progress"), (connect.Result, connect.Errno, connect.Note));
    }

    [Theory]
    [InlineData("0 close(3) = 0", TimeKind.Absolute, 0, 0)]
    [InlineData("+0 close(3) = 0", TimeKind.Relative, 0, 0)]
    [InlineData("+.1 close(3) = 0", TimeKind.Relative, 100_000, 0)]
    [InlineData("2 close(3) = 0", TimeKind.Absolute, 2_000_000, 0)]
    [InlineData("0.100 close(3) = 0", TimeKind.Absolute, 100_000, 0)]
    [InlineData("+0.29 close(3) = 0", TimeKind.Relative, 290_000, 0)]
    [InlineData("* > . 1:1(0) ack 1", TimeKind.Any, 0, 0)]
    [InlineData("0.1~0.2 > . 1:1(0) ack 1", TimeKind.AbsoluteRange, 100_000, 200_000)]
    [InlineData("+0~+0.5 > . 1:1(0) ack 1", TimeKind.RelativeRange, 0, 500_000)]
    public void Times(string text, TimeKind kind, long usecs, long end) =>
        Assert.Equal(new EventTime(kind, usecs, end), Assert.Single(Parse(text).Lines).Time);

    [Theory]
    [InlineData("S", TcpFlags.Syn)]
    [InlineData("S.", TcpFlags.Syn | TcpFlags.Ack)]
    [InlineData(".", TcpFlags.Ack)]
    [InlineData("F.", TcpFlags.Fin | TcpFlags.Ack)]
    [InlineData("FP.", TcpFlags.Fin | TcpFlags.Psh | TcpFlags.Ack)]
    [InlineData("SF", TcpFlags.Syn | TcpFlags.Fin)]
    [InlineData("R", TcpFlags.Rst)]
    [InlineData("R.", TcpFlags.Rst | TcpFlags.Ack)]
    [InlineData("P.", TcpFlags.Psh | TcpFlags.Ack)]
    [InlineData("U.", TcpFlags.Urg | TcpFlags.Ack)]
    [InlineData("-", TcpFlags.None)]
    public void Flags(string flags, TcpFlags bits) => Assert.Equal(bits, Body<PacketLine>($"+0 < {flags} 1:1(0) win 10").Bits);

    [Fact]
    public void Ecn_flags_ports_ip_info_and_urgent_pointer_are_kept_as_not_modelled()
    {
        var p = Body<PacketLine>("+0 < [ect0] 8080>80 SEW 0:0(0) win 10 urg 3");
        Assert.Equal(TcpFlags.Syn, p.Bits);
        Assert.Equal("EW", p.EcnFlags);
        Assert.Equal(["IP header info [ect0]", "ports 8080>80", "urgent pointer 3"], p.Ignored);
    }

    [Fact]
    public void Data_segments()
    {
        var p = Body<PacketLine>("+0 < P. 1:1001(1000) ack 1 win 257");
        Assert.Equal((1u, 1001u, (ushort)1000, 1u, (ushort)257), (p.Start, p.End, p.Length, p.Ack!.Value, p.Window!.Value));
    }

    [Theory]
    [InlineData("+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3", CallKind.Socket, -1, 0u)]
    [InlineData("+0 bind(3, ..., ...) = 0", CallKind.Bind, 3, 0u)]
    [InlineData("+0 listen(3, 1) = 0", CallKind.Listen, 3, 0u)]
    [InlineData("+0 write(4, ..., 1000) = 1000", CallKind.Write, 4, 1000u)]
    [InlineData("+0 send(4, ..., 10, 0) = 10", CallKind.Write, 4, 10u)]
    [InlineData("+0 sendto(4, ..., 10, 0, ..., ...) = 10", CallKind.Write, 4, 10u)]
    [InlineData("+0 read(4, ..., 500) = 500", CallKind.Read, 4, 500u)]
    [InlineData("+0 recv(4, ..., 5, 0) = 5", CallKind.Read, 4, 5u)]
    [InlineData("+0 close(4) = 0", CallKind.Close, 4, 0u)]
    [InlineData("+0 accept4(3, ..., ..., 0) = 4", CallKind.Accept, 3, 0u)]
    public void Calls(string text, CallKind kind, int fd, uint count)
    {
        var c = Body<CallLine>(text);
        Assert.Equal((kind, fd, count), (c.Kind, c.Fd, c.Count));
    }

    [Fact]
    public void Shutdown_linger_and_blocking_calls()
    {
        Assert.Equal(ShutdownHow.Write, Body<CallLine>("+0 shutdown(4, SHUT_WR) = 0").How);
        Assert.Equal(ShutdownHow.Read, Body<CallLine>("+0 shutdown(4, SHUT_RD) = 0").How);
        Assert.Equal(ShutdownHow.Both, Body<CallLine>("+0 shutdown(4, SHUT_RDWR) = 0").How);
        var linger = Body<CallLine>("+0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0");
        Assert.Equal((CallKind.SetLinger, (1, 0)), (linger.Kind, linger.Linger!.Value));
        var blocking = Body<CallLine>("+.1...0.200 connect(3, ..., ...) = 0");
        Assert.Equal(200_000, blocking.EndUsecs);
    }

    [Fact]
    public void A_statement_continues_while_a_bracket_is_open()
    {
        var s = Parse("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 setsockopt(3, SOL_SOCKET, SO_LINGER,\n      {onoff=1, linger=0}, 8) = 0\n+0 close(3) = 0\n");
        Assert.Equal([1, 2, 4], s.Lines.Select(l => l.Line));
        Assert.Equal("+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0", s.Lines[1].Text);
    }

    [Theory]
    [InlineData("+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0", "fcntl is not modelled")]
    [InlineData("+0 poll([{fd=3, events=POLLIN, revents=POLLIN}], 1, 0) = 1", "poll is not modelled")]
    [InlineData("+0 writev(4, [{..., 10}], 1) = 10", "writev is not modelled")]
    [InlineData("+0 frobnicate(1) = 0", "system call frobnicate is not modelled")]
    [InlineData("+0 < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]", "icmp packets are not TCP segments")]
    [InlineData("+0 > udp (1472)", "udp packets are not TCP segments")]
    [InlineData("+0 < S 0:0(0) win 1000 {mut tcp mss}", "packet fuzzing is not modelled")]
    public void Unmodelled_lines_are_skipped_with_a_reason(string text, string reason) =>
        Assert.Contains(reason, Body<SkippedLine>(text).Reason);

    [Fact]
    public void Shell_commands_code_snippets_and_socket_options_are_kept_for_the_runner()
    {
        Assert.Equal("sysctl -w net.inet.tcp.insecure_syn=1", Body<ShellLine>("+0 `sysctl -w net.inet.tcp.insecure_syn=1`").Command);
        Assert.Contains("tcpi_state", Body<CodeLine>("+0 %{ assert tcpi_state == TCPI_CLOSING }%").Code);
        var get = Body<CallLine>("+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0");
        Assert.Equal((CallKind.GetSockOpt, "SO_ERROR", "[ECONNRESET]"), (get.Kind, get.Args[2], get.Args[3]));
        Assert.Equal(CallKind.SetSockOpt, Body<CallLine>("+0 setsockopt(3, SOL_TCP, TCP_NODELAY, [1], 4) = 0").Kind);
        Assert.Equal(CallKind.Ioctl, Body<CallLine>("+0 ioctl(3, SIOCINQ, [1000]) = 0").Kind);
    }

    [Fact]
    public void An_ellipsis_stands_for_any_sequence_number_of_an_outbound_packet()
    {
        var p = Body<PacketLine>("+0 > P. ...(100) ack 1");
        Assert.True(p.SeqIgnored);
        Assert.Equal(100, p.Length);
        var ex = Assert.Throws<PacketdrillSyntaxException>(() => PacketdrillParser.Parse("+0 < . ...(10) ack 1 win 100"));
        Assert.Contains("only be used with outbound packets", ex.Reason);
    }

    [Theory]
    [InlineData("#ifdef FreeBSD\n+0 > S 0:0(0)\n#else\n+0 > R 0:0(0)\n#endif\n", "FreeBSD", "S")]
    [InlineData("#ifdef FreeBSD\n+0 > S 0:0(0)\n#else\n+0 > R 0:0(0)\n#endif\n", "Linux", "R")]
    [InlineData("#ifndef Linux\n+0 > S 0:0(0)\n#endif\n+0 > F 0:0(0)\n", "Linux", "F")]
    [InlineData("#ifdef A\n#ifdef B\n+0 > S 0:0(0)\n#endif\n#else\n+0 > R 0:0(0)\n#endif\n", "A", "")]
    public void Ifdef_keeps_the_branch_the_defined_names_choose_and_keeps_line_numbers(string text, string defined, string flags)
    {
        var s = PacketdrillParser.Parse(text.Replace("\\n", "\n"), "t.pkt", new HashSet<string> { defined });
        Assert.Equal(flags, string.Concat(s.Lines.Select(l => ((PacketLine)l.Body).Flags)));
        if (flags == "R") Assert.Equal(4, s.Lines[0].Line);
    }

    [Theory]
    [InlineData("#endif\n", 1, "#endif without")]
    [InlineData("+0 > S 0:0(0)\n#ifdef X\n", 2, "without its #endif")]
    [InlineData("#ifdef X\n#else\n#else\n#endif\n", 3, "a second #else")]
    [InlineData("#ifdef\n#endif\n", 1, "needs one name")]
    public void An_unbalanced_directive_is_an_error_at_its_line(string text, int line, string message)
    {
        var ex = Assert.Throws<PacketdrillSyntaxException>(() => PacketdrillParser.Parse(text.Replace("\\n", "\n")));
        Assert.Equal(line, ex.Line);
        Assert.Contains(message, ex.Reason);
    }

    [Fact]
    public void A_multiline_code_snippet_or_shell_command_is_one_skipped_line()
    {
        var s = Parse("+0 %{\nassert 1\nassert 2\n}%\n`a\nb`\n+0 close(3) = 0");
        Assert.Equal([1, 5, 7], s.Lines.Select(l => l.Line));
    }

    [Theory]
    [InlineData("0 foo 1", 1, 7, "expected '(' after the system call name 'foo'")]
    [InlineData("+0 < S 0:0(0)", 1, 14, "window must be specified for inbound packets")]
    [InlineData("+0 < S 0:5(0) win 1", 1, 8, "inconsistent TCP sequence numbers and payload size")]
    [InlineData("+0 < X 0:0(0) win 1", 1, 6, "invalid TCP flag 'X'")]
    [InlineData("+0 < SX. 0:0(0) win 1", 1, 7, "invalid TCP flag 'X'")]
    [InlineData("* < S 0:0(0) win 1", 1, 1, "'*' can only be used with outbound packets")]
    [InlineData("+0.1~+0.2 close(3) = 0", 1, 1, "a time range can only be used with outbound packets")]
    [InlineData("0.2~0.1 > S 0:0(0)", 1, 1, "backwards")]
    [InlineData("0.1~+0.2 > S 0:0(0)", 1, 5, "no '+' after '~'")]
    [InlineData("/* never closed", 1, 1, "unterminated comment")]
    [InlineData("+0 `ls", 1, 4, "unterminated shell command")]
    [InlineData("+0 %{ x", 1, 4, "unterminated code snippet")]
    [InlineData("+0 write(4, \"abc, 10) = 10", 1, 13, "unterminated string")]
    [InlineData("+0 write(4, ..., 10 = 10", 1, 9, "'(' is never closed")]
    [InlineData("+0 close(4)) = 0", 1, 12, "')' without a matching '('")]
    [InlineData("+0 write(4, ..., x) = 1", 1, 18, "expected a byte count")]
    [InlineData("+0 write(4, ..., -5) = 1", 1, 18, "expected a byte count")]
    [InlineData("+0 write(x, ..., 5) = 5", 1, 10, "expected a file descriptor")]
    [InlineData("+0 write(4, ...) = 5", 1, 4, "needs a byte count")]
    [InlineData("+0 close() = 0", 1, 4, "needs a file descriptor")]
    [InlineData("+0 write(4, , 5) = 5", 1, 13, "empty argument")]
    [InlineData("+0 shutdown(4, SHUT_XX) = 0", 1, 16, "expected SHUT_RD, SHUT_WR or SHUT_RDWR")]
    [InlineData("+0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1}, 8) = 0", 1, 41, "SO_LINGER value {onoff=N, linger=M}")]
    [InlineData("+0 close(4) = 0 EPIPE", 1, 4, "an errno (EPIPE) goes with the result -1")]
    [InlineData("+0 close(4) = x", 1, 15, "expected the expected return value")]
    [InlineData("+0 close(4)", 1, 12, "expected '=' and the expected result")]
    [InlineData("+0 read(4, ..., 10) = 1 2", 1, 25, "unexpected '2'")]
    [InlineData("-1 close(4) = 0", 1, 1, "negative time")]
    [InlineData("+0 > S. 0:0(0) ack 99999999999", 1, 20, "out of range")]
    [InlineData("+0 > S. 0:0(0) win 65536", 1, 20, "out of range")]
    [InlineData("+0 > S. 4294967295:4294967296(1)", 1, 20, "out of range")]
    [InlineData("99999999 close(3) = 0", 1, 1, "out of range")]
    [InlineData("+0", 1, 3, "expected a packet ('<' or '>'), a system call")]
    [InlineData("close(3) = 0", 1, 1, "expected a time")]
    [InlineData("+0 < S 0:0(0) win 1 <...>", 1, 21, "<...> for TCP options can only be used with outbound packets")]
    [InlineData("+0 < S 0:0(0) win 1 <mss 1", 1, 21, "'<' without the closing '>'")]
    [InlineData("+0 > S 0:0(0) <>", 1, 15, "empty TCP options")]
    [InlineData("--tolerance_usecs=abc", 1, 1, "--tolerance_usecs needs a whole number")]
    [InlineData("--tolerance_usecs", 1, 1, "--tolerance_usecs needs a whole number")]
    [InlineData("0 close(3) = 0\n--tolerance_usecs=1", 2, 1, "options (--name=value) must come before the first event")]
    [InlineData("\n\n  +0 foo", 3, 9, "expected '(' after the system call name 'foo'")]
    [InlineData("+0...0.1 < S 0:0(0) win 1", 1, 10, "expected a system call name")]
    [InlineData("0.5...0.1 read(4, ..., 1) = 1", 1, 7, "cannot return before it starts")]
    [InlineData("+0 ` a` b", 1, 9, "unexpected 'b'")]
    public void Malformed_lines_are_errors_at_their_line_and_column(string text, int line, int column, string message)
    {
        var ex = Assert.Throws<PacketdrillSyntaxException>(() => Parse(text));
        Assert.Contains(message, ex.Reason);
        Assert.Equal((line, column), (ex.Line, ex.Column));
        Assert.StartsWith($"line {line}, column {column}: ", ex.Message);
    }

    [Fact]
    public void An_unreadable_file_is_a_syntax_error_at_line_1()
    {
        var ex = Assert.Throws<PacketdrillSyntaxException>(() => PacketdrillParser.ParseFile(Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid(), "x.pkt")));
        Assert.Equal(1, ex.Line);
        Assert.Contains("cannot read the script", ex.Reason);
    }
}
