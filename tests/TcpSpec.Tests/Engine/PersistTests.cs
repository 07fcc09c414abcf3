using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// Zero-window probing (RFC 9293 §3.8.6.1): the persist timer starts an RTO after a zero window
/// holds data back (MUST-36, SHLD-29), its probes back off (SHLD-30) and go on as long as they
/// are acknowledged (MUST-37), and a probe's answer recovers a lost window update.
/// </summary>
public class PersistTests : EngineTest
{
    private static readonly int R2 = TcpConfig.Default.MaxRetransmissions;

    private static int BackedOff(int n) => (int)Math.Min(60_000L, (long)Rto << n);

    /// <summary>ESTABLISHED, the peer's window closed, SEND 10: nothing can go out.</summary>
    private static Conn HeldBack()
    {
        var start = Fixtures.Established();
        start.SndWnd = 0;
        var c = At(start);
        c.Send(10).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            timers: [Arm(TimerKind.Persist, Rto)]);
        return c;
    }

    [Fact]
    public void A_send_into_a_zero_window_starts_the_persist_timer_at_the_rto() => HeldBack();

    [Fact]
    public void Probes_back_off_and_go_on_while_the_peer_acknowledges_them_with_a_zero_window()
    {
        var c = HeldBack();
        for (int n = 1; n <= R2 + 3; n++)
        {
            c.Expire(TimerKind.Persist).Is(Row(TcpState.Established, TcpEvent.PersistTimeout), TcpState.Established,
                sent: [Ack(Iss, Irs + 1)], timers: [Arm(TimerKind.Persist, BackedOff(n))]);
            c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, window: 0)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established);
        }
        Assert.Equal(10u, c.Ep.SndWritten);
        Assert.Equal(0, c.Ep.Retries);
    }

    [Fact]
    public void A_lost_window_update_is_recovered_by_the_next_probe()
    {
        // The peer's window update was lost; the probe draws an ACK that carries the open window.
        var c = HeldBack();
        c.Expire(TimerKind.Persist).Is(Row(TcpState.Established, TcpEvent.PersistTimeout), TcpState.Established,
            sent: [Ack(Iss, Irs + 1)], timers: [Arm(TimerKind.Persist, 2 * Rto)]);
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, window: 1024)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            sent: [Psh(Iss + 1, Irs + 1, len: 10)], timers: [Cancel(TimerKind.Persist), Arm(TimerKind.Retransmit, Rto)]);
    }

    [Fact]
    public void Retransmissions_answered_with_a_zero_window_never_give_up()
    {
        // Data already in flight when the window closes: each retransmission draws an ACK with a
        // zero window, the peer is alive, so R2 never comes (MUST-37, SHLD-17).
        var start = Fixtures.Established();
        start.SndWritten = 10;
        start.SndNxt = Iss + 11;
        start.Timers = TimerKind.Retransmit;
        var c = At(start);
        for (int n = 1; n <= R2 + 2; n++)
        {
            c.Expire(TimerKind.Retransmit).Is(Row(TcpState.Established, TcpEvent.RetransmitTimeout), TcpState.Established,
                sent: [Psh(Iss + 1, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, BackedOff(n))]);
            c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, window: 0)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established);
        }
        Assert.Equal(TcpState.Established, c.Ep.State);
    }

    [Fact]
    public void A_stale_persist_timer_with_the_window_open_sends_nothing()
    {
        var ep = Fixtures.Established();
        var c = At(ep);
        c.Expire(TimerKind.Persist).Is(Row(TcpState.Established, TcpEvent.PersistTimeout), TcpState.Established);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [InlineData(TcpState.Closed)]
    [InlineData(TcpState.SynSent)]
    [InlineData(TcpState.TimeWait)]
    public void The_persist_timer_does_nothing_where_no_data_can_wait_for_a_window(TcpState state)
    {
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Expire(TimerKind.Persist).Is(Row(state, TcpEvent.PersistTimeout), state);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Fact]
    public void Abort_stops_the_persist_timer()
    {
        var c = HeldBack();
        c.Abort().Is(Row(TcpState.Established, TcpEvent.Abort), TcpState.Closed,
            sent: [Rst(Iss + 1)], timers: [Cancel(TimerKind.Persist)]);
    }
}
