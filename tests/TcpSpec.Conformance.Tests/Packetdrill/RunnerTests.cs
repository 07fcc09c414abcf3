using TcpSpec.Conformance.Packetdrill;
using TcpSpec.Engines;
using TcpSpec.Testing;

namespace TcpSpec.Conformance.Tests.Packetdrill;

/// <summary>
/// The runner fails a script whose expectations the engine does not meet, at the right line and
/// with the row that produced the segment: wrong flags, numbers or window, a missing or
/// unexpected packet, timing outside the tolerance, a call's wrong result.
/// </summary>
public class RunnerTests
{
    // Lines 1-7: a passive open, accepted.
    private const string Handshake = """
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
           +0 bind(3, ..., ...) = 0
           +0 listen(3, 1) = 0
         +.01 < S 0:0(0) win 65535
           +0 > S. 0:0(0) ack 1
         +.01 < . 1:1(0) ack 1 win 65535
           +0 accept(3, ..., ...) = 4

        """;

    /// <summary>Runs under --strict unless the options say otherwise (the project's own rule).</summary>
    private static ScriptResult Run(string text, PacketdrillOptions? options = null) =>
        PacketdrillRunner.Run(PacketdrillParser.Parse(text, "test.pkt"), options ?? new PacketdrillOptions { Strict = true });

    private static LineFailure Fails(string text, int line, string message, PacketdrillOptions? options = null)
    {
        var r = Run(text, options);
        Assert.False(r.Passed, "the script passed, but it should fail at line " + line);
        var f = r.Failure!;
        Assert.True(f.Line == line, $"failed at line {f.Line}, not {line}:\n{PacketdrillReport.Format(r)}");
        Assert.Contains(message, f.Message);
        return f;
    }

    private static string Edit(string text, string from, string to)
    {
        Assert.Contains(from, text);
        return text.Replace(from, to);
    }

    [Fact]
    public void The_handshake_passes()
    {
        var r = Run(Handshake);
        Assert.True(r.Passed, PacketdrillReport.Format(r));
        Assert.Equal(7, r.LinesRun);
        Assert.Empty(r.Skipped);
        Assert.Equal([("LISTEN", "SYN", 4), ("SYN-RECEIVED", "ACK", 6)], r.Cells.Select(c => (c.State, c.Event, c.Line)));
    }

    [Fact]
    public void Wrong_flags_fail_at_the_line_with_the_row_that_sent_the_segment()
    {
        var f = Fails(Edit(Handshake, "> S. 0:0(0)", "> S 0:0(0)"), 5, "differs in flags");
        Assert.Equal("> S 0:0(0) ack 1", f.Expected);
        Assert.Equal("> S. 0:0(0) ack 1 win 8192", f.Actual);
        Assert.Equal("LISTEN → SYN-RECEIVED", f.State);
        Assert.Equal("LISTEN × SYN, SYN-FIN / AcceptSyn, HoldText, SelectIss, SendSynAck → SYN-RECEIVED", f.Row!.Description);
        Assert.Contains("in reply to the SYN of line 4", f.Message);
    }

    [Fact]
    public void A_wrong_sequence_number_fails() => Fails(Edit(Handshake, "> S. 0:0(0)", "> S. 5:5(0)"), 5, "sequence number");

    [Fact]
    public void A_wrong_payload_length_fails() =>
        Fails(Handshake + "+0 write(4, ..., 10) = 10\n+0 > . 1:10(9) ack 1\n", 9, "payload length");

    [Fact]
    public void A_wrong_acknowledgment_number_fails() => Fails(Edit(Handshake, "ack 1\n", "ack 2\n"), 5, "acknowledgment number");

    [Fact]
    public void The_first_outbound_window_sets_the_receive_window_and_a_different_one_later_fails()
    {
        var stated = Edit(Handshake, "> S. 0:0(0) ack 1", "> S. 0:0(0) ack 1 win 4000");
        Assert.True(Run(stated).Passed);
        Fails(stated + "+0 write(4, ..., 10) = 10\n+0 > . 1:11(10) ack 1 win 5000\n", 9, "window");
    }

    [Fact]
    public void A_packet_the_engine_does_not_send_is_missing()
    {
        var f = Fails(Handshake + "+0 > . 1:1(0) ack 1\n", 8, "not sent by 0.024 s");
        Assert.Equal("nothing sent", f.Actual);
        Assert.Equal("ESTABLISHED", f.State);
    }

