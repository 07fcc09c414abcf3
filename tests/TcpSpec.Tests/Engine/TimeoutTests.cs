using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// Retransmission (RFC 9293 §3.10.8, RFC 6298 §5: the RTO doubles on each retransmission, to a
/// 60 s cap; Karn's rule keeps the backoff, §3.8.1 MUST-18), R1 and R2 (§3.8.3: the user is told
/// at R1 retransmissions, the next timeout after R2 gives up; a SYN has its own R2, MUST-23) and
/// the user timeout (§3.10.8).
/// </summary>
public class TimeoutTests : EngineTest
{
    private static readonly int R2 = TcpConfig.Default.MaxRetransmissions;
    private static readonly int SynR2 = TcpConfig.Default.SynMaxRetransmissions;
    private static readonly int R1 = TcpConfig.Default.R1Retransmissions;

    /// <summary>The row the n-th retransmission fires: the R1-th also tells the user (SHLD-9).</summary>
    private static TcpMachine.Row Nth(TcpState state, int n) => Row(state, TcpEvent.RetransmitTimeout, n == R1 ? "ReachesR1" : "");

    private static Notice[] AtR1(int n) => n == R1 ? [new Notice(NoticeKind.DeliveryProblem, (uint)n)] : [];

    /// <summary>The RTO after the n-th retransmission: 1 s doubled n times (RFC 6298 §5.5), capped at 60 s (§2.5).</summary>
    private static int BackedOff(int n) => (int)Math.Min(60_000L, (long)Rto << n);

    /// <summary>ESTABLISHED with octets 101..110 sent and unacknowledged.</summary>
    private static Endpoint EstablishedWithDataInFlight()
    {
        var ep = Fixtures.Established();
        ep.SndWritten = 10;
        ep.SndNxt = Iss + 11;
        ep.Timers = TimerKind.Retransmit;
        return ep;
    }

