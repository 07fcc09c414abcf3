using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// Delayed ACKs (RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2), on when <see cref="TcpConfig.DelayedAckMs"/>
/// is set: the ACK of new in-order text waits for the DELAYED-ACK-TIMEOUT, for a segment it can
/// ride on, or for the second full-sized segment (SHLD-19); everything else is acknowledged at once.
/// </summary>
public class DelayedAckTests : EngineTest
{
    private const int Delay = 200;

    private static readonly TcpConfig Delaying = TcpConfig.Default with { DelayedAckMs = Delay };

    [Fact]
    public void In_order_text_is_acknowledged_when_the_timer_expires()
    {
        var c = At(Fixtures.Established(), Delaying);
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, len: 100)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            timers: [Arm(TimerKind.DelayedAck, Delay)], notices: [Text(Peer.TagAt(Irs + 1), 100)]);
        Assert.Equal(100u, c.Ep.RcvUnacked);
        c.Expire(TimerKind.DelayedAck).Is(Row(TcpState.Established, TcpEvent.DelayedAckTimeout), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 101)]);
        Assert.Equal(0u, c.Ep.RcvUnacked);
    }

    [Fact]
    public void The_second_full_sized_segment_is_acknowledged_at_once()
    {
        var c = At(Fixtures.Established(), Delaying);
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, len: 536));
        c.Arrive(Peer.Ack(Irs + 537, ack: Iss + 1, len: 536)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1073)], timers: [Cancel(TimerKind.DelayedAck)], notices: [Text(Peer.TagAt(Irs + 537), 536)]);
        Assert.Equal(0u, c.Ep.RcvUnacked);
    }

    [Fact]
    public void A_deferred_ack_rides_on_the_next_segment_sent()
    {
        var c = At(Fixtures.Established(), Delaying);
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, len: 10));
        c.Send(20).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Psh(Iss + 1, Irs + 11, 20)], timers: [Cancel(TimerKind.DelayedAck), Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(TimerKind.Retransmit, c.Ep.Timers);
    }

    [Fact]
    public void Out_of_order_text_and_a_fin_are_acknowledged_at_once()
    {
        var c = At(Fixtures.Established(), Delaying);
        c.Arrive(Peer.Ack(Irs + 11, ack: Iss + 1, len: 10)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1)]); // RFC 5681 §4.2: an out-of-order segment gets an immediate duplicate ACK
        c.Arrive(Peer.FinAck(Irs + 1, ack: Iss + 1, len: 10)).Is(Row(TcpState.Established, TcpEvent.FinAck), TcpState.CloseWait,
            sent: [Ack(Iss + 1, Irs + 12)], notices: [Text(Peer.TagAt(Irs + 1), 10), Note(NoticeKind.RemoteClosing)]);
    }

    [Fact]
    public void The_timer_acknowledges_in_fin_wait_2()
    {
        var ep = Fixtures.FinWait2();
        ep.Timers |= TimerKind.DelayedAck;
        ep.RcvUnacked = 1;
        var c = At(ep, Delaying);
        c.Expire(TimerKind.DelayedAck).Is(Row(TcpState.FinWait2, TcpEvent.DelayedAckTimeout), TcpState.FinWait2,
            sent: [Ack(ep.SndNxt, ep.RcvNxt)]);
    }

    [Fact]
    public void The_timer_sends_nothing_where_no_text_is_received()
    {
        var ep = Fixtures.CloseWait();
        ep.Timers |= TimerKind.DelayedAck;
        var c = At(ep, Delaying);
        c.Expire(TimerKind.DelayedAck).Is(Row(TcpState.CloseWait, TcpEvent.DelayedAckTimeout), TcpState.CloseWait);
    }

    [Fact]
    public void Without_delayed_acks_every_segment_is_acknowledged_at_once()
    {
        var c = At(Fixtures.Established());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, len: 100)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 101)], notices: [Text(Peer.TagAt(Irs + 1), 100)]);
    }

    [Fact]
    public void The_delay_is_less_than_half_a_second()
    {
        // MUST-40.
        Assert.Throws<ArgumentOutOfRangeException>(() => TcpConfig.Default with { DelayedAckMs = 500 });
        Assert.Equal(499, (TcpConfig.Default with { DelayedAckMs = 499 }).DelayedAckMs);
    }
}
