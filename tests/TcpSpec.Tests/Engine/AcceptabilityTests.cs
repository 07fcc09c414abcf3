using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// RFC 9293 §3.10.7.4 first, Table 6: the four acceptability cases (segment length 0 or not,
/// receive window 0 or not), at their edges, in ESTABLISHED (RCV.NXT = 301, RCV.WND = 8192 or 0).
/// An acceptable segment reaches the ACK processing; an unacceptable one is answered with
/// &lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt; and dropped.
/// </summary>
public class AcceptabilityTests : EngineTest
{
    private const uint RcvNxt = Irs + 1;
    private const uint WindowEnd = RcvNxt + Fixtures.Window;

    private static Conn ZeroWindow()
    {
        var ep = Fixtures.Established();
        ep.RcvWnd = 0;
        return At(ep);
    }

    [Theory]
    [InlineData(RcvNxt)]
    [InlineData(WindowEnd - 1)]
    public void Empty_segment_inside_the_window_is_acceptable(uint seq)
    {
        // Length 0, window > 0: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND.
        var c = At(Fixtures.Established());
        c.Arrive(Peer.Ack(seq, ack: Iss + 1)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established);
    }

    [Theory]
    [InlineData(RcvNxt - 1)]
    [InlineData(WindowEnd)]
    public void Empty_segment_outside_the_window_is_not(uint seq)
    {
        var c = At(Fixtures.Established());
        c.Arrive(Peer.Ack(seq, ack: Iss + 1)).Is(Row(TcpState.Established, TcpEvent.Ack, "!SeqAcceptable"), TcpState.Established,
            sent: [Ack(Iss + 1, RcvNxt)]);
    }

    [Fact]
    public void Empty_segment_at_rcv_nxt_is_acceptable_in_a_zero_window()
    {
        // Length 0, window 0: SEG.SEQ = RCV.NXT.
        var c = ZeroWindow();
        c.Arrive(Peer.Ack(RcvNxt, ack: Iss + 1, window: 99)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established);
        Assert.Equal(99, c.Ep.SndWnd); // the ACK field was processed
    }

    [Fact]
    public void Empty_segment_past_rcv_nxt_is_not_acceptable_in_a_zero_window()
    {
        var c = ZeroWindow();
        c.Arrive(Peer.Ack(RcvNxt + 1, ack: Iss + 1)).Is(Row(TcpState.Established, TcpEvent.Ack, "!SeqAcceptable"), TcpState.Established,
            sent: [Ack(Iss + 1, RcvNxt)]);
    }

    [Fact]
    public void Text_is_never_acceptable_in_a_zero_window()
    {
        // Length > 0, window 0: not acceptable.
        var c = ZeroWindow();
        c.Arrive(Peer.Ack(RcvNxt, ack: Iss + 1, len: 1)).Is(Row(TcpState.Established, TcpEvent.Ack, "!SeqAcceptable"), TcpState.Established,
            sent: [Ack(Iss + 1, RcvNxt)]);
        Assert.Equal(RcvNxt, c.Ep.RcvNxt);
    }

    [Fact]
    public void Rst_at_rcv_nxt_is_accepted_in_a_zero_window()
    {
        // "special allowance should be made to accept valid ACKs, URGs, and RSTs".
        var c = ZeroWindow();
        c.Arrive(Peer.Rst(RcvNxt)).Is(Row(TcpState.Established, TcpEvent.Rst), TcpState.Closed,
            notices: [Note(NoticeKind.ConnectionReset)]);
    }

    [Fact]
    public void Text_whose_last_octet_is_in_the_window_is_acceptable()
    {
        // Length > 0, window > 0: RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND. With 10 octets
        // already taken (RCV.NXT = 311), 306..315 arrive: acceptable, and its new part 311..315 taken.
        var start = Fixtures.Established();
        start.RcvNxt = RcvNxt + 10;
        var c = At(start);
        c.Arrive(Peer.Ack(RcvNxt + 5, ack: Iss + 1, len: 10)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            sent: [Ack(Iss + 1, RcvNxt + 15)], notices: [Text(Peer.TagAt(RcvNxt + 10), 5)]);
    }

    [Fact]
    public void Text_whose_first_octet_is_the_last_of_the_window_is_acceptable()
    {
        // RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND; it starts beyond RCV.NXT, so it is acknowledged, not taken.
        var c = At(Fixtures.Established());
        c.Arrive(Peer.Ack(WindowEnd - 1, ack: Iss + 1, len: 10)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            sent: [Ack(Iss + 1, RcvNxt)]);
        Assert.Equal(RcvNxt, c.Ep.RcvNxt);
    }

    [Fact]
    public void Text_ending_just_before_rcv_nxt_is_not_acceptable()
    {
        var c = At(Fixtures.Established());
        c.Arrive(Peer.Ack(RcvNxt - 10, ack: Iss + 1, len: 10)).Is(Row(TcpState.Established, TcpEvent.Ack, "!SeqAcceptable"), TcpState.Established,
            sent: [Ack(Iss + 1, RcvNxt)]);
    }

    [Fact]
    public void Text_starting_at_the_window_end_is_not_acceptable()
    {
        var c = At(Fixtures.Established());
        c.Arrive(Peer.Ack(WindowEnd, ack: Iss + 1, len: 10)).Is(Row(TcpState.Established, TcpEvent.Ack, "!SeqAcceptable"), TcpState.Established,
            sent: [Ack(Iss + 1, RcvNxt)]);
    }
}