    [Fact]
    public void Syn_is_retransmitted_with_exponential_backoff_then_given_up()
    {
        var c = At(Fixtures.SynSent());
        for (int n = 1; n <= SynR2; n++)
        {
            c.Expire(TimerKind.Retransmit).Is(Nth(TcpState.SynSent, n), TcpState.SynSent,
                sent: [Syn(Iss)], timers: [Arm(TimerKind.Retransmit, BackedOff(n))], notices: AtR1(n));
            Assert.Equal(n, c.Ep.Retries);
        }
        Assert.Equal([2000, 4000, 8000, 16000, 32000, 60000, 60000], Enumerable.Range(1, SynR2).Select(BackedOff));
        // MUST-23: the SYN is retransmitted for at least 3 minutes: the first RTO plus every backed-off one.
        Assert.Equal(183_000, Rto + Enumerable.Range(1, SynR2).Sum(BackedOff));

        // R2 reached: the next timeout aborts the connection attempt; no RST, no connection exists at the peer.
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.SynSent, TcpEvent.RetransmitTimeout, "RetriesExhausted"), TcpState.Closed,
            notices: [Note(NoticeKind.RetransmitTimeout)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void The_backed_off_rto_is_capped_at_the_maximum()
    {
        var config = TcpConfig.Default with { SynMaxRetransmissions = 9 };
        var c = At(Fixtures.SynSent(), config);
        int[] expected = [2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000];
        for (int n = 1; n <= expected.Length; n++)
            c.Expire(TimerKind.Retransmit).Is(Nth(TcpState.SynSent, n), TcpState.SynSent,
                sent: [Syn(Iss)], timers: [Arm(TimerKind.Retransmit, expected[n - 1])], notices: AtR1(n));
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.SynSent, TcpEvent.RetransmitTimeout, "RetriesExhausted"), TcpState.Closed,
            notices: [Note(NoticeKind.RetransmitTimeout)]);
    }

    [Fact]
    public void Syn_ack_is_retransmitted_then_a_passive_connection_returns_to_listen()
    {
        var c = At(Fixtures.SynReceivedPassive());
        for (int n = 1; n <= SynR2; n++)
            c.Expire(TimerKind.Retransmit).Is(Nth(TcpState.SynReceived, n), TcpState.SynReceived,
                sent: [SynAck(Iss, Irs + 1)], timers: [Arm(TimerKind.Retransmit, BackedOff(n))], notices: AtR1(n));
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.SynReceived, TcpEvent.RetransmitTimeout, "RetriesExhausted & PassiveOpen"), TcpState.Listen);
        EndpointAssert.Equal(Fixtures.Listen(iss: Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void Syn_ack_of_a_simultaneous_open_is_given_up_with_a_reset()
    {
        var start = Fixtures.SynReceivedActive();
        start.Retries = (byte)SynR2;
        var c = At(start);
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.SynReceived, TcpEvent.RetransmitTimeout, "RetriesExhausted"), TcpState.Closed,
            sent: [Rst(Iss + 1)], notices: [Note(NoticeKind.RetransmitTimeout)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void Data_is_retransmitted_with_backoff_then_the_connection_reset()
    {
        var c = At(EstablishedWithDataInFlight());
        for (int n = 1; n <= R2; n++)
            c.Expire(TimerKind.Retransmit).Is(Nth(TcpState.Established, n), TcpState.Established,
                sent: [Psh(Iss + 1, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, BackedOff(n))], notices: AtR1(n));
        // SHLD-11: data is given up no sooner than 100 s after it was first sent.
        Assert.Equal(123_000, Rto + Enumerable.Range(1, R2).Sum(BackedOff));
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.Established, TcpEvent.RetransmitTimeout, "RetriesExhausted"), TcpState.Closed,
            sent: [Rst(Iss + 11)], notices: [Note(NoticeKind.RetransmitTimeout)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void Only_the_front_segment_is_retransmitted()
    {
        // 1000 octets in flight as 536 + 464: the timeout resends the first segment only.
        var start = EstablishedWithDataInFlight();
        start.SndWritten = 1000;
        start.SndNxt = Iss + 1001;
        var c = At(start);
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.Established, TcpEvent.RetransmitTimeout), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1, len: 536)], timers: [Arm(TimerKind.Retransmit, 2 * Rto)]);
        Assert.Equal((uint)Fixtures.Tag << 24, c.Runtime.Effects.Segments[0].Payload);
    }

    [Fact]
    public void The_ack_of_a_retransmitted_segment_keeps_the_backoff()
    {
        // Karn's algorithm (RFC 9293 §3.8.1 MUST-18, RFC 6298 §5.7): after a retransmission the
        // RTO is 2 s, and the ACK of the retransmitted segment is ambiguous: the backed-off RTO is
        // kept for what remains. The retransmission count starts afresh for the new front segment.
        var start = EstablishedWithDataInFlight();
        start.SndWritten = 1000;
        start.SndNxt = Iss + 1001;
        var c = At(start);
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.Established, TcpEvent.RetransmitTimeout), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1, len: 536)], timers: [Arm(TimerKind.Retransmit, 2 * Rto)]);
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 537)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            timers: [Arm(TimerKind.Retransmit, 2 * Rto)]);
        Assert.Equal(0, c.Ep.Retries);
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.Established, TcpEvent.RetransmitTimeout), TcpState.Established,
            sent: [Psh(Iss + 537, Irs + 1, len: 464)], timers: [Arm(TimerKind.Retransmit, 4 * Rto)]);
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1001)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            timers: [Cancel(TimerKind.Retransmit)]);

        // New data goes out with the backed-off RTO until a segment sent once is acknowledged.
        c.Send(10).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Psh(Iss + 1001, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, 4 * Rto)]);
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1011)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            timers: [Cancel(TimerKind.Retransmit)]);
        c.Send(10).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Psh(Iss + 1011, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, Rto)]);
    }

    [Fact]
    public void A_syn_retransmitted_once_leaves_the_backoff_for_the_first_data()
    {
        // The SYN,ACK acknowledges a retransmitted SYN: its RTT is ambiguous, so the first data
        // segment is timed with the backed-off RTO (Karn; RFC 6298 §5.7).
        var c = At(Fixtures.SynSent());
        c.Expire(TimerKind.Retransmit);
        c.Arrive(Peer.SynAck(Irs, ack: Iss + 1)).Is(Row(TcpState.SynSent, TcpEvent.SynAck), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1)], timers: [Cancel(TimerKind.Retransmit)]);
        c.Send(10).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Psh(Iss + 1, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, 2 * Rto)]);
    }

    [Fact]
    public void Default_thresholds_meet_section_3_8_3()
    {
        // With the 1 s initial (and minimum) RTO doubling to the 60 s cap, the time from the first
        // transmission to giving up is the sum of the timeouts before each retransmission and after the last.
        static int GiveUpMs(int r2) => Rto + Enumerable.Range(1, r2).Sum(BackedOff);
        Assert.True(R1 >= 3, "SHLD-10: R1 is at least 3 retransmissions");
        Assert.True(R1 < R2 && R1 < SynR2, "§3.8.3 (c): R2 is greater than R1");
        Assert.True(GiveUpMs(R2) >= 100_000, $"SHLD-11: data R2 lasts {GiveUpMs(R2)} ms, at least 100 s");
        Assert.True(GiveUpMs(SynR2) >= 180_000, $"MUST-23: the SYN's R2 lasts {GiveUpMs(SynR2)} ms, at least 3 minutes");
    }

    [Fact]
    public void R1_is_reported_once_and_r2_still_gives_up()
    {
        // §3.8.3 (e), SHLD-9: the delivery problem is reported when R1 is reached, before R2.
        var config = TcpConfig.Default with { R1Retransmissions = 2, MaxRetransmissions = 4 };
        var c = At(EstablishedWithDataInFlight(), config);
        var notices = new List<Notice>();
        for (int n = 1; n <= 4; n++) notices.AddRange(c.Expire(TimerKind.Retransmit).Notices);
        Assert.Equal([new Notice(NoticeKind.DeliveryProblem, 2)], notices);
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.Established, TcpEvent.RetransmitTimeout, "RetriesExhausted"), TcpState.Closed,
            sent: [Rst(Iss + 11)], notices: [Note(NoticeKind.RetransmitTimeout)]);
    }

    [Fact]
    public void A_spurious_timeout_with_nothing_in_flight_sends_nothing()
    {
        var c = At(Fixtures.Established());
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.Established, TcpEvent.RetransmitTimeout), TcpState.Established);
        EndpointAssert.Equal(Fixtures.Established(), c.Ep);
    }

    [Fact]
    public void Fin_in_last_ack_is_given_up_after_r2()
    {
        var start = Fixtures.LastAck();
        start.Retries = (byte)R2;
        var c = At(start);
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.LastAck, TcpEvent.RetransmitTimeout, "RetriesExhausted"), TcpState.Closed,
            sent: [Rst(Iss + 2)], notices: [Note(NoticeKind.RetransmitTimeout)]);
    }

    [Fact]
    public void Send_arms_the_user_timer_with_the_retransmission_timer()
    {
        var config = TcpConfig.Default with { UserTimeoutMs = 30_000 };
        var c = At(Fixtures.Established(), config);
        c.Send(10).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Psh(Iss + 1, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, Rto), Arm(TimerKind.User, 30_000)]);
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 11)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            timers: [Cancel(TimerKind.Retransmit), Cancel(TimerKind.User)]);
    }

    [Fact]
    public void User_timeout_aborts_the_connection()
    {
        // §3.10.8: "flush all queues, signal the user 'error: connection aborted due to user
        // timeout' ..., delete the TCB, enter the CLOSED state".
        var config = TcpConfig.Default with { UserTimeoutMs = 30_000 };
        var c = At(Fixtures.Established(), config);
        c.Send(10).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Psh(Iss + 1, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, Rto), Arm(TimerKind.User, 30_000)]);
        c.Expire(TimerKind.User).Is(Row(TcpState.Established, TcpEvent.UserTimeout), TcpState.Closed,
            timers: [Cancel(TimerKind.Retransmit)], notices: [Note(NoticeKind.UserTimeout)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void User_timeout_during_the_handshake_aborts_it()
    {
        var config = TcpConfig.Default with { UserTimeoutMs = 5_000 };
        var c = At(Fixtures.Closed(), config);
        c.OpenActive().Is(Row(TcpState.Closed, TcpEvent.OpenActive), TcpState.SynSent,
            sent: [Syn(Iss)], timers: [Arm(TimerKind.Retransmit, Rto), Arm(TimerKind.User, 5_000)]);
        c.Expire(TimerKind.User).Is(Row(TcpState.SynSent, TcpEvent.UserTimeout), TcpState.Closed,
            timers: [Cancel(TimerKind.Retransmit)], notices: [Note(NoticeKind.UserTimeout)]);
    }

    [Theory]
    [InlineData(TcpState.Listen)]
    [InlineData(TcpState.SynSent)]
    [InlineData(TcpState.Established)]
    [InlineData(TcpState.LastAck)]
    public void A_stale_time_wait_timer_outside_time_wait_does_nothing(TcpState state)
    {
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Expire(TimerKind.TimeWait).Is(Row(state, TcpEvent.TimeWaitTimeout), state);
        EndpointAssert.Equal(ep, c.Ep);
    }
}
