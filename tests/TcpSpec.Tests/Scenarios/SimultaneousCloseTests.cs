using TcpSpec.Tests.Scenarios.Harness;

namespace TcpSpec.Tests.Scenarios;

/// <summary>RFC 9293 §3.6 Figure 13: both users CLOSE at once; both pass CLOSING and TIME-WAIT.</summary>
public class SimultaneousCloseTests
{
    [Fact]
    public void Figure13_simultaneous_close_sequence()
    {
        // 1. ESTABLISHED / ESTABLISHED, A's SND.NXT = 100, B's = 300.
        var w = Wire.Established(issA: 99, issB: 299);

        // 2. (Close) (Close): FIN-WAIT-1 on both sides, the FINs cross.
        Assert.Equal("<SEQ=100><ACK=300><CTL=FIN,ACK>", w.A.Close().Sent.ToString());
        Assert.Equal("<SEQ=300><ACK=100><CTL=FIN,ACK>", w.B.Close().Sent.ToString());
        Assert.Equal(TcpState.FinWait1, w.A.State);
        Assert.Equal(TcpState.FinWait1, w.B.State);

        // 3. CLOSING --> <SEQ=101><ACK=301><CTL=ACK> ... CLOSING
        //            <-- <SEQ=301><ACK=101><CTL=ACK> <--
        var atA = w.Deliver(w.A);
        var atB = w.Deliver(w.B);
        Assert.Equal(TcpState.Closing, w.A.State);
        Assert.Equal(TcpState.Closing, w.B.State);
        Assert.True(atA.Notified(NoticeKind.RemoteClosing));
        Assert.True(atB.Notified(NoticeKind.RemoteClosing));
        Assert.Equal("<SEQ=101><ACK=301><CTL=ACK>", atA.Sent.ToString());
        Assert.Equal("<SEQ=301><ACK=101><CTL=ACK>", atB.Sent.ToString());

        // 4. TIME-WAIT (2 MSL) CLOSED on both sides.
        var ackAtA = w.Deliver(w.A);
        var ackAtB = w.Deliver(w.B);
        Assert.Equal(TcpState.TimeWait, w.A.State);
        Assert.Equal(TcpState.TimeWait, w.B.State);
        Assert.Empty(ackAtA.Segments);
        Assert.Empty(ackAtB.Segments);
        Assert.Equal(2 * TcpConfig.Default.MslMs, ackAtA.Armed(TimerKind.TimeWait));
        Assert.Equal(2 * TcpConfig.Default.MslMs, ackAtB.Armed(TimerKind.TimeWait));
        Assert.Equal(TimerKind.TimeWait, w.A.Endpoint.Timers); // the retransmission timer is off
        Assert.Equal(TimerKind.TimeWait, w.B.Endpoint.Timers);
        w.AssertQuiet();

        w.A.Expire(TimerKind.TimeWait);
        w.B.Expire(TimerKind.TimeWait);
        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.Equal(TcpState.Closed, w.B.State);
        TextStream.AssertDelivered(w.A, w.B); // no text either way
        TextStream.AssertDelivered(w.B, w.A);
    }

    [Fact]
    public void Simultaneous_close_with_text_in_flight_both_ways_delivers_it_all()
    {
        var w = Wire.Established(issA: 100, issB: 300);
        w.A.Send(600);
        w.B.Send(250);
        w.A.Close();
        w.B.Close();
        Assert.Equal(TcpState.FinWait1, w.A.State);
        Assert.Equal(TcpState.FinWait1, w.B.State);
        w.DeliverAll();
        Assert.Equal(TcpState.TimeWait, w.A.State);
        Assert.Equal(TcpState.TimeWait, w.B.State);
        Assert.Contains(w.A.Steps, s => s.After == TcpState.Closing);
        Assert.Contains(w.B.Steps, s => s.After == TcpState.Closing);
        TextStream.AssertDelivered(w.A, w.B);
        TextStream.AssertDelivered(w.B, w.A);
        Assert.Equal(250u, w.A.Receive().Notices.Single(n => n.Kind == NoticeKind.Delivered).B);
        Assert.Equal(600u, w.B.Receive().Notices.Single(n => n.Kind == NoticeKind.Delivered).B);
    }
}
