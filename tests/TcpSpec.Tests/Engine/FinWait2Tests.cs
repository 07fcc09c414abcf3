using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>FIN-WAIT-2: our FIN (101) acknowledged, SND.UNA = SND.NXT = 102; the peer may still send (RFC 9293 §3.10.7.4).</summary>
public class FinWait2Tests : EngineTest
{
    [Fact]
    public void Text_is_accepted_and_acknowledged()
    {
        var c = At(Fixtures.FinWait2());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 2, len: 10)).Is(Row(TcpState.FinWait2, TcpEvent.Ack), TcpState.FinWait2,
            sent: [Ack(Iss + 2, Irs + 11)], notices: [Text(Peer.TagAt(Irs + 1), 10)]);
        Assert.Equal(10u, c.Ep.RcvBuffered);
    }

    [Fact]
    public void Pure_ack_changes_nothing()
    {
        var c = At(Fixtures.FinWait2());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 2)).Is(Row(TcpState.FinWait2, TcpEvent.Ack), TcpState.FinWait2);
        EndpointAssert.Equal(Fixtures.FinWait2(), c.Ep);
    }

    [Fact]
    public void Fin_ack_enters_time_wait()
    {
        // Eighth, FIN-WAIT-2: enter TIME-WAIT, start the time-wait timer, turn off the other timers.
        var c = At(Fixtures.FinWait2());
        c.Arrive(Peer.FinAck(Irs + 1, ack: Iss + 2)).Is(Row(TcpState.FinWait2, TcpEvent.FinAck), TcpState.TimeWait,
            sent: [Ack(Iss + 2, Irs + 2)], timers: [Arm(TimerKind.TimeWait, TwoMsl)], notices: [Note(NoticeKind.RemoteClosing)]);
        EndpointAssert.Equal(Fixtures.TimeWait(), c.Ep);
    }

    [Fact]
    public void Fin_ack_with_text_enters_time_wait_and_acknowledges_both()
    {
        var c = At(Fixtures.FinWait2());
        c.Arrive(Peer.FinAck(Irs + 1, ack: Iss + 2, len: 3)).Is(Row(TcpState.FinWait2, TcpEvent.FinAck), TcpState.TimeWait,
            sent: [Ack(Iss + 2, Irs + 5)], timers: [Arm(TimerKind.TimeWait, TwoMsl)],
            notices: [Text(Peer.TagAt(Irs + 1), 3), Note(NoticeKind.RemoteClosing)]);
    }

    [Fact]
    public void Fin_ack_beyond_rcv_nxt_is_acknowledged_but_its_fin_not_processed()
    {
        var c = At(Fixtures.FinWait2());
        c.Arrive(Peer.FinAck(Irs + 11, ack: Iss + 2)).Is(Row(TcpState.FinWait2, TcpEvent.FinAck, "!InOrder"), TcpState.FinWait2,
            sent: [Ack(Iss + 2, Irs + 1)]);
        var expected = Fixtures.FinWait2();
        expected.SndWl1 = Irs + 11; // the acceptable segment's ACK field is processed (fifth): window update
        EndpointAssert.Equal(expected, c.Ep);
    }

    [Fact]
    public void Retransmission_timeout_has_nothing_to_resend()
    {
        var c = At(Fixtures.FinWait2());
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.FinWait2, TcpEvent.RetransmitTimeout), TcpState.FinWait2);
        EndpointAssert.Equal(Fixtures.FinWait2(), c.Ep);
    }
}
