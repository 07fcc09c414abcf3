using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>CLOSING: both FINs crossed; ours (101) unacknowledged, SND.NXT = 102, RCV.NXT = 302 (RFC 9293 §3.10.7.4).</summary>
public class ClosingTests : EngineTest
{
    /// <summary>The fixture after the fifth step's window check (ESTABLISHED processing) for a segment at 302 acknowledging 101: SND.WL1 = 302.</summary>
    private static Endpoint WindowUpdated()
    {
        var ep = Fixtures.Closing();
        ep.SndWl1 = Irs + 2;
        return ep;
    }

    [Fact]
    public void Ack_of_our_fin_enters_time_wait()
    {
        // Fifth, CLOSING: "if the ACK acknowledges our FIN, then enter the TIME-WAIT state".
        var c = At(Fixtures.Closing());
        c.Arrive(Peer.Ack(Irs + 2, ack: Iss + 2)).Is(Row(TcpState.Closing, TcpEvent.Ack, "FinAcked"), TcpState.TimeWait,
            timers: [Cancel(TimerKind.Retransmit), Arm(TimerKind.TimeWait, TwoMsl)]);
        Assert.Equal(TimerKind.TimeWait, c.Ep.Timers);
        Assert.Equal(Iss + 2, c.Ep.SndUna);
    }

    [Fact]
    public void Fin_ack_acknowledging_our_fin_enters_time_wait()
    {
        var c = At(Fixtures.Closing());
        c.Arrive(Peer.FinAck(Irs + 2, ack: Iss + 2)).Is(Row(TcpState.Closing, TcpEvent.FinAck, "FinAcked"), TcpState.TimeWait,
            timers: [Cancel(TimerKind.Retransmit), Arm(TimerKind.TimeWait, TwoMsl)]);
    }

    [Fact]
    public void Ack_not_acknowledging_our_fin_is_ignored()
    {
        // Fifth, CLOSING: "otherwise, ignore the segment".
        var c = At(Fixtures.Closing());
        c.Arrive(Peer.Ack(Irs + 2, ack: Iss + 1)).Is(Row(TcpState.Closing, TcpEvent.Ack), TcpState.Closing);
        EndpointAssert.Equal(WindowUpdated(), c.Ep);
    }

    [Fact]
    public void Fin_ack_not_acknowledging_our_fin_is_ignored()
    {
        var c = At(Fixtures.Closing());
        c.Arrive(Peer.FinAck(Irs + 2, ack: Iss + 1)).Is(Row(TcpState.Closing, TcpEvent.FinAck), TcpState.Closing);
        EndpointAssert.Equal(WindowUpdated(), c.Ep);
    }

    [Fact]
    public void Retransmission_timeout_resends_our_fin()
    {
        var c = At(Fixtures.Closing());
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.Closing, TcpEvent.RetransmitTimeout), TcpState.Closing,
            sent: [FinAck(Iss + 1, Irs + 2)], timers: [Arm(TimerKind.Retransmit, 2 * Rto)]);
    }
}
