using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// ESTABLISHED: SND.UNA = SND.NXT = 101, RCV.NXT = 301, SND.WND = 1024, RCV.WND = 8192, MSS 536
/// (RFC 9293 §3.10.2, §3.10.7.4). The checks every synchronized state shares are in
/// <see cref="SynchronizedStateTests"/>.
/// </summary>
public class EstablishedTests : EngineTest
{
    [Fact]
    public void Send_segmentizes_with_a_piggybacked_ack_and_starts_the_timer()
    {
        // §3.10.2 ESTABLISHED: segmentize and send with acknowledgment value RCV.NXT.
        var c = At(Fixtures.Established());
        c.Send(10).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Psh(Iss + 1, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(Iss + 11, c.Ep.SndNxt);
        Assert.Equal(Iss + 1, c.Ep.SndUna);
        Assert.Equal((uint)Fixtures.Tag << 24, c.Runtime.Effects.Segments[0].Payload); // the first octet of our stream
    }

    [Fact]
    public void Send_cuts_segments_at_the_mss()
    {
        var c = At(Fixtures.Established());
        c.Send(1000).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1, len: 536), Psh(Iss + 537, Irs + 1, len: 464)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(((uint)Fixtures.Tag << 24) | 536, c.Runtime.Effects.Segments[1].Payload);
    }

    [Fact]
    public void Send_stops_at_the_send_window_and_an_ack_opening_it_sends_more()
    {
        // SND.WND = 1024 from SND.UNA = 101: octets 101..1124 may be sent, 976 of 2000 wait.
        var c = At(Fixtures.Established());
        c.Send(2000).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1, len: 536), Ack(Iss + 537, Irs + 1, len: 488)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(Iss + 1025, c.Ep.SndNxt);