    [Fact]
    public void A_packet_the_script_does_not_expect_fails_at_the_next_line()
    {
        var f = Fails(Edit(Handshake, "   +0 > S. 0:0(0) ack 1\n", ""), 5, "unexpected outbound packet");
        Assert.Equal("> S. 0:0(0) ack 1 win 8192", f.Actual);
        Assert.Contains("in reply to the SYN of line 4", f.Message);
    }

    [Fact]
    public void A_packet_sent_after_the_last_line_fails_too()
    {
        var f = Fails(Handshake + "+.01 < S 0:0(0) win 65535\n", 8, "unexpected outbound packet after the last line");
        Assert.Equal("> . 1:1(0) ack 1 win 8192", f.Actual); // the challenge ACK (RFC 5961 §4.2)
    }

    [Fact]
    public void A_timer_that_fires_before_a_line_sends_an_unexpected_packet()
    {
        // The SYN,ACK is not acknowledged for 1.5 s: its retransmission at 1.01 s is unexpected.
        var text = Edit(Handshake, " +.01 < . 1:1(0) ack 1 win 65535", " +1.5 < . 1:1(0) ack 1 win 65535");
        var f = Fails(text, 6, "unexpected outbound packet (sent at 1.010 s");
        Assert.Contains("sent when RETRANSMIT-TIMEOUT fired", f.Message);
        Assert.Equal("> S. 0:0(0) ack 1 win 8192", f.Actual);
    }

    [Fact]
    public void A_packet_later_than_the_tolerance_fails()
    {
        var f = Fails(Edit(Handshake, "   +0 > S. 0:0(0) ack 1", " +.005 > S. 0:0(0) ack 1"), 5, "sent at 0.010 s, expected at 0.015 s ± 0.004 s");
        Assert.Equal(10_000, f.AtUsecs);
    }

    [Fact]
    public void A_packet_within_the_tolerance_passes_and_the_tolerance_can_be_widened()
    {
        Assert.True(Run(Edit(Handshake, "   +0 > S. 0:0(0) ack 1", " +.004 > S. 0:0(0) ack 1")).Passed);
        var late = Edit(Handshake, "   +0 > S. 0:0(0) ack 1", " +.009 > S. 0:0(0) ack 1");
        Assert.False(Run(late).Passed);
        Assert.True(Run(late, new PacketdrillOptions { ToleranceUsecs = 10_000 }).Passed);
        Assert.True(Run("--tolerance_usecs=10000\n" + late).Passed);
    }

    [Fact]
    public void A_retransmission_expected_too_late_fails_on_timing()
    {
        var text = Edit(Handshake, " +.01 < . 1:1(0) ack 1 win 65535", "   +2 > S. 0:0(0) ack 1\n +.01 < . 1:1(0) ack 1 win 65535");
        Fails(text, 6, "sent at 1.010 s, expected at 2.010 s");
        var right = Edit(Handshake, " +.01 < . 1:1(0) ack 1 win 65535", "   +1 > S. 0:0(0) ack 1\n +.01 < . 1:1(0) ack 1 win 65535");
        Assert.True(Run(right).Passed);
    }

    [Fact]
    public void Any_time_waits_for_the_next_timer()
    {
        var text = Edit(Handshake, " +.01 < . 1:1(0) ack 1 win 65535", "    * > S. 0:0(0) ack 1\n +.01 < . 1:1(0) ack 1 win 65535");
        Assert.True(Run(text).Passed);
    }

    [Fact]
    public void A_time_range_accepts_a_packet_inside_it()
    {
        var text = Edit(Handshake, " +.01 < . 1:1(0) ack 1 win 65535", "+0.5~+1.5 > S. 0:0(0) ack 1\n +.01 < . 1:1(0) ack 1 win 65535");
        Assert.True(Run(text).Passed);
        Fails(Edit(text, "+0.5~+1.5", "+1.5~+2.5"), 6, "expected between 1.510 s and 2.510 s");
    }

    [Fact]
    public void A_wrong_call_result_fails_with_the_actual_result()
    {
        var f = Fails(Handshake + "+0 write(4, ..., 10) = 5\n", 8, "write returned 10, expected 5");
        Assert.Equal("5", f.Expected);
        Assert.Equal("10", f.Actual);
        Assert.Equal("ESTABLISHED, CLOSE-WAIT × SEND / QueueData, Transmit → same", f.Row!.Description);
    }

