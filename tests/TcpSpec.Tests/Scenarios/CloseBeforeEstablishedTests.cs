using TcpSpec.Tests.Scenarios.Harness;

namespace TcpSpec.Tests.Scenarios;

/// <summary>RFC 9293 §3.10.4: CLOSE before the connection is established.</summary>
public class CloseBeforeEstablishedTests
{
    [Fact]
    public void Close_in_syn_received_without_sends_sends_the_fin_at_once()
    {
        var w = new Wire(issA: 100, issB: 300);
        w.B.OpenPassive();
        w.A.OpenActive();
        w.Deliver(w.B);
        w.Take(w.A); // the SYN,ACK is held in the network

        // "If no SENDs have been issued and there is no pending data to send, then form a FIN
        // segment and send it, and enter FIN-WAIT-1 state."
        var close = w.B.Close();
        Assert.Equal(TcpState.FinWait1, w.B.State);
        Assert.Equal("<SEQ=301><ACK=101><CTL=FIN,ACK>", close.Sent.ToString());
    }

    [Fact]
    public void Close_in_syn_received_after_a_send_waits_for_established_then_sends_the_data_and_the_fin()
    {
        var w = new Wire(issA: 100, issB: 300);
        w.B.OpenPassive();
        w.A.OpenActive();
        w.Deliver(w.B);
        Assert.Equal(TcpState.SynReceived, w.B.State);
        w.B.Send(100);

        // "...otherwise, queue for processing after entering ESTABLISHED state."
        var close = w.B.Close();
        Assert.Empty(close.Segments);
        Assert.Equal(TcpState.SynReceived, w.B.State);

        w.Deliver(w.A); // the SYN,ACK
        var established = w.Deliver(w.B); // A's ACK: B is ESTABLISHED, then the queued CLOSE runs
        Assert.Equal(new[] { "<SEQ=301><ACK=101><CTL=PSH,ACK><DATA=100>", "<SEQ=401><ACK=101><CTL=FIN,ACK>" },
            established.Segments.Select(s => s.ToString()));
        Assert.Equal(TcpState.FinWait1, w.B.State);

        w.DeliverAll();
        Assert.Equal(TcpState.FinWait2, w.B.State);
        Assert.Equal(TcpState.CloseWait, w.A.State);
        TextStream.AssertDelivered(w.B, w.A);
    }

    [Fact]
    public void Close_in_syn_sent_deletes_the_tcb()
    {
        var w = new Wire(issA: 100, issB: 300);
        w.A.OpenActive();
        var close = w.A.Close();
        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.Empty(close.Segments);
        Assert.Equal(TimerKind.None, w.A.Endpoint.Timers);

        // The SYN still in the network reaches a listener, whose SYN,ACK the CLOSED A resets: B listens again.
        w.B.OpenPassive();
        w.Deliver(w.B);
        Assert.Equal("<SEQ=101><CTL=RST>", w.Deliver(w.A).Sent.ToString());
        w.Deliver(w.B);
        Assert.Equal(TcpState.Listen, w.B.State);
        w.AssertQuiet();
    }
}
