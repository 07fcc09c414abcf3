using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// Sequence numbers are modulo 2^32 (RFC 9293 §3.4): every comparison must hold across the wrap.
/// These connections sit a few octets below 2^32 so that SYN, text, FIN and windows cross it.
/// </summary>
public class WrapAroundTests : EngineTest
{
    private const uint Top = uint.MaxValue; // 2^32 - 1

    /// <summary>ESTABLISHED with SND.NXT = 2^32 - 3 (ISS = 2^32 - 4) and RCV.NXT = 2^32 - 5 (IRS = 2^32 - 6).</summary>
    private const uint LocalIss = Top - 3;
    private const uint RemoteIss = Top - 5;

    private static Endpoint Established() => Fixtures.Established(LocalIss, RemoteIss);

    [Fact]
    public void Syn_at_the_top_of_the_space_is_acknowledged_past_it()
    {
        var c = At(Fixtures.Closed(iss: Top));
        c.OpenActive().Is(Row(TcpState.Closed, TcpEvent.OpenActive), TcpState.SynSent,
            sent: [Syn(Top)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(0u, c.Ep.SndNxt); // ISS + 1 wraps to 0

        // ISS < SEG.ACK =< SND.NXT holds for SEG.ACK = 0.
        c.Arrive(Peer.SynAck(Top, ack: 0)).Is(Row(TcpState.SynSent, TcpEvent.SynAck), TcpState.Established,
            sent: [Ack(0, 0)], timers: [Cancel(TimerKind.Retransmit)]);
        Assert.Equal(0u, c.Ep.SndUna);
        Assert.Equal(0u, c.Ep.RcvNxt);
    }

    [Fact]
    public void Syn_ack_acknowledging_iss_at_the_top_is_refused()
    {
        var c = At(Fixtures.SynSent(iss: Top));
        c.Arrive(Peer.SynAck(RemoteIss, ack: Top)).Is(Row(TcpState.SynSent, TcpEvent.SynAck, "!AckAcceptable"), TcpState.SynSent,
            sent: [Rst(Top)]);
    }

    [Fact]
    public void Closed_answers_a_syn_at_the_top_with_an_ack_of_zero()
    {
        var c = At(Fixtures.Closed());
        c.Arrive(Peer.Syn(Top)).Is(Row(TcpState.Closed, TcpEvent.Syn), TcpState.Closed, sent: [RstAck(0, 0)]);
    }

    [Fact]
    public void Text_crossing_the_wrap_is_accepted()
    {
        // RCV.NXT = 2^32 - 5; 10 octets take it to 5.
        var c = At(Established());
        c.Arrive(Peer.Ack(RemoteIss + 1, ack: LocalIss + 1, len: 10)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            sent: [Ack(LocalIss + 1, 5)], notices: [Text(Peer.TagAt(RemoteIss + 1), 10)]);
        Assert.Equal(5u, c.Ep.RcvNxt);
    }

    [Fact]
    public void Data_sent_across_the_wrap_is_acknowledged_across_it()
    {
        // SND.NXT = 2^32 - 3; 10 octets take it to 7; SEG.ACK = 7 is acceptable (SND.UNA < 7 =< SND.NXT).
        var c = At(Established());
        c.Send(10).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Psh(LocalIss + 1, RemoteIss + 1, len: 10)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(7u, c.Ep.SndNxt);
        c.Arrive(Peer.Ack(RemoteIss + 1, ack: 7)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            timers: [Cancel(TimerKind.Retransmit)]);
        Assert.Equal(7u, c.Ep.SndUna);
    }

    [Fact]
    public void Ack_beyond_snd_nxt_across_the_wrap_is_of_unsent_data()
    {
        var c = At(Established());
        c.Arrive(Peer.Ack(RemoteIss + 1, ack: 3)).Is(Row(TcpState.Established, TcpEvent.Ack, "AckOfUnsent"), TcpState.Established,
            sent: [Ack(LocalIss + 1, RemoteIss + 1)]);
    }

    [Fact]
    public void Rst_in_the_window_past_the_wrap_draws_a_challenge_ack()
    {
        var c = At(Established());
        c.Arrive(Peer.Rst(3)).Is(Row(TcpState.Established, TcpEvent.Rst, "!RstExact"), TcpState.Established,
            sent: [Ack(LocalIss + 1, RemoteIss + 1)]);
    }

    [Fact]
    public void Rst_exactly_at_rcv_nxt_below_the_wrap_resets()
    {
        var c = At(Established());
        c.Arrive(Peer.Rst(RemoteIss + 1)).Is(Row(TcpState.Established, TcpEvent.Rst), TcpState.Closed,
            notices: [Note(NoticeKind.ConnectionReset)]);
    }

    [Fact]
    public void Old_segment_below_the_wrap_is_acknowledged()
    {
        var c = At(Established());
        c.Arrive(Peer.Ack(RemoteIss - 20, ack: LocalIss + 1, len: 10)).Is(Row(TcpState.Established, TcpEvent.Ack, "!SeqAcceptable"), TcpState.Established,
            sent: [Ack(LocalIss + 1, RemoteIss + 1)]);
    }

    [Fact]
    public void Fin_at_the_wrap_closes_and_is_acknowledged_at_zero()
    {
        // The peer's FIN occupies 2^32 - 1: RCV.NXT becomes 0.
        var start = Established();
        start.RcvNxt = Top;
        var c = At(start);
        c.Arrive(Peer.FinAck(Top, ack: LocalIss + 1)).Is(Row(TcpState.Established, TcpEvent.FinAck), TcpState.CloseWait,
            sent: [Ack(LocalIss + 1, 0)], notices: [Note(NoticeKind.RemoteClosing)]);
        Assert.Equal(0u, c.Ep.RcvNxt);
    }

    [Fact]
    public void Our_fin_across_the_wrap_is_recognized_when_acknowledged()
    {
        // Our FIN sits at 2^32 - 1, SND.NXT = 0: SEG.ACK = 0 acknowledges it.
        var c = At(Fixtures.FinWait1(iss: Top - 1, irs: RemoteIss));
        Assert.Equal(0u, c.Ep.SndNxt);
        c.Arrive(Peer.Ack(RemoteIss + 1, ack: 0)).Is(Row(TcpState.FinWait1, TcpEvent.Ack, "FinAcked"), TcpState.FinWait2,
            timers: [Cancel(TimerKind.Retransmit)]);
    }
}
