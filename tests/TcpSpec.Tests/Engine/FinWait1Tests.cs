using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>FIN-WAIT-1: our FIN occupies 101, SND.NXT = 102, SND.UNA = 101, RCV.NXT = 301 (RFC 9293 §3.10.7.4).</summary>
public class FinWait1Tests : EngineTest
{
    /// <summary>FIN-WAIT-1 with 10 octets (101..110) and the FIN (111) unacknowledged: SND.NXT = 112.</summary>
    private static Endpoint WithDataInFlight()
    {
        var ep = Fixtures.FinWait1();
        ep.SndWritten = 10;
        ep.SndNxt = Iss + 12;
        return ep;
    }

    [Fact]
    public void Ack_of_our_fin_enters_fin_wait_2()
    {
        // Fifth, FIN-WAIT-1: "if the FIN segment is now acknowledged, then enter FIN-WAIT-2".
        var c = At(Fixtures.FinWait1());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 2)).Is(Row(TcpState.FinWait1, TcpEvent.Ack, "FinAcked"), TcpState.FinWait2,
            timers: [Cancel(TimerKind.Retransmit)]);
        EndpointAssert.Equal(Fixtures.FinWait2(), c.Ep);
    }

    [Fact]
    public void Ack_of_our_fin_with_text_enters_fin_wait_2_and_acknowledges_the_text()
    {
        var c = At(Fixtures.FinWait1());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 2, len: 10)).Is(Row(TcpState.FinWait1, TcpEvent.Ack, "FinAcked"), TcpState.FinWait2,
            sent: [Ack(Iss + 2, Irs + 11)], timers: [Cancel(TimerKind.Retransmit)], notices: [Text(Peer.TagAt(Irs + 1), 10)]);
    }

    [Fact]
    public void Ack_of_the_data_but_not_the_fin_stays_and_restarts_the_timer()
    {
        var c = At(WithDataInFlight());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 11)).Is(Row(TcpState.FinWait1, TcpEvent.Ack), TcpState.FinWait1,
            timers: [Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(Iss + 11, c.Ep.SndUna);
    }

    [Fact]
    public void Text_is_still_received_in_fin_wait_1()
    {
        // Seventh applies to FIN-WAIT-1: the peer may still send.
        var c = At(Fixtures.FinWait1());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, len: 5)).Is(Row(TcpState.FinWait1, TcpEvent.Ack), TcpState.FinWait1,
            sent: [Ack(Iss + 2, Irs + 6)], notices: [Text(Peer.TagAt(Irs + 1), 5)]);
    }

    [Fact]
    public void Fin_ack_acknowledging_our_fin_enters_time_wait()
    {
        // Eighth, FIN-WAIT-1: our FIN is ACKed in this segment: enter TIME-WAIT, start the time-wait
        // timer, turn off the other timers; acknowledge the FIN, signal "connection closing".
        var c = At(Fixtures.FinWait1());
        c.Arrive(Peer.FinAck(Irs + 1, ack: Iss + 2)).Is(Row(TcpState.FinWait1, TcpEvent.FinAck, "FinAcked"), TcpState.TimeWait,
            sent: [Ack(Iss + 2, Irs + 2)], timers: [Cancel(TimerKind.Retransmit), Arm(TimerKind.TimeWait, TwoMsl)],
            notices: [Note(NoticeKind.RemoteClosing)]);
        EndpointAssert.Equal(Fixtures.TimeWait(), c.Ep);
    }

    [Fact]
    public void Fin_ack_not_acknowledging_our_fin_enters_closing()
    {
        // Eighth, FIN-WAIT-1: "otherwise, enter the CLOSING state".
        var c = At(Fixtures.FinWait1());
        c.Arrive(Peer.FinAck(Irs + 1, ack: Iss + 1)).Is(Row(TcpState.FinWait1, TcpEvent.FinAck), TcpState.Closing,
            sent: [Ack(Iss + 2, Irs + 2)], notices: [Note(NoticeKind.RemoteClosing)]);
        EndpointAssert.Equal(Fixtures.Closing(), c.Ep);
    }

    [Fact]
    public void Fin_ack_beyond_rcv_nxt_acknowledging_our_fin_enters_fin_wait_2_only()
    {
        // Its ACK is processed (our FIN acknowledged: FIN-WAIT-2), its FIN cannot be yet.
        var c = At(Fixtures.FinWait1());
        c.Arrive(Peer.FinAck(Irs + 11, ack: Iss + 2)).Is(Row(TcpState.FinWait1, TcpEvent.FinAck, "!InOrder & FinAcked"), TcpState.FinWait2,
            sent: [Ack(Iss + 2, Irs + 1)], timers: [Cancel(TimerKind.Retransmit)]);
        Assert.Equal(Irs + 1, c.Ep.RcvNxt);
    }

    [Fact]
    public void Fin_ack_beyond_rcv_nxt_not_acknowledging_our_fin_stays()
    {
        var c = At(Fixtures.FinWait1());
        c.Arrive(Peer.FinAck(Irs + 11, ack: Iss + 1)).Is(Row(TcpState.FinWait1, TcpEvent.FinAck, "!InOrder"), TcpState.FinWait1,
            sent: [Ack(Iss + 2, Irs + 1)]);
        var expected = Fixtures.FinWait1();
        expected.SndWl1 = Irs + 11; // the acceptable segment's ACK field is processed (fifth): window update
        EndpointAssert.Equal(expected, c.Ep);
    }

    [Fact]
    public void Retransmission_timeout_resends_the_fin()
    {
        // §3.10.8: send the segment at the front of the retransmission queue again; RTO doubles.
        var c = At(Fixtures.FinWait1());
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.FinWait1, TcpEvent.RetransmitTimeout), TcpState.FinWait1,
            sent: [FinAck(Iss + 1, Irs + 1)], timers: [Arm(TimerKind.Retransmit, 2 * Rto)]);
    }

    [Fact]
    public void Retransmission_timeout_resends_the_data_with_the_fin()
    {
        var c = At(WithDataInFlight());
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.FinWait1, TcpEvent.RetransmitTimeout), TcpState.FinWait1,
            sent: [FinPsh(Iss + 1, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, 2 * Rto)]);
    }
}
