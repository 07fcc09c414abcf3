using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// Retransmission (RFC 9293 §3.10.8, RFC 6298 §5: the RTO doubles on each retransmission, to a
/// 60 s cap), R2 (RFC 1122 §4.2.3.5: after MaxRetransmissions retransmissions the next timeout
/// gives up) and the user timeout (§3.10.8).
/// </summary>
public class TimeoutTests : EngineTest
{
    private static readonly int R2 = TcpConfig.Default.MaxRetransmissions;

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
        for (int n = 1; n <= R2; n++)
        {
            c.Expire(TimerKind.Retransmit).Is(Row(TcpState.SynSent, TcpEvent.RetransmitTimeout), TcpState.SynSent,
                sent: [Syn(Iss)], timers: [Arm(TimerKind.Retransmit, BackedOff(n))]);
            Assert.Equal(n, c.Ep.Retries);
        }
        Assert.Equal([2000, 4000, 8000, 16000, 32000], Enumerable.Range(1, R2).Select(BackedOff));

        // R2 reached: the next timeout aborts the connection attempt; no RST, no connection exists at the peer.
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.SynSent, TcpEvent.RetransmitTimeout, "RetriesExhausted"), TcpState.Closed,
            notices: [Note(NoticeKind.RetransmitTimeout)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void The_backed_off_rto_is_capped_at_the_maximum()
    {
        var config = TcpConfig.Default with { MaxRetransmissions = 9 };
        var c = At(Fixtures.SynSent(), config);
        int[] expected = [2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000];
        foreach (var rto in expected)
            c.Expire(TimerKind.Retransmit).Is(Row(TcpState.SynSent, TcpEvent.RetransmitTimeout), TcpState.SynSent,
                sent: [Syn(Iss)], timers: [Arm(TimerKind.Retransmit, rto)]);
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.SynSent, TcpEvent.RetransmitTimeout, "RetriesExhausted"), TcpState.Closed,
            notices: [Note(NoticeKind.RetransmitTimeout)]);
    }

    [Fact]
    public void Syn_ack_is_retransmitted_then_a_passive_connection_returns_to_listen()
    {
        var c = At(Fixtures.SynReceivedPassive());
        for (int n = 1; n <= R2; n++)
            c.Expire(TimerKind.Retransmit).Is(Row(TcpState.SynReceived, TcpEvent.RetransmitTimeout), TcpState.SynReceived,
                sent: [SynAck(Iss, Irs + 1)], timers: [Arm(TimerKind.Retransmit, BackedOff(n))]);
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.SynReceived, TcpEvent.RetransmitTimeout, "RetriesExhausted & PassiveOpen"), TcpState.Listen);
        EndpointAssert.Equal(Fixtures.Listen(iss: Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void Syn_ack_of_a_simultaneous_open_is_given_up_with_a_reset()
    {
        var start = Fixtures.SynReceivedActive();
        start.Retries = (byte)R2;
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
            c.Expire(TimerKind.Retransmit).Is(Row(TcpState.Established, TcpEvent.RetransmitTimeout), TcpState.Established,
                sent: [Ack(Iss + 1, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, BackedOff(n))]);
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
    public void An_ack_of_new_data_resets_the_backoff()
    {
        // After a retransmission the RTO is 2 s; an ACK of new data restarts the timer with the
        // initial RTO for what remains (RFC 6298 §5.3, §5.7).
        var start = EstablishedWithDataInFlight();
        start.SndWritten = 1000;
        start.SndNxt = Iss + 1001;
        var c = At(start);
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.Established, TcpEvent.RetransmitTimeout), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1, len: 536)], timers: [Arm(TimerKind.Retransmit, 2 * Rto)]);
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 537)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            timers: [Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(0, c.Ep.Retries);
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.Established, TcpEvent.RetransmitTimeout), TcpState.Established,
            sent: [Ack(Iss + 537, Irs + 1, len: 464)], timers: [Arm(TimerKind.Retransmit, 2 * Rto)]);
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
            sent: [Ack(Iss + 1, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, Rto), Arm(TimerKind.User, 30_000)]);
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
            sent: [Ack(Iss + 1, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, Rto), Arm(TimerKind.User, 30_000)]);
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
