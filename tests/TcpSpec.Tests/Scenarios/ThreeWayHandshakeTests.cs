using TcpSpec.Tests.Scenarios.Harness;

namespace TcpSpec.Tests.Scenarios;

/// <summary>RFC 9293 §3.5 Figure 6: the basic three-way handshake, then data on line 5.</summary>
public class ThreeWayHandshakeTests
{
    [Fact]
    public void Figure6_handshake_then_data()
    {
        var w = new Wire(issA: 100, issB: 300);

        // 1. CLOSED / LISTEN
        w.B.OpenPassive();
        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.Equal(TcpState.Listen, w.B.State);

        // 2. SYN-SENT --> <SEQ=100><CTL=SYN> --> SYN-RECEIVED
        var open = w.A.OpenActive();
        Assert.Equal("<SEQ=100><CTL=SYN>", open.Sent.ToString());
        Assert.Equal(TcpState.SynSent, w.A.State);
        Assert.True(open.Armed(TimerKind.Retransmit) > 0);
        var line2 = w.Deliver(w.B);
        Assert.Equal(TcpState.SynReceived, w.B.State);

        // 3. ESTABLISHED <-- <SEQ=300><ACK=101><CTL=SYN,ACK> <-- SYN-RECEIVED
        Assert.Equal("<SEQ=300><ACK=101><CTL=SYN,ACK>", line2.Sent.ToString());
        var line3 = w.Deliver(w.A);
        Assert.Equal(TcpState.Established, w.A.State);
        Assert.Contains(line3.Timers, t => t.Timer == TimerKind.Retransmit && !t.Arm);

        // 4. ESTABLISHED --> <SEQ=101><ACK=301><CTL=ACK> --> ESTABLISHED
        Assert.Equal("<SEQ=101><ACK=301><CTL=ACK>", line3.Sent.ToString());
        var line4 = w.Deliver(w.B);
        Assert.Equal(TcpState.Established, w.B.State);
        Assert.Empty(line4.Segments); // an ACK is not acknowledged

        // 5. ESTABLISHED --> <SEQ=101><ACK=301><CTL=ACK><DATA> --> ESTABLISHED
        var send = w.A.Send(10);
        Assert.Equal("<SEQ=101><ACK=301><CTL=PSH,ACK><DATA=10>", send.Sent.ToString());
        var line5 = w.Deliver(w.B);
        Assert.Equal(TcpState.Established, w.B.State);
        Assert.Equal("<SEQ=301><ACK=111><CTL=ACK>", line5.Sent.ToString());
        w.Deliver(w.A);
        w.AssertQuiet();

        Assert.Equal(111u, w.A.Endpoint.SndUna);
        Assert.Equal(TimerKind.None, w.A.Endpoint.Timers);
        TextStream.AssertDelivered(w.A, w.B);
        Assert.Equal(10u, w.B.Receive().Notices.Single(n => n.Kind == NoticeKind.Delivered).B);
    }

    [Fact]
    public void Data_flows_both_ways_and_arrives_once_in_order()
    {
        var w = Wire.Established(100, 300);
        w.A.Send(1000); // two segments at MSS 536
        w.B.Send(20);
        w.A.Send(7);
        w.DeliverAll();

        Assert.Equal(new[] { (0u, 536u), (536u, 464u), (1000u, 7u) }, TextStream.Chunks(w.A, w.B));
        TextStream.AssertDelivered(w.A, w.B);
        TextStream.AssertDelivered(w.B, w.A);
        Assert.Equal(w.A.Endpoint.SndNxt, w.A.Endpoint.SndUna);
        Assert.Equal(w.B.Endpoint.SndNxt, w.B.Endpoint.SndUna);
        Assert.Equal(101u + 1007u, w.B.Endpoint.RcvNxt);
    }
}
