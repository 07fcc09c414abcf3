using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>CLOSE-WAIT: the peer's FIN (301) taken, RCV.NXT = 302; we may still send (RFC 9293 §3.10.2, §3.10.4, §3.10.7.4).</summary>
public class CloseWaitTests : EngineTest
{
    /// <summary>CLOSE-WAIT after the fifth step's window update by a segment at <paramref name="seq"/> acknowledging 101.</summary>
    private static Endpoint WindowUpdatedBy(uint seq)
    {
        var ep = Fixtures.CloseWait();
        ep.SndWl1 = seq;
        return ep;
    }

    [Fact]
    public void Send_still_sends()
    {
        var c = At(Fixtures.CloseWait());
        c.Send(10).Is(Row(TcpState.CloseWait, TcpEvent.Send), TcpState.CloseWait,
            sent: [Psh(Iss + 1, Irs + 2, len: 10)], timers: [Arm(TimerKind.Retransmit, Rto)]);
    }

    [Fact]
    public void Close_sends_fin_and_enters_last_ack()
    {
        // §3.10.4 CLOSE-WAIT: send a FIN segment, enter LAST-ACK (RFC 1122 §4.2.2.8).
        var c = At(Fixtures.CloseWait());
        c.Close().Is(Row(TcpState.CloseWait, TcpEvent.Close), TcpState.LastAck,
            sent: [FinAck(Iss + 1, Irs + 2)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        EndpointAssert.Equal(Fixtures.LastAck(), c.Ep);
    }

    [Fact]
    public void Ack_of_our_data_is_processed()
    {
        var start = Fixtures.CloseWait();
        start.SndWritten = 10;
        start.SndNxt = Iss + 11;
        start.Timers = TimerKind.Retransmit;
        var c = At(start);
        c.Arrive(Peer.Ack(Irs + 2, ack: Iss + 11)).Is(Row(TcpState.CloseWait, TcpEvent.Ack), TcpState.CloseWait,
            timers: [Cancel(TimerKind.Retransmit)]);
        Assert.Equal(Iss + 11, c.Ep.SndUna);
    }

    [Fact]
    public void Ack_opening_the_window_sends_queued_data()
    {
        var start = Fixtures.CloseWait();
        start.SndWnd = 0;
        start.SndWritten = 10;
        var c = At(start);
        c.Arrive(Peer.Ack(Irs + 2, ack: Iss + 1)).Is(Row(TcpState.CloseWait, TcpEvent.Ack), TcpState.CloseWait,
            sent: [Psh(Iss + 1, Irs + 2, len: 10)], timers: [Arm(TimerKind.Retransmit, Rto)]);
    }

    [Fact]
    public void Text_after_the_fin_is_ignored()
    {
        // Seventh, CLOSE-WAIT: "This should not occur since a FIN has been received from the remote
        // side. Ignore the segment text."
        var c = At(Fixtures.CloseWait());
        c.Arrive(Peer.Ack(Irs + 2, ack: Iss + 1, len: 10)).Is(Row(TcpState.CloseWait, TcpEvent.Ack), TcpState.CloseWait);
        EndpointAssert.Equal(WindowUpdatedBy(Irs + 2), c.Ep); // RCV.NXT unmoved: the text was ignored
    }

    [Fact]
    public void A_second_fin_in_the_window_is_ignored()
    {
        // Eighth, CLOSE-WAIT: remain in CLOSE-WAIT.
        var c = At(Fixtures.CloseWait());
        c.Arrive(Peer.FinAck(Irs + 2, ack: Iss + 1)).Is(Row(TcpState.CloseWait, TcpEvent.FinAck), TcpState.CloseWait);
        EndpointAssert.Equal(WindowUpdatedBy(Irs + 2), c.Ep); // RCV.NXT unmoved: the FIN was ignored
    }

    [Fact]
    public void Retransmitted_fin_is_acknowledged()
    {
        // The FIN at 301 again: SEG.SEQ < RCV.NXT, not acceptable (first): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
        var c = At(Fixtures.CloseWait());
        c.Arrive(Peer.FinAck(Irs + 1, ack: Iss + 1)).Is(Row(TcpState.CloseWait, TcpEvent.FinAck, "!SeqAcceptable"), TcpState.CloseWait,
            sent: [Ack(Iss + 1, Irs + 2)]);
        EndpointAssert.Equal(Fixtures.CloseWait(), c.Ep);
    }

    [Fact]
    public void Retransmission_timeout_resends_unacknowledged_data()
    {
        var start = Fixtures.CloseWait();
        start.SndWritten = 10;
        start.SndNxt = Iss + 11;
        start.Timers = TimerKind.Retransmit;
        var c = At(start);
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.CloseWait, TcpEvent.RetransmitTimeout), TcpState.CloseWait,
            sent: [Psh(Iss + 1, Irs + 2, len: 10)], timers: [Arm(TimerKind.Retransmit, 2 * Rto)]);
    }
}
