using TcpSpec.Conformance.Packetdrill;
using TcpSpec.Conformance.Profiles;

namespace TcpSpec.Conformance.Tests.Packetdrill;

/// <summary>
/// The runner's packetdrill mode (the default) against --strict, NOT RUN, and the socket
/// semantics scripts rely on: MSG_PEEK, SO_ERROR, SO_RCVBUF, FIONREAD, SHUT_RD, a close with unread
/// data, a listener closed before accept, TCP_USER_TIMEOUT, state assertions and sysctl lines.
/// </summary>
public class SocketSemanticsTests
{
    private const string Established = """
        0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
        +0 > S 0:0(0) win 65535
        +.1 < S. 0:0(0) ack 1 win 32767 <mss 1460>
        +0 > . 1:1(0) ack 1 win 65535

        """;

    private static ScriptResult Run(string text, bool strict = false, Profile? profile = null) =>
        PacketdrillRunner.Run(PacketdrillParser.Parse(text, "t.pkt"), new PacketdrillOptions { Strict = strict, Profile = profile });

    private static void Passes(string text, bool strict = true, Profile? profile = null)
    {
        var r = Run(text, strict, profile);
        Assert.True(r.Passed, PacketdrillReport.Format(r, verbose: true));
    }

    private static LineFailure Fails(string text, int line, string message, bool strict = true)
    {
        var r = Run(text, strict);
        Assert.False(r.Passed || r.NotRun, "the script passed");
        Assert.True(r.Failure!.Line == line, PacketdrillReport.Format(r));
        Assert.Contains(message, r.Failure.Message);
        return r.Failure;
    }

    private static readonly Lazy<Profile> FreeBsd = new(() => Profile.Load(Profile.FreeBsdName, Profile.TablePath, BuiltIn.Table(), out _)!);

    [Fact]
    public void Packetdrill_mode_compares_a_sent_packet_only_when_a_line_expects_one_strict_fails_it()
    {
        // The ACK of the FIN is sent but never written: packetdrill does not mind, --strict does.
        var text = Established + "+.1 < F. 1:1(0) ack 1 win 32767\n+.1 close(3) = 0\n+0 > F. 1:2(1) ack 2 win 65535\n";
        Assert.False(Run(text).Passed); // the unwritten ACK is the next packet the F. line is compared with
        var lenient = Established + "+.1 < F. 1:1(0) ack 1 win 32767\n+.1 close(3) = 0\n";
        Assert.True(Run(lenient).Passed);
        Fails(lenient, 7, "unexpected outbound packet");
    }

    [Fact]
    public void Nothing_is_checked_after_the_last_line_except_under_strict()
    {
        var text = Established + "+.1 close(3) = 0\n";
        Assert.True(Run(text).Passed);
        Fails(text, 6, "after the last line");
    }

    [Fact]
    public void A_script_that_checks_nothing_is_not_run_not_passed()
    {
        Assert.True(Run("").NotRun);
        var r = Run("0 `sysctl -w net.inet.tcp.blackhole=0`\n+0 < S 0:0(0) win 100\n");
        Assert.True(r.NotRun);
        Assert.False(r.Passed);
        Assert.StartsWith("NOT RUN t.pkt", PacketdrillReport.Format(r));
    }

    [Fact]
    public void Msg_peek_does_not_consume_and_fionread_counts_the_queued_octets()
    {
        Passes(Established + """
            +.1 < P. 1:11(10) ack 1 win 32767
            +0 > . 1:1(0) ack 11 win 65525
            +0 ioctl(3, FIONREAD, [10]) = 0
            +0 recv(3, ..., 4, MSG_PEEK) = 4
            +0 ioctl(3, SIOCINQ, [10]) = 0
            +0 read(3, ..., 10) = 10
            +0 ioctl(3, FIONREAD, [0]) = 0
            """);
    }

    [Fact]
    public void So_error_returns_the_pending_error_once()
    {
        Passes(Established + """
            +0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
            +.1 < R 1:1(0) win 32767
            +0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0
            +0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
            """);
        var f = Fails(Established + "+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0\n", 6, "gives [0], expected [ECONNRESET]");
        Assert.Equal("[0]", f.Actual);
    }

    [Fact]
    public void So_rcvbuf_sets_the_advertised_window_and_reports_the_profile_rounding()
    {
        Passes("""
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0 setsockopt(3, SOL_SOCKET, SO_RCVBUF, [20000], 4) = 0
            +0 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [20000], [4]) = 0
            +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
            +0 > S 0:0(0) win 20000
            """);
        // FreeBSD rounds the buffer up to the MSS once it is known: 14 × 1460 = 20440.
        Passes("""
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0 setsockopt(3, SOL_SOCKET, SO_RCVBUF, [20000], 4) = 0
            +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
            +0 > S 0:0(0) win 20000
            +.1 < S. 0:0(0) ack 1 win 32767 <mss 1460>
            +0 > . 1:1(0) ack 1 win 20000
            +0 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [20440], [4]) = 0
            """, profile: FreeBsd.Value);
    }

