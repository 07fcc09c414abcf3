using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// SYN-RECEIVED: our SYN,ACK (ISS = 100) is out, the peer's SYN (IRS = 300) taken: SND.NXT = 101,
/// RCV.NXT = 301, RCV.WND = 8192 (RFC 9293 §3.10.7.4). Passive: came from LISTEN; active: from SYN-SENT.
/// </summary>
public class SynReceivedTests : EngineTest
{
    private const uint WindowEnd = Irs + 1 + Fixtures.Window;

    [Theory]
    [InlineData(Irs)]
    [InlineData(WindowEnd)]
    public void Rst_outside_the_window_is_dropped(uint seq)
    {
        // RFC 5961 §3.2 (1): silently drop.
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.Rst(seq)).Is(Row(TcpState.SynReceived, TcpEvent.Rst, "!SeqAcceptable"), TcpState.SynReceived);
        EndpointAssert.Equal(Fixtures.SynReceivedPassive(), c.Ep);
    }

    [Fact]
    public void Rst_in_the_window_but_not_at_rcv_nxt_draws_a_challenge_ack()
    {
        // RFC 5961 §3.2 (3): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, then drop.
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.Rst(Irs + 5)).Is(Row(TcpState.SynReceived, TcpEvent.Rst, "!RstExact"), TcpState.SynReceived,
            sent: [Ack(Iss + 1, Irs + 1)]);
        EndpointAssert.Equal(Fixtures.SynReceivedPassive(), c.Ep);
    }

    [Fact]
    public void Rst_at_the_last_octet_of_the_window_draws_a_challenge_ack()
    {
        var c = At(Fixtures.SynReceivedActive());
        c.Arrive(Peer.RstAck(WindowEnd - 1, Iss + 1)).Is(Row(TcpState.SynReceived, TcpEvent.RstAck, "!RstExact"), TcpState.SynReceived,
            sent: [Ack(Iss + 1, Irs + 1)]);
    }

    [Fact]
    public void Rst_after_a_passive_open_returns_to_listen()
    {
        // §3.10.7.4 second: return to LISTEN, the user need not be informed, flush the
        // retransmission queue (RFC 1122 §4.2.2.8).
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.Rst(Irs + 1)).Is(Row(TcpState.SynReceived, TcpEvent.Rst, "PassiveOpen"), TcpState.Listen,
            timers: [Cancel(TimerKind.Retransmit)]);
        EndpointAssert.Equal(Fixtures.Listen(iss: Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void Rst_after_a_passive_open_keeps_the_foreign_socket_of_the_listen()
    {
        var start = Fixtures.SynReceivedPassive();
        start.Flags |= EndpointFlags.ForeignSpecified;
        var c = At(start);
        c.Arrive(Peer.RstAck(Irs + 1, Iss + 1)).Is(Row(TcpState.SynReceived, TcpEvent.RstAck, "PassiveOpen"), TcpState.Listen,
            timers: [Cancel(TimerKind.Retransmit)]);
        EndpointAssert.Equal(Fixtures.Listen(foreignSpecified: true, iss: Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void Rst_after_an_active_open_refuses_the_connection()
    {
        // §3.10.7.4 second: signal "connection refused", enter CLOSED, delete the TCB.
        var c = At(Fixtures.SynReceivedActive());
        c.Arrive(Peer.RstAck(Irs + 1, Iss + 1)).Is(Row(TcpState.SynReceived, TcpEvent.RstAck), TcpState.Closed,
            timers: [Cancel(TimerKind.Retransmit)], notices: [Note(NoticeKind.ConnectionRefused)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void Crossing_syn_ack_completes_a_simultaneous_open()
    {
        // §3.5 Figure 7 line 6: <SEQ=300><ACK=101><CTL=SYN,ACK> arrives in SYN-RECEIVED: ESTABLISHED.
        var c = At(Fixtures.SynReceivedActive());
        c.Arrive(Peer.SynAck(Irs, ack: Iss + 1)).Is(Row(TcpState.SynReceived, TcpEvent.SynAck, "CompletesSimultaneousOpen"), TcpState.Established,
            timers: [Cancel(TimerKind.Retransmit)]);
        Assert.Equal(Iss + 1, c.Ep.SndUna);
        Assert.Equal(Irs + 1, c.Ep.RcvNxt);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Retransmitted_syn_brings_the_syn_ack_again_at_once(bool passive)
    {
        // The peer's SYN again (SEG.SEQ = IRS = 300, no ACK): §3.10.7.4 first would answer with a
        // bare ACK, which the peer in SYN-SENT drops; the table (Deliberate choices) resends
        // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> at once, leaving the timer and the backoff alone.
        var start = passive ? Fixtures.SynReceivedPassive() : Fixtures.SynReceivedActive();
        var c = At(start);
        c.Arrive(Peer.Syn(Irs)).Is(Row(TcpState.SynReceived, TcpEvent.Syn, "RetransmittedSyn"), TcpState.SynReceived,
            sent: [SynAck(Iss, Irs + 1)]);
        EndpointAssert.Equal(start, c.Ep);
    }

    [Fact]
    public void Retransmitted_syn_is_not_counted_as_a_retransmission()
    {
        // The SYN,ACK resent for the peer's SYN neither restarts the timer nor advances the backoff:
        // the next expiry still doubles the RTO from where the timer left it.
        var c = At(Fixtures.SynReceivedPassive());
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.SynReceived, TcpEvent.RetransmitTimeout), TcpState.SynReceived,
            sent: [SynAck(Iss, Irs + 1)], timers: [Arm(TimerKind.Retransmit, 2 * Rto)]);
        var afterTimer = c.Ep;
        Assert.Equal(1, afterTimer.Retries);

        c.Arrive(Peer.Syn(Irs)).Is(Row(TcpState.SynReceived, TcpEvent.Syn, "RetransmittedSyn"), TcpState.SynReceived,
            sent: [SynAck(Iss, Irs + 1)]);
        EndpointAssert.Equal(afterTimer, c.Ep);

        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.SynReceived, TcpEvent.RetransmitTimeout), TcpState.SynReceived,
            sent: [SynAck(Iss, Irs + 1)], timers: [Arm(TimerKind.Retransmit, 4 * Rto)]);
        Assert.Equal(2, c.Ep.Retries);
    }

    [Fact]
    public void Syn_before_irs_is_outside_the_window_and_acknowledged()
    {
        // Not the peer's SYN again (SEG.SEQ = 299, not IRS): §3.10.7.4 first, SEG.SEQ < RCV.NXT:
        // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.Syn(Irs - 1)).Is(Row(TcpState.SynReceived, TcpEvent.Syn, "!SeqAcceptable"), TcpState.SynReceived,
            sent: [Ack(Iss + 1, Irs + 1)]);
        EndpointAssert.Equal(Fixtures.SynReceivedPassive(), c.Ep);
    }

    [Fact]
    public void Syn_fin_outside_the_window_is_acknowledged()
    {
        // Only a SYN draws the SYN,ACK again: a SYN,FIN before RCV.NXT (it occupies 299 and 300)
        // gets the bare ACK of §3.10.7.4 first.
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.SynFin(Irs - 1)).Is(Row(TcpState.SynReceived, TcpEvent.SynFin, "!SeqAcceptable"), TcpState.SynReceived,
            sent: [Ack(Iss + 1, Irs + 1)]);
        EndpointAssert.Equal(Fixtures.SynReceivedPassive(), c.Ep);
    }

    [Fact]
    public void Syn_ack_with_a_bad_ack_outside_the_window_is_acknowledged()
    {
        var c = At(Fixtures.SynReceivedActive());
        c.Arrive(Peer.SynAck(Irs, ack: Iss)).Is(Row(TcpState.SynReceived, TcpEvent.SynAck, "!SeqAcceptable"), TcpState.SynReceived,
            sent: [Ack(Iss + 1, Irs + 1)]);
    }

    [Fact]
    public void Syn_in_the_window_after_a_passive_open_returns_to_listen()
    {
        // Fourth: "If the connection was initiated with a passive OPEN, then return this connection
        // to the LISTEN state and return."
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.Syn(Irs + 100)).Is(Row(TcpState.SynReceived, TcpEvent.Syn, "PassiveOpen"), TcpState.Listen,
            timers: [Cancel(TimerKind.Retransmit)]);
        EndpointAssert.Equal(Fixtures.Listen(iss: Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void Syn_fin_in_the_window_after_a_passive_open_returns_to_listen()
    {
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.SynFin(Irs + 100)).Is(Row(TcpState.SynReceived, TcpEvent.SynFin, "PassiveOpen"), TcpState.Listen,
            timers: [Cancel(TimerKind.Retransmit)]);
    }

    [Fact]
    public void Syn_in_the_window_after_an_active_open_draws_a_challenge_ack()
    {
        // Fourth, active OPEN: "handle per the directions for synchronized states": RFC 5961 §4.2.
        var c = At(Fixtures.SynReceivedActive());
        c.Arrive(Peer.Syn(Irs + 100)).Is(Row(TcpState.SynReceived, TcpEvent.Syn), TcpState.SynReceived,
            sent: [Ack(Iss + 1, Irs + 1)]);
        EndpointAssert.Equal(Fixtures.SynReceivedActive(), c.Ep);
    }

    [Fact]
    public void Ack_outside_the_window_is_acknowledged()
    {
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.Ack(200, ack: Iss + 1)).Is(Row(TcpState.SynReceived, TcpEvent.Ack, "!SeqAcceptable"), TcpState.SynReceived,
            sent: [Ack(Iss + 1, Irs + 1)]);
        EndpointAssert.Equal(Fixtures.SynReceivedPassive(), c.Ep);
    }

    [Fact]
    public void Fin_ack_outside_the_window_is_acknowledged()
    {
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.FinAck(WindowEnd, ack: Iss + 1)).Is(Row(TcpState.SynReceived, TcpEvent.FinAck, "!SeqAcceptable"), TcpState.SynReceived,
            sent: [Ack(Iss + 1, Irs + 1)]);
    }

    [Theory]
    [InlineData(Iss)]
    [InlineData(Iss + 2)]
    public void Unacceptable_ack_is_answered_with_rst(uint ack)
    {
        // Fifth, SYN-RECEIVED: not SND.UNA < SEG.ACK =< SND.NXT: <SEQ=SEG.ACK><CTL=RST>.
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.Ack(Irs + 1, ack)).Is(Row(TcpState.SynReceived, TcpEvent.Ack, "!AckAcceptable"), TcpState.SynReceived,
            sent: [Rst(ack)]);
        EndpointAssert.Equal(Fixtures.SynReceivedPassive(), c.Ep);
    }

    [Fact]
    public void Fin_ack_with_an_unacceptable_ack_is_answered_with_rst()
    {
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.FinAck(Irs + 1, ack: 7)).Is(Row(TcpState.SynReceived, TcpEvent.FinAck, "!AckAcceptable"), TcpState.SynReceived,
            sent: [Rst(7)]);
    }

    [Fact]
    public void Acceptable_ack_establishes_the_connection()
    {
        // Fifth: SND.UNA < SEG.ACK =< SND.NXT: ESTABLISHED, SND.WND = SEG.WND, SND.WL1 = SEG.SEQ,
        // SND.WL2 = SEG.ACK. Nothing else to send; the SYN,ACK needs no more retransmission.
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, window: 2000)).Is(Row(TcpState.SynReceived, TcpEvent.Ack), TcpState.Established,
            timers: [Cancel(TimerKind.Retransmit)]);
        Assert.Equal(Iss + 1, c.Ep.SndUna);
        Assert.Equal(2000, c.Ep.SndWnd);
        Assert.Equal(Irs + 1, c.Ep.SndWl1);
        Assert.Equal(Iss + 1, c.Ep.SndWl2);
    }

    [Fact]
    public void Acceptable_ack_with_text_establishes_and_acknowledges_the_text()
    {
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, len: 10)).Is(Row(TcpState.SynReceived, TcpEvent.Ack), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 11)], timers: [Cancel(TimerKind.Retransmit)], notices: [Text(Peer.TagAt(Irs + 1), 10)]);
        Assert.Equal(10u, c.Ep.RcvBuffered);
    }

    [Fact]
    public void Acceptable_ack_sends_the_data_queued_in_syn_received()
    {
        // §3.10.2 SYN-RECEIVED: queue the data for transmission after entering ESTABLISHED.
        var c = At(Fixtures.SynReceivedPassive());
        c.Send(20).Is(Row(TcpState.SynReceived, TcpEvent.Send), TcpState.SynReceived);
        Assert.Equal(20u, c.Ep.SndWritten);
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1)).Is(Row(TcpState.SynReceived, TcpEvent.Ack), TcpState.Established,
            sent: [Psh(Iss + 1, Irs + 1, len: 20)], timers: [Cancel(TimerKind.Retransmit), Arm(TimerKind.Retransmit, Rto)]);
    }

    [Fact]
    public void Fin_ack_in_order_establishes_and_takes_the_fin_into_close_wait()
    {
        // Fifth (ESTABLISHED), then eighth: advance RCV.NXT over the FIN, acknowledge it, signal
        // "connection closing", enter CLOSE-WAIT.
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.FinAck(Irs + 1, ack: Iss + 1)).Is(Row(TcpState.SynReceived, TcpEvent.FinAck), TcpState.CloseWait,
            sent: [Ack(Iss + 1, Irs + 2)], timers: [Cancel(TimerKind.Retransmit)], notices: [Note(NoticeKind.RemoteClosing)]);
        Assert.Equal(Irs + 2, c.Ep.RcvNxt);
    }

    [Fact]
    public void Fin_ack_beyond_rcv_nxt_establishes_but_leaves_the_fin()
    {
        // The segment starts beyond RCV.NXT (text 301..310 missing): its ACK is processed, but the
        // FIN cannot be (the table acknowledges and discards rather than holds, SHLD-31): the
        // acknowledgment still names RCV.NXT, telling the peer what is missing.
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.FinAck(Irs + 11, ack: Iss + 1)).Is(Row(TcpState.SynReceived, TcpEvent.FinAck, "!InOrder"), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1)], timers: [Cancel(TimerKind.Retransmit)]);
        Assert.Equal(Irs + 1, c.Ep.RcvNxt);
        Assert.False(c.Ep.Has(EndpointFlags.FinReceived));
    }

    [Fact]
    public void Fin_outside_the_window_is_acknowledged()
    {
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.Fin(Irs - 1)).Is(Row(TcpState.SynReceived, TcpEvent.Fin, "!SeqAcceptable"), TcpState.SynReceived,
            sent: [Ack(Iss + 1, Irs + 1)]);
    }

    [Fact]
    public void Bare_text_outside_the_window_is_acknowledged()
    {
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.Bare(WindowEnd, 10)).Is(Row(TcpState.SynReceived, TcpEvent.Bare, "!SeqAcceptable"), TcpState.SynReceived,
            sent: [Ack(Iss + 1, Irs + 1)]);
    }

    [Fact]
    public void Fin_without_ack_in_the_window_is_dropped()
    {
        // Fifth: "if the ACK bit is off, drop the segment and return".
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.Fin(Irs + 1)).Is(Row(TcpState.SynReceived, TcpEvent.Fin), TcpState.SynReceived);
        EndpointAssert.Equal(Fixtures.SynReceivedPassive(), c.Ep);
    }

    [Fact]
    public void Bare_text_in_the_window_is_dropped()
    {
        var c = At(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.Bare(Irs + 1, 10)).Is(Row(TcpState.SynReceived, TcpEvent.Bare), TcpState.SynReceived);
        EndpointAssert.Equal(Fixtures.SynReceivedPassive(), c.Ep);
    }

    [Fact]
    public void Close_before_any_send_sends_fin_and_enters_fin_wait_1()
    {
        // §3.10.4 SYN-RECEIVED: no SENDs issued, so form a FIN and send it, enter FIN-WAIT-1.
        var c = At(Fixtures.SynReceivedPassive());
        c.Close().Is(Row(TcpState.SynReceived, TcpEvent.Close), TcpState.FinWait1, sent: [FinAck(Iss + 1, Irs + 1)]);
        Assert.Equal(Iss + 2, c.Ep.SndNxt);
    }

    /// <summary>The SYN-RECEIVED fixture after SEND <paramref name="octets"/> and CLOSE: the data and the FIN behind it queued.</summary>
    private static Endpoint CloseQueued(Endpoint start, uint octets)
    {
        var ep = start;
        ep.SndWritten = octets;
        ep.Flags |= EndpointFlags.FinQueued;
        return ep;
    }

    /// <summary>SEND 10 then CLOSE in SYN-RECEIVED, each step checked: the CLOSE is queued (§3.10.4).</summary>
    private static Conn SendThenClose(Endpoint start)
    {
        var c = At(start);
        c.Send(10).Is(Row(TcpState.SynReceived, TcpEvent.Send), TcpState.SynReceived);
        c.Close().Is(Row(TcpState.SynReceived, TcpEvent.Close, "SendsQueued"), TcpState.SynReceived);
        EndpointAssert.Equal(CloseQueued(start, 10), c.Ep);
        return c;
    }

    [Fact]
    public void Close_after_a_send_queues_the_fin_until_established()
    {
        // §3.10.4 SYN-RECEIVED: SENDs were issued, so the CLOSE is queued for processing after
        // entering ESTABLISHED: nothing is sent, the state stays SYN-RECEIVED.
        var c = SendThenClose(Fixtures.SynReceivedPassive());
        Assert.False(c.Ep.Has(EndpointFlags.FinSent));
        Assert.Equal(Iss + 1, c.Ep.SndNxt);
    }

    [Fact]
    public void Close_after_a_send_holds_the_fin_behind_the_data()
    {
        // Once our SYN is acknowledged the connection is ESTABLISHED and the queued CLOSE runs: the
        // data goes first, then the FIN, and the state is FIN-WAIT-1.
        var c = SendThenClose(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1)).Is(Row(TcpState.SynReceived, TcpEvent.Ack, "CloseQueued"), TcpState.FinWait1,
            sent: [Psh(Iss + 1, Irs + 1, len: 10), FinAck(Iss + 11, Irs + 1)],
            timers: [Cancel(TimerKind.Retransmit), Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(Iss + 12, c.Ep.SndNxt);
        Assert.True(c.Ep.Has(EndpointFlags.FinSent));

        // The peer acknowledges the data and the FIN: FIN-WAIT-2.
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 12)).Is(Row(TcpState.FinWait1, TcpEvent.Ack, "FinAcked"), TcpState.FinWait2,
            timers: [Cancel(TimerKind.Retransmit)]);
    }

    [Fact]
    public void Close_queued_behind_more_data_than_the_window_sends_the_fin_after_the_rest()
    {
        // The peer's ACK opens a window of 4 octets: FIN-WAIT-1 with 4 octets out and the FIN still
        // queued behind the other 6; the next ACK opens the window and the rest goes, then the FIN.
        var c = SendThenClose(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, window: 4)).Is(Row(TcpState.SynReceived, TcpEvent.Ack, "CloseQueued"), TcpState.FinWait1,
            sent: [Ack(Iss + 1, Irs + 1, len: 4)],
            timers: [Cancel(TimerKind.Retransmit), Arm(TimerKind.Retransmit, Rto)]);
        Assert.False(c.Ep.Has(EndpointFlags.FinSent));
        Assert.True(c.Ep.Has(EndpointFlags.FinQueued));

        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 5)).Is(Row(TcpState.FinWait1, TcpEvent.Ack), TcpState.FinWait1,
            sent: [Psh(Iss + 5, Irs + 1, len: 6), FinAck(Iss + 11, Irs + 1)],
            timers: [Cancel(TimerKind.Retransmit), Arm(TimerKind.Retransmit, Rto)]);
        Assert.True(c.Ep.Has(EndpointFlags.FinSent));
        Assert.Equal(Iss + 12, c.Ep.SndNxt);
    }

    [Fact]
    public void Fin_ack_in_order_after_a_queued_close_enters_last_ack()
    {
        // The peer's FIN comes with its ACK of our SYN: ESTABLISHED, then the FIN (eighth) takes
        // the connection to CLOSE-WAIT, where the queued CLOSE sends the data and our FIN: LAST-ACK.
        var c = SendThenClose(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.FinAck(Irs + 1, ack: Iss + 1)).Is(Row(TcpState.SynReceived, TcpEvent.FinAck, "CloseQueued"), TcpState.LastAck,
            sent: [Psh(Iss + 1, Irs + 2, len: 10), FinAck(Iss + 11, Irs + 2)],
            timers: [Cancel(TimerKind.Retransmit), Arm(TimerKind.Retransmit, Rto)],
            notices: [Note(NoticeKind.RemoteClosing)]);
        Assert.Equal(Irs + 2, c.Ep.RcvNxt);
        Assert.True(c.Ep.Has(EndpointFlags.FinReceived));

        // The acknowledgment of our FIN ends it.
        c.Arrive(Peer.Ack(Irs + 2, ack: Iss + 12)).Is(Row(TcpState.LastAck, TcpEvent.Ack, "FinAcked"), TcpState.Closed,
            timers: [Cancel(TimerKind.Retransmit)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void Fin_ack_beyond_rcv_nxt_after_a_queued_close_enters_fin_wait_1()
    {
        // The segment's ACK establishes the connection but its FIN (after missing text 301..310)
        // is not processed: the queued CLOSE sends the data and our FIN, which carry the
        // acknowledgment of RCV.NXT = 301; FIN-WAIT-1.
        var c = SendThenClose(Fixtures.SynReceivedPassive());
        c.Arrive(Peer.FinAck(Irs + 11, ack: Iss + 1)).Is(Row(TcpState.SynReceived, TcpEvent.FinAck, "!InOrder & CloseQueued"), TcpState.FinWait1,
            sent: [Psh(Iss + 1, Irs + 1, len: 10), FinAck(Iss + 11, Irs + 1)],
            timers: [Cancel(TimerKind.Retransmit), Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(Irs + 1, c.Ep.RcvNxt);
        Assert.False(c.Ep.Has(EndpointFlags.FinReceived));
    }

    [Fact]
    public void Crossing_syn_ack_after_a_queued_close_sends_the_data_then_the_fin()
    {
        // Simultaneous open, the user SENDs and CLOSEs in SYN-RECEIVED; the peer's SYN,ACK
        // (Figure 7 line 6) establishes the connection and the queued CLOSE runs: FIN-WAIT-1.
        var c = SendThenClose(Fixtures.SynReceivedActive());
        c.Arrive(Peer.SynAck(Irs, ack: Iss + 1)).Is(Row(TcpState.SynReceived, TcpEvent.SynAck, "CompletesSimultaneousOpen & CloseQueued"), TcpState.FinWait1,
            sent: [Psh(Iss + 1, Irs + 1, len: 10), FinAck(Iss + 11, Irs + 1)],
            timers: [Cancel(TimerKind.Retransmit), Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(Iss + 1, c.Ep.SndUna);
        Assert.Equal(Iss + 12, c.Ep.SndNxt);
    }

    [Fact]
    public void Send_after_a_queued_close_is_refused()
    {
        // The user has closed: "error: connection closing" (§3.10.2), nothing queued.
        var c = SendThenClose(Fixtures.SynReceivedPassive());
        c.Send(5).Is(Row(TcpState.SynReceived, TcpEvent.Send, "CloseQueued"), TcpState.SynReceived,
            notices: [Note(NoticeKind.ErrorClosing)]);
        EndpointAssert.Equal(CloseQueued(Fixtures.SynReceivedPassive(), 10), c.Ep);
    }

    [Fact]
    public void Second_close_after_a_queued_close_is_refused()
    {
        var c = SendThenClose(Fixtures.SynReceivedPassive());
        c.Close().Is(Row(TcpState.SynReceived, TcpEvent.Close, "CloseQueued"), TcpState.SynReceived,
            notices: [Note(NoticeKind.ErrorClosing)]);
        EndpointAssert.Equal(CloseQueued(Fixtures.SynReceivedPassive(), 10), c.Ep);
    }

    [Fact]
    public void Abort_sends_rst_at_snd_nxt()
    {
        // §3.10.5: <SEQ=SND.NXT><CTL=RST>, flush, delete the TCB, enter CLOSED.
        var c = At(Fixtures.SynReceivedPassive());
        c.Abort().Is(Row(TcpState.SynReceived, TcpEvent.Abort), TcpState.Closed,
            sent: [Rst(Iss + 1)], timers: [Cancel(TimerKind.Retransmit)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }
}