    [Fact]
    public void A_wrong_errno_fails()
    {
        var reset = Handshake + "+.01 < R 1:1(0) win 0\n";
        Assert.True(Run(reset + "+0 read(4, ..., 10) = -1 ECONNRESET (Connection reset by peer)\n").Passed);
        var f = Fails(reset + "+0 read(4, ..., 10) = -1 EPIPE (Broken pipe)\n", 9, "read returned -1 ECONNRESET, expected -1 EPIPE");
        Assert.Equal("CLOSED", f.State);
        Assert.Null(f.Row); // the socket's pending error: the call made no engine step
    }

    [Fact]
    public void A_call_that_blocks_when_the_script_expects_it_to_return_fails()
    {
        var f = Fails(Handshake + "+0 read(4, ..., 10) = 10\n", 8, "never returned");
        Assert.Equal("still blocked", f.Actual);
        Assert.True(Run(Handshake + "+0 read(4, ..., 10) = -1 EAGAIN (Resource temporarily unavailable)\n").Passed);
    }

    [Fact]
    public void A_blocking_call_must_return_at_its_time()
    {
        var text = Handshake + "+0...0.1 read(4, ..., 10) = 10\n+.1 < . 1:11(10) ack 1 win 65535\n+0 > . 1:1(0) ack 11\n";
        Assert.True(Run(text).Passed);
        Fails(Edit(text, "+.1 < .", "+.2 < ."), 8, "did not return by 0.124 s");
        Fails(Edit(text, "+.1 < .", "+.05 < ."), 8, "returned at 0.070 s, expected at 0.120 s");
    }

    [Fact]
    public void Times_that_go_backwards_fail()
    {
        Fails(Handshake + "0.5 write(4, ..., 1) = 1\n+0 > . 1:2(1) ack 1\n0.1 < . 1:1(0) ack 2 win 65535\n", 10, "times go backwards");
    }

    [Fact]
    public void Reset_numbers_are_relative_and_seq_zero_stays_zero()
    {
        // CLOSED: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> for a SYN, <SEQ=SEG.ACK><CTL=RST> for an ACK.
        var text = """
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
          +0 < S 100:100(0) win 100
          +0 > R. 0:0(0) ack 101
          +0 < . 5:5(0) ack 777 win 100
          +0 > R 777:777(0)
          """;
        Assert.True(Run(text).Passed);
        Assert.True(Run(text, new PacketdrillOptions { LocalIss = 0xFFFF_FFF0, RemoteIsn = 0xFFFF_FFFF }).Passed);
    }

    [Fact]
    public void Unmodelled_lines_are_reported_as_skipped_with_their_reason_never_run()
    {
        var text = """
            --ip_version=ipv4
            `../common/defaults.sh`
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0 `sysctl -q net.ipv4.tcp_rmem="4096 87380 6291456"`
            +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
            +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
            +0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
            +0 ioctl(3, SIOCINQ, [0]) = 0
            +0 poll([{fd=3, events=POLLOUT, revents=0}], 1, 0) = 0
            +0 %{ assert tcpi_state == TCP_CLOSE }%
            +0 < udp (100)
            """;
        var r = Run(text);
        Assert.True(r.Passed);
        Assert.Equal(4, r.LinesRun); // socket, getsockopt SO_ERROR, ioctl SIOCINQ, the state assertion
        Assert.Equal([1, 2, 4, 5, 6, 9, 11], r.Skipped.Select(s => s.Line));
        Assert.Contains("option --ip_version is not modelled", r.Skipped[0].Reason);
        Assert.Equal("shell command ../common/defaults.sh not run", r.Skipped[1].Reason);
        Assert.Contains("sysctl net.ipv4.tcp_rmem is not a knob or parameter", r.Skipped[2].Reason);
        Assert.Contains("SO_REUSEADDR", r.Skipped[3].Reason);
        Assert.Contains("fcntl", r.Skipped[4].Reason);
        Assert.Contains("poll", r.Skipped[5].Reason);
        Assert.Contains("udp", r.Skipped[6].Reason);
        var report = PacketdrillReport.Format(r);
        Assert.Contains("skipped line 4: sysctl net.ipv4.tcp_rmem is not a knob or parameter of the table alone (no --profile)", report);
    }

    [Fact]
    public void Tcp_options_psh_and_ports_are_noted_not_compared()
    {
        var text = Edit(Handshake, "< S 0:0(0) win 65535", "< S 0:0(0) win 65535 <mss 1000,sackOK,nop,nop,nop,wscale 7>");
        text = Edit(text, "> S. 0:0(0) ack 1", "> S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 8>");
        text += "+0 write(4, ..., 10) = 10\n+0 > P. 1:11(10) ack 1\n";
        var r = Run(text);
        Assert.True(r.Passed, PacketdrillReport.Format(r));
        Assert.Equal([4, 5, 9], r.Notes.Select(n => n.Line).Distinct());
        Assert.Contains(r.Notes, n => n.Line == 4 && n.Note.Contains("mss 1000 as the send MSS"));
        Assert.Contains(r.Notes, n => n.Line == 9 && n.Note.Contains("PSH"));
    }

