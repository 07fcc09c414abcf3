using TcpSpec.Tests.Scenarios.Harness;

namespace TcpSpec.Tests.Scenarios;

/// <summary>
/// RFC 9293 §3.6 case 1 and §3.10.7.4 seventh: after A's FIN the connection is half-closed; A
/// keeps receiving in FIN-WAIT-1 and FIN-WAIT-2 ("RECEIVEs are allowed in this state") until B
/// closes too, and every octet B sent arrives exactly once.
/// </summary>
public class HalfCloseTests
{
    [Fact]
    public void Closed_side_keeps_receiving_until_the_peer_closes()
    {
        var w = Wire.Established(issA: 100, issB: 300);
        w.A.Send(100);
        w.A.Close();
        Assert.Equal(TcpState.FinWait1, w.A.State);

        // B sends before it has seen A's FIN: A takes the text in FIN-WAIT-1.
        w.B.Send(200);
        var dataSeg = w.Take(w.A);
        var inFinWait1 = w.Deliver(w.A, dataSeg);
        Assert.Equal(TcpState.FinWait1, w.A.State);
        Assert.Contains(inFinWait1.Notices, n => n.Kind == NoticeKind.TextArrived && n.B == 200);

        w.DeliverAll(); // A's data and FIN reach B, the acknowledgments come back
        Assert.Equal(TcpState.FinWait2, w.A.State);
        Assert.Equal(TcpState.CloseWait, w.B.State);

        // The half-closed direction still carries text: B sends in CLOSE-WAIT, A receives in FIN-WAIT-2.
        for (int i = 0; i < 3; i++)
        {
            var send = w.B.Send(300);
            Assert.Equal(TcpState.CloseWait, w.B.State);
            Assert.Equal(300, send.Sent.Length);
            var arrival = w.Deliver(w.A);
            Assert.Equal(TcpState.FinWait2, w.A.State);
            Assert.Contains(arrival.Notices, n => n.Kind == NoticeKind.TextArrived && n.B == 300);
            w.Deliver(w.B); // the acknowledgment
        }
        Assert.Equal(1100u, w.A.Receive().Notices.Single(n => n.Kind == NoticeKind.Delivered).B);

        // A cannot send any more.
        Assert.True(w.A.Send(1).Notified(NoticeKind.ErrorClosing));

        w.B.Send(50);
        w.B.Close();
        Assert.Equal(TcpState.LastAck, w.B.State);
        w.DeliverAll();
        Assert.Equal(TcpState.TimeWait, w.A.State);
        Assert.Equal(TcpState.Closed, w.B.State);

        // What arrived last is still handed to the user in TIME-WAIT.
        Assert.Equal(50u, w.A.Receive().Notices.Single(n => n.Kind == NoticeKind.Delivered).B);
        Assert.True(w.A.Receive().Notified(NoticeKind.ErrorClosing));

        TextStream.AssertDelivered(w.A, w.B);
        TextStream.AssertDelivered(w.B, w.A);
        Assert.Equal(w.B.Written, TextStream.ReceivedByUser(w.A));
    }

    [Fact]
    public void Lost_and_duplicated_segments_after_the_first_fin_still_arrive_exactly_once()
    {
        var w = Wire.Established(issA: 100, issB: 300);
        w.A.Close();
        w.DeliverAll();
        Assert.Equal(TcpState.FinWait2, w.A.State);
        Assert.Equal(TcpState.CloseWait, w.B.State);

        w.B.Send(1200); // three segments: 536, 536, 128
        Assert.Equal(3, w.InFlightTo(w.A).Count);
        var first = w.Take(w.A);
        w.Drop(w.A);
        var third = w.Take(w.A);
        w.Deliver(w.A, first);
        w.Deliver(w.A, first); // duplicate: acknowledged, not taken twice
        w.Deliver(w.A, third); // beyond RCV.NXT: acknowledged and discarded
        Assert.Equal(301u + 536u, w.A.Endpoint.RcvNxt);
        w.DeliverAll();

        // B retransmits from SND.UNA (536), one segment per timeout.
        while (w.B.Endpoint.SndUna != w.B.Endpoint.SndNxt)
        {
            w.B.Expire(TimerKind.Retransmit);
            w.DeliverAll();
        }
        Assert.Equal(TcpState.FinWait2, w.A.State);

        w.B.Close();
        w.DeliverAll();
        Assert.Equal(TcpState.TimeWait, w.A.State);
        Assert.Equal(TcpState.Closed, w.B.State);
        Assert.Equal(new[] { (0u, 536u), (536u, 536u), (1072u, 128u) }, TextStream.Chunks(w.B, w.A));
        TextStream.AssertDelivered(w.B, w.A);
    }
}
