using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// The PUSH flag (RFC 9293 §3.9.1.2): SEND has no PUSH parameter, so the last segment of the
/// data a SEND leaves queued carries PSH (MUST-61) and data sent together carries one (SHLD-27).
/// </summary>
public class PushTests : EngineTest
{
    [Fact]
    public void The_last_segment_of_a_send_carries_psh()
    {
        var c = At(Fixtures.Established());
        c.Send(1000).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1, len: 536), Psh(Iss + 537, Irs + 1, len: 464)], timers: [Arm(TimerKind.Retransmit, Rto)]);
    }

    [Fact]
    public void Sends_queued_together_carry_one_psh()
    {
        // Three SENDs wait for the window to open; they go out as one stream with one PSH at its end.
        var start = Fixtures.Established();
        start.SndWnd = 0;
        var c = At(start);
        c.Send(300);
        c.Send(300);
        c.Send(300);
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, window: 1024)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1, len: 536), Psh(Iss + 537, Irs + 1, len: 364)], timers: [Cancel(TimerKind.Persist), Arm(TimerKind.Retransmit, Rto)]);
    }

    [Fact]
    public void Data_held_back_by_the_window_does_not_push_what_was_sent()
    {
        // Only the segment that empties the queue is pushed: with 2000 queued and 1024 of window, none is.
        var c = At(Fixtures.Established());
        c.Send(2000).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1, len: 536), Ack(Iss + 537, Irs + 1, len: 488)], timers: [Arm(TimerKind.Retransmit, Rto)]);
    }

    [Fact]
    public void A_retransmitted_last_segment_keeps_its_psh()
    {
        var start = Fixtures.Established();
        var c = At(start);
        c.Send(10);
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.Established, TcpEvent.RetransmitTimeout), TcpState.Established,
            sent: [Psh(Iss + 1, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, 2 * Rto)]);
    }
}