    [Fact]
    public void Close_with_unread_data_sends_a_reset_rfc1122_4_2_2_13()
    {
        Passes(Established + """
            +.1 < P. 1:11(10) ack 1 win 32767
            +0 > . 1:1(0) ack 11 win 65525
            +0 close(3) = 0
            +0 > R 1:1(0)
            """);
    }

    [Fact]
    public void Shutdown_rd_sends_nothing_and_reads_then_end_at_once()
    {
        Passes(Established + """
            +0 shutdown(3, SHUT_RD) = 0
            +0 read(3, ..., 10) = 0
            +0 %{ assert tcpi_state == TCP_ESTABLISHED }%
            """);
    }

    [Fact]
    public void Closing_a_listener_forgets_a_connection_still_in_syn_received_without_a_segment()
    {
        Passes("""
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0 bind(3, ..., ...) = 0
            +0 listen(3, 1) = 0
            +.1 < S 0:0(0) win 32767 <mss 1460>
            +0 > S. 0:0(0) ack 1 win 8192
            +.1 close(3) = 0
            +0 %{ assert tcpi_state == TCPI_CLOSED }%
            +5 `sockstat -4 -P tcp -s | grep -c SYN_RCVD | grep 0`
            """);
    }

    [Fact]
    public void Closing_a_listener_resets_an_established_connection_not_yet_accepted()
    {
        Passes("""
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0 bind(3, ..., ...) = 0
            +0 listen(3, 1) = 0
            +.1 < S 0:0(0) win 32767 <mss 1460>
            +0 > S. 0:0(0) ack 1 win 8192
            +.1 < . 1:1(0) ack 1 win 32767
            +0 close(3) = 0
            +0 > R 1:1(0)
            """);
    }

    [Fact]
    public void Tcp_user_timeout_is_rfc9293s_user_timeout()
    {
        Passes(Established + """
            +0 setsockopt(3, SOL_TCP, TCP_USER_TIMEOUT, [500], 4) = 0
            +0 write(3, ..., 10) = 10
            +0 > P. 1:11(10) ack 1 win 65535
            +.5 %{ assert tcpi_state == TCP_CLOSE }%
            +0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ETIMEDOUT], [4]) = 0
            """, strict: false);
    }

    [Fact]
    public void A_state_assertion_that_does_not_hold_fails_and_one_it_cannot_read_is_a_skipped_check()
    {
        var f = Fails(Established + "+0 %{ assert tcpi_state == TCPI_LISTEN }%\n", 6, "does not hold");
        Assert.Equal("LISTEN", f.Expected);
        Fails(Established + "+0 getsockopt(3, SOL_TCP, TCP_INFO, {tcpi_state=TCP_SYN_SENT}, [4]) = 0\n", 6, "does not hold");
        var r = Run(Established + "+0 %{ assert tcpi_rto == 1000 }%\n", strict: true);
        Assert.True(r.Passed);
        Assert.Equal(1, r.SkippedChecks);
        // A number needs a profile to be read: FreeBSD's TCPS_ESTABLISHED is 4, Linux's TCP_ESTABLISHED 1.
        Passes(Established + "+0 %{ assert tcpi_state == 4 }%\n", profile: FreeBsd.Value);
        Assert.Equal(1, Run(Established + "+0 %{ assert tcpi_state == 4 }%\n").SkippedChecks);
    }

    [Fact]
    public void A_sockstat_line_checks_the_state_count()
    {
        Passes(Established + "+0 `sockstat -4 -P tcp -s | grep packetdril | grep -c ESTABLISHED | grep 1`\n");
        Fails(Established + "+0 `sockstat -4 -P tcp -s | grep packetdril | grep -c TIME_WAIT | grep 1`\n", 6, "expects 1 connection(s) in TIME-WAIT");
    }

    [Fact]
    public void A_sysctl_the_profile_knows_sets_its_parameter_and_an_unknown_one_is_skipped()
    {
        // net.inet.tcp.rexmit_initial: the SYN is retransmitted after 3 s instead of 1 s.
        Passes("""
            0 `sysctl -w net.inet.tcp.rexmit_initial=3000`
            +0 `sysctl -w net.inet.tcp.frobnicate=1`
            +0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
            +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
            +0 > S 0:0(0) win 65535
            +3 > S 0:0(0) win 65535
            """, profile: FreeBsd.Value);
        var r = Run("0 `sysctl -w net.inet.tcp.frobnicate=1`\n+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n", profile: FreeBsd.Value);
        Assert.Contains(r.Skipped, s => s.Reason.Contains("not a knob or parameter of the freebsd profile", StringComparison.Ordinal) && !s.WasCheck);
        // A setup script is a skipped setting; a command that greps, or a code assertion, a skipped check.
        var skipped = Run("0 `../common/defaults.sh`\n+0 `ss -tn | grep -c ESTAB`\n+0 %{ print(1) }%\n+0 %{ assert tcpi_rto == 1 }%\n+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
        Assert.Equal([false, true, false, true], skipped.Skipped.Select(s => s.WasCheck));
    }
}
