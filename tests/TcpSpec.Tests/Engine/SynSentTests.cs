using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>SYN-SENT: our SYN (ISS = 100) is out, SND.NXT = 101 (RFC 9293 §3.10.7.3).</summary>
public class SynSentTests : EngineTest
{
    [Fact]
    public void Syn_ack_acknowledging_iss_is_answered_with_rst()
    {
        // First: SEG.ACK =< ISS is unacceptable: <SEQ=SEG.ACK><CTL=RST>, discard.
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.SynAck(Irs, ack: Iss)).Is(Row(TcpState.SynSent, TcpEvent.SynAck, "!AckAcceptable"), TcpState.SynSent, sent: [Rst(Iss)]);
        EndpointAssert.Equal(Fixtures.SynSent(), c.Ep);
    }

    [Fact]
    public void Ack_beyond_snd_nxt_is_answered_with_rst()
    {
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 2)).Is(Row(TcpState.SynSent, TcpEvent.Ack, "!AckAcceptable"), TcpState.SynSent, sent: [Rst(Iss + 2)]);
    }

    [Fact]
    public void Fin_ack_with_an_old_ack_is_answered_with_rst()
    {
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.FinAck(Irs + 1, ack: 50)).Is(Row(TcpState.SynSent, TcpEvent.FinAck, "!AckAcceptable"), TcpState.SynSent, sent: [Rst(50)]);
    }

    [Fact]
    public void Syn_fin_ack_with_a_bad_ack_is_answered_with_rst()
    {
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.SynFinAck(Irs, ack: Iss)).Is(Row(TcpState.SynSent, TcpEvent.SynFin, "AckBit & !AckAcceptable"), TcpState.SynSent, sent: [Rst(Iss)]);
    }

    [Fact]
    public void Rst_ack_with_an_acceptable_ack_resets_the_connection()
    {
        // Second: the ACK was acceptable, so signal "connection reset", enter CLOSED, delete the TCB.
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.RstAck(0, ack: Iss + 1)).Is(Row(TcpState.SynSent, TcpEvent.RstAck, "AckAcceptable"), TcpState.Closed,
            timers: [Cancel(TimerKind.Retransmit)], notices: [Note(NoticeKind.ConnectionReset)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void Rst_ack_with_an_unacceptable_ack_is_dropped()
    {
        // First: a bad ACK on a RST: drop the segment (no reset in reply to a reset).
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.RstAck(0, ack: Iss)).Is(Row(TcpState.SynSent, TcpEvent.RstAck), TcpState.SynSent);
        EndpointAssert.Equal(Fixtures.SynSent(), c.Ep);
    }

    [Fact]
    public void Rst_without_ack_is_dropped()
    {
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.Rst(Irs)).Is(Row(TcpState.SynSent, TcpEvent.Rst), TcpState.SynSent);
        EndpointAssert.Equal(Fixtures.SynSent(), c.Ep);
    }

    [Fact]
    public void Syn_ack_acknowledging_our_syn_establishes_the_connection()
    {
        // Fourth: RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ, SND.UNA = SEG.ACK; SND.UNA > ISS, so enter
        // ESTABLISHED and send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. Nothing is left to retransmit.
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.SynAck(Irs, ack: Iss + 1)).Is(Row(TcpState.SynSent, TcpEvent.SynAck), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1)], timers: [Cancel(TimerKind.Retransmit)]);
        Assert.Equal(Irs, c.Ep.Irs);
        Assert.Equal(Irs + 1, c.Ep.RcvNxt);
        Assert.Equal(Iss + 1, c.Ep.SndUna);
        Assert.Equal(Fixtures.PeerWindow, c.Ep.SndWnd);
    }

    [Fact]
    public void Syn_ack_with_text_delivers_it_and_acknowledges_past_it()
    {
        // Fourth, then §3.10.7.4 seventh: the text on the SYN is accepted and acknowledged.
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.SynAck(Irs, ack: Iss + 1, len: 5)).Is(Row(TcpState.SynSent, TcpEvent.SynAck), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1 + 5)], timers: [Cancel(TimerKind.Retransmit)], notices: [Text(Peer.TagAt(Irs + 1), 5)]);
        Assert.Equal(5u, c.Ep.RcvBuffered);
    }

    [Fact]
    public void Syn_ack_sends_data_queued_before_the_connection_was_established()
    {
        // §3.10.2 SYN-SENT queues the data "for transmission after entering ESTABLISHED"; the
        // data segment carries the acknowledgment of the SYN (MUST-58: one segment).
        var c = At(Fixtures.SynSent());
        c.Send(10).Is(Row(TcpState.SynSent, TcpEvent.Send), TcpState.SynSent);
        c.Arrive(Peer.SynAck(Irs, ack: Iss + 1)).Is(Row(TcpState.SynSent, TcpEvent.SynAck), TcpState.Established,
            sent: [Psh(Iss + 1, Irs + 1, len: 10)],
            timers: [Cancel(TimerKind.Retransmit), Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(Iss + 11, c.Ep.SndNxt);
    }

    [Fact]
    public void Syn_fin_ack_establishes_and_takes_the_fin_into_close_wait()
    {
        // Fourth, then eighth: advance RCV.NXT over SYN and FIN, acknowledge, signal "connection closing".
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.SynFinAck(Irs, ack: Iss + 1)).Is(Row(TcpState.SynSent, TcpEvent.SynFin, "AckBit"), TcpState.CloseWait,
            sent: [Ack(Iss + 1, Irs + 2)], timers: [Cancel(TimerKind.Retransmit)], notices: [Note(NoticeKind.RemoteClosing)]);
        Assert.Equal(Irs + 2, c.Ep.RcvNxt);
    }

    [Fact]
    public void Syn_fin_ack_sends_data_queued_before_the_connection_was_established()
    {
        // The connection is established (then CLOSE-WAIT, where we may still send): the queued
        // SEND must go out, piggybacking the acknowledgment of SYN and FIN.
        var c = At(Fixtures.SynSent());
        c.Send(10).Is(Row(TcpState.SynSent, TcpEvent.Send), TcpState.SynSent);
        c.Arrive(Peer.SynFinAck(Irs, ack: Iss + 1)).Is(Row(TcpState.SynSent, TcpEvent.SynFin, "AckBit"), TcpState.CloseWait,
            sent: [Psh(Iss + 1, Irs + 2, len: 10)],
            timers: [Cancel(TimerKind.Retransmit), Arm(TimerKind.Retransmit, Rto)],
            notices: [Note(NoticeKind.RemoteClosing)]);
    }

    [Fact]
    public void Syn_alone_is_a_simultaneous_open()
    {
        // Fourth, our SYN not yet acknowledged: enter SYN-RECEIVED and send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>;
        // SND.WND = SEG.WND, SND.WL1 = SEG.SEQ. The retransmission timer of our SYN keeps running.
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.Syn(Irs)).Is(Row(TcpState.SynSent, TcpEvent.Syn), TcpState.SynReceived, sent: [SynAck(Iss, Irs + 1)]);
        EndpointAssert.Equal(Fixtures.SynReceivedActive(), c.Ep);
    }

    [Fact]
    public void Syn_fin_without_ack_is_a_simultaneous_open_that_leaves_the_fin()
    {
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.SynFin(Irs)).Is(Row(TcpState.SynSent, TcpEvent.SynFin), TcpState.SynReceived, sent: [SynAck(Iss, Irs + 1)]);
        Assert.Equal(Irs + 1, c.Ep.RcvNxt);
    }

    [Fact]
    public void Acceptable_ack_without_syn_is_dropped()
    {
        // Fifth: neither SYN nor RST: drop.
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1)).Is(Row(TcpState.SynSent, TcpEvent.Ack), TcpState.SynSent);
        EndpointAssert.Equal(Fixtures.SynSent(), c.Ep);
    }

    [Fact]
    public void Acceptable_fin_ack_without_syn_is_dropped()
    {
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.FinAck(Irs + 1, ack: Iss + 1)).Is(Row(TcpState.SynSent, TcpEvent.FinAck), TcpState.SynSent);
    }

    [Fact]
    public void Fin_without_ack_is_dropped()
    {
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.Fin(Irs + 1)).Is(Row(TcpState.SynSent, TcpEvent.Fin), TcpState.SynSent);
    }

    [Fact]
    public void Bare_text_is_dropped()
    {
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.Bare(Irs + 1, 10)).Is(Row(TcpState.SynSent, TcpEvent.Bare), TcpState.SynSent);
    }

    [Fact]
    public void Send_queues_the_data_until_established()
    {
        var c = At(Fixtures.SynSent());
        c.Send(10).Is(Row(TcpState.SynSent, TcpEvent.Send), TcpState.SynSent);
        Assert.Equal(10u, c.Ep.SndWritten);
        Assert.Equal(Iss + 1, c.Ep.SndNxt);
    }

    [Fact]
    public void Close_deletes_the_tcb_and_its_timer()
    {
        var c = At(Fixtures.SynSent());
        c.Close().Is(Row(TcpState.SynSent, TcpEvent.Close), TcpState.Closed, timers: [Cancel(TimerKind.Retransmit)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void Abort_deletes_the_tcb_without_a_reset()
    {
        var c = At(Fixtures.SynSent());
        c.Abort().Is(Row(TcpState.SynSent, TcpEvent.Abort), TcpState.Closed, timers: [Cancel(TimerKind.Retransmit)]);
    }
}
