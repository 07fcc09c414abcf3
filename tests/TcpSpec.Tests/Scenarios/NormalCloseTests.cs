using TcpSpec.Tests.Scenarios.Harness;

namespace TcpSpec.Tests.Scenarios;

/// <summary>RFC 9293 §3.6 Figure 12: A closes first, B follows; A waits 2 MSL in TIME-WAIT.</summary>
public class NormalCloseTests
{
    [Fact]
    public void Figure12_normal_close_sequence()
    {
        // 1. ESTABLISHED / ESTABLISHED, with A's SND.NXT = 100 and B's = 300 as in the figure.
        var w = Wire.Established(issA: 99, issB: 299);

        // 2. (Close) FIN-WAIT-1 --> <SEQ=100><ACK=300><CTL=FIN,ACK> --> CLOSE-WAIT
        var close = w.A.Close();
        Assert.Equal("<SEQ=100><ACK=300><CTL=FIN,ACK>", close.Sent.ToString());
        Assert.Equal(TcpState.FinWait1, w.A.State);
        var line2 = w.Deliver(w.B);
        Assert.Equal(TcpState.CloseWait, w.B.State);
        Assert.True(line2.Notified(NoticeKind.RemoteClosing));

        // 3. FIN-WAIT-2 <-- <SEQ=300><ACK=101><CTL=ACK> <-- CLOSE-WAIT
        Assert.Equal("<SEQ=300><ACK=101><CTL=ACK>", line2.Sent.ToString());
        w.Deliver(w.A);
        Assert.Equal(TcpState.FinWait2, w.A.State);

        // 4. (Close) TIME-WAIT <-- <SEQ=300><ACK=101><CTL=FIN,ACK> <-- LAST-ACK
        var closeB = w.B.Close();
        Assert.Equal("<SEQ=300><ACK=101><CTL=FIN,ACK>", closeB.Sent.ToString());
        Assert.Equal(TcpState.LastAck, w.B.State);
        var line4 = w.Deliver(w.A);
        Assert.Equal(TcpState.TimeWait, w.A.State);
        Assert.True(line4.Notified(NoticeKind.RemoteClosing));
        Assert.Equal(2 * TcpConfig.Default.MslMs, line4.Armed(TimerKind.TimeWait));

        // 5. TIME-WAIT --> <SEQ=101><ACK=301><CTL=ACK> --> CLOSED
        Assert.Equal("<SEQ=101><ACK=301><CTL=ACK>", line4.Sent.ToString());
        w.Deliver(w.B);
        Assert.Equal(TcpState.Closed, w.B.State);
        Assert.Equal(TimerKind.None, w.B.Endpoint.Timers);

        // 6. (2 MSL) CLOSED
        Assert.Equal(TcpState.TimeWait, w.A.State);
        var msl = w.A.Expire(TimerKind.TimeWait);
        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.Empty(msl.Segments);
        Assert.Equal(TimerKind.None, w.A.Endpoint.Timers);
        w.AssertQuiet();
        TextStream.AssertDelivered(w.A, w.B); // no text either way
        TextStream.AssertDelivered(w.B, w.A);
    }

    [Fact]
    public void Close_after_data_sends_the_data_then_the_fin_and_all_text_arrives()
    {
        var w = Wire.Established(issA: 99, issB: 299);
        w.A.Send(700);
        w.B.Send(50);
        w.A.Close();
        w.DeliverAll();
        Assert.Equal(TcpState.FinWait2, w.A.State);
        Assert.Equal(TcpState.CloseWait, w.B.State);
        w.B.Close();
        w.DeliverAll();
        Assert.Equal(TcpState.TimeWait, w.A.State);
        Assert.Equal(TcpState.Closed, w.B.State);
        w.A.Expire(TimerKind.TimeWait);
        Assert.Equal(TcpState.Closed, w.A.State);

        TextStream.AssertDelivered(w.A, w.B);
        TextStream.AssertDelivered(w.B, w.A);
    }
}
