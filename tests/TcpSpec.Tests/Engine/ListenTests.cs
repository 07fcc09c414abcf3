using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>LISTEN: only a SYN opens a connection (RFC 9293 §3.10.7.2); OPEN and SEND turn active (§3.10.1, §3.10.2).</summary>
public class ListenTests : EngineTest
{
    [Fact]
    public void Active_open_turns_the_connection_active_and_sends_syn()
    {
        var c = At(Fixtures.Listen());
        c.OpenActive().Is(Row(TcpState.Listen, TcpEvent.OpenActive), TcpState.SynSent,
            sent: [Syn(Iss)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        Assert.False(c.Ep.Has(EndpointFlags.Passive));
        Assert.Equal(Iss, c.Ep.SndUna);
        Assert.Equal(Iss + 1, c.Ep.SndNxt);
    }

    [Fact]
    public void Send_with_the_foreign_socket_specified_turns_active_and_queues_the_data()
    {
        // §3.10.2 LISTEN: select an ISS, send a SYN, SND.UNA = ISS, SND.NXT = ISS+1, enter SYN-SENT;
        // the data is queued for after ESTABLISHED (or sent with the SYN: here it is queued).
        var c = At(Fixtures.Listen(foreignSpecified: true));
        c.Send(10).Is(Row(TcpState.Listen, TcpEvent.Send, "ForeignSpecified"), TcpState.SynSent,
            sent: [Syn(Iss)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        Assert.False(c.Ep.Has(EndpointFlags.Passive));
        Assert.Equal(10u, c.Ep.SndWritten);
        Assert.Equal(Iss + 1, c.Ep.SndNxt);
    }

    [Fact]
    public void Send_without_the_foreign_socket_is_an_error()
    {
        var c = At(Fixtures.Listen());
        c.Send(10).Is(Row(TcpState.Listen, TcpEvent.Send), TcpState.Listen, notices: [Note(NoticeKind.ErrorForeignUnspecified)]);
        EndpointAssert.Equal(Fixtures.Listen(), c.Ep);
    }

    [Fact]
    public void Close_deletes_the_tcb()
    {
        var c = At(Fixtures.Listen());
        c.Close().Is(Row(TcpState.Listen, TcpEvent.Close), TcpState.Closed);
        EndpointAssert.Equal(Fixtures.Closed(), c.Ep);
    }

    [Fact]
    public void Abort_deletes_the_tcb_without_a_reset()
    {
        var c = At(Fixtures.Listen());
        c.Abort().Is(Row(TcpState.Listen, TcpEvent.Abort), TcpState.Closed);
        EndpointAssert.Equal(Fixtures.Closed(), c.Ep);
    }

    [Fact]
    public void Rst_is_ignored()
    {
        var c = At(Fixtures.Listen());
        c.Arrive(Peer.Rst(Irs)).Is(Row(TcpState.Listen, TcpEvent.Rst), TcpState.Listen);
        EndpointAssert.Equal(Fixtures.Listen(), c.Ep);
    }

    [Fact]
    public void Rst_ack_is_ignored()
    {
        var c = At(Fixtures.Listen());
        c.Arrive(Peer.RstAck(Irs, Iss + 1)).Is(Row(TcpState.Listen, TcpEvent.RstAck), TcpState.Listen);
    }

    [Fact]
    public void Ack_is_answered_with_rst_at_its_ack()
    {
        // §3.10.7.2 second: any acknowledgment is bad in LISTEN: <SEQ=SEG.ACK><CTL=RST>.
        var c = At(Fixtures.Listen());
        c.Arrive(Peer.Ack(Irs + 1, ack: 999)).Is(Row(TcpState.Listen, TcpEvent.Ack), TcpState.Listen, sent: [Rst(999)]);
        EndpointAssert.Equal(Fixtures.Listen(), c.Ep);
    }

    [Fact]
    public void Syn_ack_is_answered_with_rst_at_its_ack()
    {
        var c = At(Fixtures.Listen());
        c.Arrive(Peer.SynAck(Irs, ack: 4242)).Is(Row(TcpState.Listen, TcpEvent.SynAck), TcpState.Listen, sent: [Rst(4242)]);
    }

    [Fact]
    public void Fin_ack_is_answered_with_rst_at_its_ack()
    {
        var c = At(Fixtures.Listen());
        c.Arrive(Peer.FinAck(Irs + 1, ack: 55)).Is(Row(TcpState.Listen, TcpEvent.FinAck), TcpState.Listen, sent: [Rst(55)]);
    }

    [Fact]
    public void Syn_fin_ack_is_answered_with_rst_at_its_ack()
    {
        var c = At(Fixtures.Listen());
        c.Arrive(Peer.SynFinAck(Irs, ack: 66)).Is(Row(TcpState.Listen, TcpEvent.SynFin, "AckBit"), TcpState.Listen, sent: [Rst(66)]);
    }

    [Fact]
    public void Syn_is_answered_with_syn_ack_and_enters_syn_received()
    {
        // §3.10.7.2 third: IRS = SEG.SEQ, RCV.NXT = SEG.SEQ+1, select ISS, send
        // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, SND.NXT = ISS+1, SND.UNA = ISS.
        var c = At(Fixtures.Listen());
        c.Arrive(Peer.Syn(Irs)).Is(Row(TcpState.Listen, TcpEvent.Syn), TcpState.SynReceived,
            sent: [SynAck(Iss, Irs + 1)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(Irs, c.Ep.Irs);
        Assert.Equal(Irs + 1, c.Ep.RcvNxt);
        Assert.Equal(Iss, c.Ep.SndUna);
        Assert.Equal(Iss + 1, c.Ep.SndNxt);
        Assert.Equal(Fixtures.PeerWindow, c.Ep.SndWnd);
        Assert.True(c.Ep.Has(EndpointFlags.Passive));
        EndpointAssert.Equal(Fixtures.SynReceivedPassive(), c.Ep);
    }

    [Fact]
    public void Syn_fin_opens_without_acknowledging_the_fin()
    {
        // The table's deliberate choice: the FIN of a SYN-FIN is not queued, so the SYN,ACK
        // acknowledges only the SYN (RCV.NXT = SEG.SEQ+1) and the peer retransmits its FIN.
        var c = At(Fixtures.Listen());
        c.Arrive(Peer.SynFin(Irs)).Is(Row(TcpState.Listen, TcpEvent.SynFin), TcpState.SynReceived,
            sent: [SynAck(Iss, Irs + 1)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(Irs + 1, c.Ep.RcvNxt);
        Assert.False(c.Ep.Has(EndpointFlags.FinReceived));
    }

    [Fact]
    public void Fin_without_ack_is_dropped()
    {
        var c = At(Fixtures.Listen());
        c.Arrive(Peer.Fin(Irs + 1)).Is(Row(TcpState.Listen, TcpEvent.Fin), TcpState.Listen);
        EndpointAssert.Equal(Fixtures.Listen(), c.Ep);
    }

    [Fact]
    public void Bare_text_is_dropped()
    {
        var c = At(Fixtures.Listen());
        c.Arrive(Peer.Bare(Irs + 1, 10)).Is(Row(TcpState.Listen, TcpEvent.Bare), TcpState.Listen);
    }

    [Fact]
    public void A_stale_retransmission_timer_does_nothing()
    {
        var c = At(Fixtures.Listen());
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.Listen, TcpEvent.RetransmitTimeout), TcpState.Listen);
    }
}
