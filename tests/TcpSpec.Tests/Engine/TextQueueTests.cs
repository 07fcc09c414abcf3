using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// Text that cannot be accepted yet is held: text on a SYN until the connection is established
/// (RFC 9293 §3.10.7.2 third, §3.10.7.3 fourth), text beyond RCV.NXT until the gap before it is
/// filled (§3.10.7.4 first, SHLD-31).
/// </summary>
public class TextQueueTests : EngineTest
{
    [Fact]
    public void Text_on_a_syn_in_listen_is_held_and_delivered_once_established()
    {
        var c = At(Fixtures.Listen());
        c.Arrive(Peer.Syn(Irs, len: 5)).Is(Row(TcpState.Listen, TcpEvent.Syn), TcpState.SynReceived,
            sent: [SynAck(Iss, Irs + 1)], timers: [Arm(TimerKind.Retransmit, Rto)]); // the SYN,ACK acknowledges the SYN only
        Assert.Equal((Irs + 1, 5u), (c.Ep.HeldSeq, c.Ep.HeldLen));
        Assert.Equal(0u, c.Ep.RcvBuffered);
        c.Receive().Is(Row(TcpState.SynReceived, TcpEvent.Receive), TcpState.SynReceived, notices: [Note(NoticeKind.ReceiveQueued)]);

        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1)).Is(Row(TcpState.SynReceived, TcpEvent.Ack), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 6)], timers: [Cancel(TimerKind.Retransmit)], notices: [Text(Peer.TagAt(Irs + 1), 5)]);
        Assert.Equal(0u, c.Ep.HeldLen);
        c.Receive().Is(Row(TcpState.Established, TcpEvent.Receive), TcpState.Established, notices: [Delivered(5)]);
    }

    [Fact]
    public void Text_held_on_a_syn_is_not_delivered_when_the_handshake_is_reset()
    {
        // An old duplicate SYN's text: the reset that returns SYN-RECEIVED to LISTEN discards it.
        var c = At(Fixtures.Listen());
        c.Arrive(Peer.Syn(Irs, len: 5));
        c.Arrive(Peer.Rst(Irs + 1)).Is(Row(TcpState.SynReceived, TcpEvent.Rst, "PassiveOpen"), TcpState.Listen,
            timers: [Cancel(TimerKind.Retransmit)]);
        Assert.Equal((0u, 0u, 0u), (c.Ep.HeldSeq, c.Ep.HeldLen, c.Ep.RcvBuffered));
    }

    [Fact]
    public void Text_on_a_crossing_syn_is_held_and_taken_with_the_syn_ack()
    {
        // Simultaneous open (Figure 7): the SYN's text waits in SYN-RECEIVED for ESTABLISHED.
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.Syn(Irs, len: 3)).Is(Row(TcpState.SynSent, TcpEvent.Syn), TcpState.SynReceived, sent: [SynAck(Iss, Irs + 1)]);
        Assert.Equal((Irs + 1, 3u), (c.Ep.HeldSeq, c.Ep.HeldLen));
        c.Arrive(Peer.SynAck(Irs, ack: Iss + 1)).Is(Row(TcpState.SynReceived, TcpEvent.SynAck, "CompletesSimultaneousOpen"), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 4)], timers: [Cancel(TimerKind.Retransmit)], notices: [Text(Peer.TagAt(Irs + 1), 3)]);
    }

    [Fact]
    public void Text_on_a_syn_ack_is_accepted_at_once()
    {
        // §3.10.7.3 fourth: SYN-SENT → ESTABLISHED, then the text is processed (seventh).
        var c = At(Fixtures.SynSent());
        c.Arrive(Peer.SynAck(Irs, ack: Iss + 1, len: 5)).Is(Row(TcpState.SynSent, TcpEvent.SynAck), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 6)], timers: [Cancel(TimerKind.Retransmit)], notices: [Text(Peer.TagAt(Irs + 1), 5)]);
        Assert.Equal(5u, c.Ep.RcvBuffered);
    }

    [Fact]
    public void The_segment_that_fills_the_gap_delivers_the_held_text_after_it()
    {
        var c = At(Fixtures.Established());
        c.Arrive(Peer.Ack(Irs + 11, ack: Iss + 1, len: 10));
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, len: 10)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            sent: [Ack(Iss + 1, Irs + 21)], notices: [Text(Peer.TagAt(Irs + 1), 10), Text(Peer.TagAt(Irs + 11), 10)]);
        Assert.Equal((Irs + 21, 20u, 0u), (c.Ep.RcvNxt, c.Ep.RcvBuffered, c.Ep.HeldLen));
    }

    [Fact]
    public void Adjacent_held_segments_join_one_block_and_a_nearer_one_replaces_a_farther()
    {
        var c = At(Fixtures.Established());
        c.Arrive(Peer.Ack(Irs + 21, ack: Iss + 1, len: 5));
        c.Arrive(Peer.Ack(Irs + 26, ack: Iss + 1, len: 5));
        Assert.Equal((Irs + 21, 10u), (c.Ep.HeldSeq, c.Ep.HeldLen));
        c.Arrive(Peer.Ack(Irs + 41, ack: Iss + 1, len: 5)); // a second block: not held
        Assert.Equal((Irs + 21, 10u), (c.Ep.HeldSeq, c.Ep.HeldLen));
        c.Arrive(Peer.Ack(Irs + 6, ack: Iss + 1, len: 5)); // nearer RCV.NXT: kept instead
        Assert.Equal((Irs + 6, 5u, Peer.TagAt(Irs + 6)), (c.Ep.HeldSeq, c.Ep.HeldLen, c.Ep.HeldTag));
    }

    [Fact]
    public void A_fin_ends_the_stream_and_discards_held_text_beyond_it()
    {
        var c = At(Fixtures.Established());
        c.Arrive(Peer.Ack(Irs + 21, ack: Iss + 1, len: 5));
        c.Arrive(Peer.FinAck(Irs + 1, ack: Iss + 1, len: 10)).Is(Row(TcpState.Established, TcpEvent.FinAck), TcpState.CloseWait,
            sent: [Ack(Iss + 1, Irs + 12)], notices: [Text(Peer.TagAt(Irs + 1), 10), Note(NoticeKind.RemoteClosing)]);
        Assert.Equal(0u, c.Ep.HeldLen);
    }
}