        // The first segment is acknowledged: SND.UNA = 637, the window now ends at 1661, the timer
        // restarts for what is still unacknowledged (RFC 6298 §5.3).
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 537)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            sent: [Ack(Iss + 1025, Irs + 1, len: 536)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(Iss + 537, c.Ep.SndUna);
        Assert.Equal(Iss + 1561, c.Ep.SndNxt);
    }

    [Fact]
    public void Send_into_a_zero_window_queues_until_the_window_opens()
    {
        var start = Fixtures.Established();
        start.SndWnd = 0;
        var c = At(start);
        c.Send(10).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            timers: [Arm(TimerKind.Persist, Rto)]); // zero-window probing (PersistTests)
        Assert.Equal(10u, c.Ep.SndWritten);
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, window: 100)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            sent: [Psh(Iss + 1, Irs + 1, len: 10)], timers: [Cancel(TimerKind.Persist), Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(100, c.Ep.SndWnd);
    }

    [Fact]
    public void Ack_of_all_data_cancels_the_retransmission_timer()
    {
        // Fifth: SND.UNA < SEG.ACK =< SND.NXT: SND.UNA = SEG.ACK, the queue empties.
        var c = At(Fixtures.Established());
        c.Send(10).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Psh(Iss + 1, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 11)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            timers: [Cancel(TimerKind.Retransmit)]);
        Assert.Equal(Iss + 11, c.Ep.SndUna);
        Assert.Equal(TimerKind.None, c.Ep.Timers);
    }

    [Fact]
    public void Duplicate_ack_is_ignored()
    {
        // Fifth: SEG.ACK =< SND.UNA: a duplicate, ignored; no data, so nothing to acknowledge. Only
        // the window bookkeeping moves: SND.WL1 < SEG.SEQ, so SND.WL1 = SEG.SEQ (same window).
        var c = At(Fixtures.Established());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established);
        var expected = Fixtures.Established();
        expected.SndWl1 = Irs + 1;
        EndpointAssert.Equal(expected, c.Ep);
    }

    [Fact]
    public void Ack_updates_the_send_window()
    {
        // Fifth: SND.UNA =< SEG.ACK =< SND.NXT and SND.WL1 < SEG.SEQ: SND.WND = SEG.WND, WL1, WL2.
        var c = At(Fixtures.Established());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, window: 4096)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established);
        Assert.Equal(4096, c.Ep.SndWnd);
        Assert.Equal(Irs + 1, c.Ep.SndWl1);
        Assert.Equal(Iss + 1, c.Ep.SndWl2);
    }

    [Fact]
    public void Ack_of_something_not_yet_sent_is_acknowledged_and_dropped()
    {
        // Fifth: SEG.ACK > SND.NXT: send an ACK, drop the segment (its text too), return.
        var c = At(Fixtures.Established());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 100, len: 10)).Is(Row(TcpState.Established, TcpEvent.Ack, "AckOfUnsent"), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1)]);
        EndpointAssert.Equal(Fixtures.Established(), c.Ep);
    }

    [Fact]
    public void Fin_ack_acknowledging_something_not_yet_sent_is_acknowledged_and_dropped()
    {
        var c = At(Fixtures.Established());
        c.Arrive(Peer.FinAck(Irs + 1, ack: Iss + 2)).Is(Row(TcpState.Established, TcpEvent.FinAck, "AckOfUnsent"), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1)]);
        EndpointAssert.Equal(Fixtures.Established(), c.Ep);
    }

    [Fact]
    public void Text_in_order_is_accepted_and_acknowledged()
    {
        // Seventh: advance RCV.NXT over the text, send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
        var c = At(Fixtures.Established());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, len: 10)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 11)], notices: [Text(Peer.TagAt(Irs + 1), 10)]);
        Assert.Equal(Irs + 11, c.Ep.RcvNxt);
        Assert.Equal(10u, c.Ep.RcvBuffered);
    }

    [Fact]
    public void Text_straddling_rcv_nxt_is_trimmed_to_its_new_part()
    {
        // First: "If a segment's contents straddle the boundary between old and new, only the new
        // parts are processed." RCV.NXT = 311; octets 306..315 arrive: 311..315 are new.
        var start = Fixtures.Established();
        start.RcvNxt = Irs + 11;
        var c = At(start);
        c.Arrive(Peer.Ack(Irs + 6, ack: Iss + 1, len: 10)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 16)], notices: [Text(Peer.TagAt(Irs + 11), 5)]);
        Assert.Equal(5u, c.Ep.RcvBuffered);
    }

    [Fact]
    public void Text_beyond_rcv_nxt_is_held_and_acknowledged_with_rcv_nxt()
    {
        // In the window but not at its left edge: held (SHLD-31), not yet delivered; the ACK of
        // RCV.NXT (MAY-13) tells the peer what is missing.
        var c = At(Fixtures.Established());
        c.Arrive(Peer.Ack(Irs + 11, ack: Iss + 1, len: 10)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1)]);
        Assert.Equal(Irs + 1, c.Ep.RcvNxt);
        Assert.Equal(0u, c.Ep.RcvBuffered);
        Assert.Equal((Irs + 11, 10u, Peer.TagAt(Irs + 11)), (c.Ep.HeldSeq, c.Ep.HeldLen, c.Ep.HeldTag));
    }

    [Fact]
    public void Fin_ack_in_order_enters_close_wait()
    {
        // Eighth: signal "connection closing", advance RCV.NXT over the FIN, acknowledge it, CLOSE-WAIT.
        var c = At(Fixtures.Established());
        c.Arrive(Peer.FinAck(Irs + 1, ack: Iss + 1)).Is(Row(TcpState.Established, TcpEvent.FinAck), TcpState.CloseWait,
            sent: [Ack(Iss + 1, Irs + 2)], notices: [Note(NoticeKind.RemoteClosing)]);
        EndpointAssert.Equal(Fixtures.CloseWait(), c.Ep);
    }

    [Fact]
    public void Fin_ack_with_text_takes_both_and_acknowledges_once()
    {
        // MUST-58: the acknowledgments of the text and of the FIN are aggregated into one segment.
        var c = At(Fixtures.Established());
        c.Arrive(Peer.FinAck(Irs + 1, ack: Iss + 1, len: 10)).Is(Row(TcpState.Established, TcpEvent.FinAck), TcpState.CloseWait,
            sent: [Ack(Iss + 1, Irs + 12)], notices: [Text(Peer.TagAt(Irs + 1), 10), Note(NoticeKind.RemoteClosing)]);
    }

    [Fact]
    public void Fin_ack_beyond_rcv_nxt_is_acknowledged_but_its_fin_not_processed()
    {
        var c = At(Fixtures.Established());
        c.Arrive(Peer.FinAck(Irs + 11, ack: Iss + 1)).Is(Row(TcpState.Established, TcpEvent.FinAck, "!InOrder"), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1)]);
        Assert.Equal(Irs + 1, c.Ep.RcvNxt);
        Assert.False(c.Ep.Has(EndpointFlags.FinReceived));
    }

    [Fact]
    public void Fin_past_the_window_is_not_processed_but_the_text_in_the_window_is()
    {
        // The text fills RCV.WND exactly, so the FIN (SEG.SEQ + SEG.LEN - 1) lies beyond the window
        // and is trimmed off (§3.10.7.4 first): take the 8192 octets, acknowledge them, stay.
        var c = At(Fixtures.Established());
        c.Arrive(Peer.FinAck(Irs + 1, ack: Iss + 1, len: Fixtures.Window)).Is(Row(TcpState.Established, TcpEvent.FinAck, "!InOrder"), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 1 + Fixtures.Window)], notices: [Text(Peer.TagAt(Irs + 1), Fixtures.Window)]);
        Assert.False(c.Ep.Has(EndpointFlags.FinReceived));
    }

    [Fact]
    public void Close_sends_fin_and_enters_fin_wait_1()
    {
        // §3.10.4 ESTABLISHED: form a FIN segment and send it, enter FIN-WAIT-1.
        var c = At(Fixtures.Established());
        c.Close().Is(Row(TcpState.Established, TcpEvent.Close), TcpState.FinWait1,
            sent: [FinAck(Iss + 1, Irs + 1)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        EndpointAssert.Equal(Fixtures.FinWait1(), c.Ep);
    }

    [Fact]
    public void Close_sends_the_fin_after_all_queued_data()
    {
        // §3.10.4: "Queue this until all preceding SENDs have been segmentized, then form a FIN".
        var start = Fixtures.Established();
        start.SndWnd = 0;
        var c = At(start);
        c.Send(10).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established, timers: [Arm(TimerKind.Persist, Rto)]);
        c.Close().Is(Row(TcpState.Established, TcpEvent.Close), TcpState.FinWait1);
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1)).Is(Row(TcpState.FinWait1, TcpEvent.Ack), TcpState.FinWait1,
            sent: [Psh(Iss + 1, Irs + 1, len: 10), FinAck(Iss + 11, Irs + 1)],
            timers: [Cancel(TimerKind.Persist), Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(Iss + 12, c.Ep.SndNxt);
    }

    [Fact]
    public void Close_sends_data_and_fin_together_when_the_window_allows()
    {
        var c = At(Fixtures.Established());
        c.Send(10).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Psh(Iss + 1, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        c.Close().Is(Row(TcpState.Established, TcpEvent.Close), TcpState.FinWait1, sent: [FinAck(Iss + 11, Irs + 1)]);
    }

    [Fact]
    public void Receive_hands_over_buffered_text()
    {
        var c = At(Fixtures.Established().WithBuffered(10));
        c.Receive(4).Is(Row(TcpState.Established, TcpEvent.Receive), TcpState.Established, notices: [Delivered(4)]);
        c.Receive().Is(Row(TcpState.Established, TcpEvent.Receive), TcpState.Established, notices: [Delivered(6)]);
        Assert.Equal(0u, c.Ep.RcvBuffered);
    }

    [Fact]
    public void Receive_with_nothing_buffered_is_queued()
    {
        // §3.10.3 ESTABLISHED: "If insufficient incoming segments are queued ..., queue the request."
        var c = At(Fixtures.Established());
        c.Receive().Is(Row(TcpState.Established, TcpEvent.Receive), TcpState.Established, notices: [Note(NoticeKind.ReceiveQueued)]);
    }

    [Fact]
    public void Abort_with_data_in_flight_sends_rst_at_snd_nxt()
    {
        var c = At(Fixtures.Established());
        c.Send(10).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Psh(Iss + 1, Irs + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        c.Abort().Is(Row(TcpState.Established, TcpEvent.Abort), TcpState.Closed,
            sent: [Rst(Iss + 11)], timers: [Cancel(TimerKind.Retransmit)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }
}