    [Fact]
    public void The_peer_mss_cuts_segments()
    {
        var text = Edit(Handshake, "< S 0:0(0) win 65535", "< S 0:0(0) win 65535 <mss 4>");
        Assert.True(Run(text + "+0 write(4, ..., 6) = 6\n+0 > . 1:5(4) ack 1\n+0 > . 5:7(2) ack 1\n").Passed);
        // Without the option the send MSS is RFC 9293 §3.7.1's default of 536.
        Assert.True(Run(Handshake + "+0 write(4, ..., 600) = 600\n+0 > . 1:537(536) ack 1\n+0 > . 537:601(64) ack 1\n").Passed);
    }

    [Fact]
    public void Close_with_linger_zero_is_abort_and_the_accepted_socket_inherits_it()
    {
        var lingering = Edit(Handshake, "   +0 listen(3, 1) = 0", "   +0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n   +0 listen(3, 1) = 0");
        Assert.True(Run(lingering + "+0 close(4) = 0\n+0 > R 1:1(0)\n").Passed);
        Assert.True(Run(Handshake + "+0 close(4) = 0\n+0 > F. 1:1(0) ack 1\n").Passed);
    }

    [Fact]
    public void Calls_on_unknown_or_closed_descriptors_fail_with_ebadf()
    {
        Assert.True(Run(Handshake + "+0 write(9, ..., 1) = -1 EBADF (Bad file descriptor)\n").Passed);
        var closed = Handshake + "+0 close(4) = 0\n+0 > F. 1:1(0) ack 1\n+0 read(4, ..., 1) = -1 EBADF (Bad file descriptor)\n";
        Assert.True(Run(closed).Passed);
    }

    [Fact]
    public void An_edited_table_runs_through_the_interpreted_engine_and_its_row_is_reported()
    {
        var broken = InterpretedEngine.Load(Repo.Path("spec", "broken", "09-syn-in-established-resets.spec.md"), out _)!;
        var script = PacketdrillParser.ParseFile(Path.Combine(ScriptSuiteTests.ScriptsDir, "established", "rcv-syn.pkt"));
        Assert.True(PacketdrillRunner.Run(script).Passed);
        var r = PacketdrillRunner.Run(script, new PacketdrillOptions { Engine = broken });
        Assert.False(r.Passed);
        Assert.Contains("flags", r.Failure!.Message);
        Assert.Equal("> R 1:1(0) win 0", r.Failure.Actual);
        Assert.Equal("ESTABLISHED → CLOSED", r.Failure.State);
        Assert.Contains("(broken)", r.Failure.Row!.Rfc);
    }

    [Fact]
    public void A_cell_no_row_decides_fails_at_the_injected_segment()
    {
        var text = File.ReadAllText(Repo.SpecFile);
        const string row = "| LISTEN | SYN, SYN-FIN | — | AcceptSyn, HoldText, SelectIss, SendSynAck | SYN-RECEIVED | RFC 9293 §3.10.7.2 third (text queued, processed in SYN-RECEIVED) |";
        Assert.Contains(row, text);
        var engine = InterpretedEngine.FromText("undecided.spec.md", text.Replace(row + "\n", ""), out _, allowUndecided: true)!;
        var r = Run(Handshake, new PacketdrillOptions { Engine = engine });
        Assert.Equal(4, r.Failure!.Line);
        Assert.Contains("no row of the table decides (LISTEN, SYN)", r.Failure.Message);
    }

    [Fact]
    public void The_report_names_the_line_the_expectation_and_the_row()
    {
        var r = Run(Edit(Handshake, "> S. 0:0(0)", "> S 0:0(0)"));
        var text = PacketdrillReport.Format(r, shownPath: "x.pkt");
        Assert.StartsWith("FAIL x.pkt (4 lines run, 3 checked, 0 skipped)\n  line 5: outbound packet differs in flags", text);
        Assert.Contains("    expected: > S 0:0(0) ack 1\n    actual:   > S. 0:0(0) ack 1 win 8192\n", text);
        Assert.Contains("    row:      R30 (table line ", text);
        Assert.Contains("RFC 9293 §3.10.7.2 third", text);
    }
}
