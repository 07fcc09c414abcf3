using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>LAST-ACK: the peer closed first, then we did; our FIN (101) unacknowledged, SND.NXT = 102, RCV.NXT = 302.</summary>
public class LastAckTests : EngineTest
{
    /// <summary>The fixture after the fifth step's window check (ESTABLISHED processing) for a segment at 302 acknowledging 101: SND.WL1 = 302.</summary>
    private static Endpoint WindowUpdated()
    {
        var ep = Fixtures.LastAck();
        ep.SndWl1 = Irs + 2;
        return ep;
    }

    [Fact]
    public void Ack_of_our_fin_deletes_the_tcb()
    {
        // Fifth, LAST-ACK: "If our FIN is now acknowledged, delete the TCB, enter the CLOSED state".
        var c = At(Fixtures.LastAck());
        c.Arrive(Peer.Ack(Irs + 2, ack: Iss + 2)).Is(Row(TcpState.LastAck, TcpEvent.Ack, "FinAcked"), TcpState.Closed,
            timers: [Cancel(TimerKind.Retransmit)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void Fin_ack_acknowledging_our_fin_deletes_the_tcb()
    {
        var c = At(Fixtures.LastAck());
        c.Arrive(Peer.FinAck(Irs + 2, ack: Iss + 2)).Is(Row(TcpState.LastAck, TcpEvent.FinAck, "FinAcked"), TcpState.Closed,
            timers: [Cancel(TimerKind.Retransmit)]);
    }

    [Fact]
    public void Ack_not_acknowledging_our_fin_stays()
    {
        var c = At(Fixtures.LastAck());
        c.Arrive(Peer.Ack(Irs + 2, ack: Iss + 1)).Is(Row(TcpState.LastAck, TcpEvent.Ack), TcpState.LastAck);
        EndpointAssert.Equal(WindowUpdated(), c.Ep);
    }

    [Fact]
    public void Ack_of_the_data_before_our_fin_restarts_the_timer()
    {
        var start = Fixtures.LastAck();
        start.SndWritten = 10;
        start.SndNxt = Iss + 12;
        var c = At(start);
        c.Arrive(Peer.FinAck(Irs + 2, ack: Iss + 11)).Is(Row(TcpState.LastAck, TcpEvent.FinAck), TcpState.LastAck,
            timers: [Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(Iss + 11, c.Ep.SndUna);
    }

    [Fact]
    public void Retransmission_timeout_resends_our_fin()
    {
        var c = At(Fixtures.LastAck());
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.LastAck, TcpEvent.RetransmitTimeout), TcpState.LastAck,
            sent: [FinAck(Iss + 1, Irs + 2)], timers: [Arm(TimerKind.Retransmit, 2 * Rto)]);
    }
}
