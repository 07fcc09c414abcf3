using TcpSpec.Protocol;
using TcpSpec.Tests.Scenarios.Harness;

namespace TcpSpec.Tests.Scenarios;

/// <summary>RFC 9293 §3.10.5 ABORT, §3.10.7.1 and §3.10.7.3: resets end connections and refuse them.</summary>
public class ResetTests
{
    [Fact]
    public void Abort_sends_a_reset_and_the_peer_is_told_connection_reset()
    {
        var w = Wire.Established(issA: 100, issB: 300);
        w.A.Send(30);
        w.B.Send(40);
        w.DeliverAll();

        // ABORT in ESTABLISHED: <SEQ=SND.NXT><CTL=RST>, and the TCB is gone.
        var abort = w.A.Abort();
        Assert.Equal("<SEQ=131><CTL=RST>", abort.Sent.ToString());
        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.Equal(TimerKind.None, w.A.Endpoint.Timers);

        var atB = w.Deliver(w.B);
        Assert.Equal(TcpState.Closed, w.B.State);
        Assert.True(atB.Notified(NoticeKind.ConnectionReset));
        Assert.Empty(atB.Segments); // a reset is never answered
        w.AssertQuiet();

        TextStream.AssertDelivered(w.A, w.B);
        TextStream.AssertDelivered(w.B, w.A);
    }

    [Fact]
    public void Abort_with_unacknowledged_data_in_flight_resets_the_peer()
    {
        var w = Wire.Established(issA: 100, issB: 300);
        w.A.Send(30);
        var lost = w.Drop(w.B);
        Assert.Equal(30, lost.Length);

        Assert.Equal("<SEQ=131><CTL=RST>", w.A.Abort().Sent.ToString());
        // The reset is at SND.NXT, past the lost text, so B does not accept it blindly (RFC 5961 §3.2):
        // it answers with a challenge ACK, which the CLOSED A resets at exactly B's RCV.NXT.
        var challenge = w.Deliver(w.B);
        Assert.Equal(TcpState.Established, w.B.State);
        Assert.Equal("<SEQ=301><ACK=101><CTL=ACK>", challenge.Sent.ToString());
        var reply = w.Deliver(w.A);
        Assert.Equal("<SEQ=101><CTL=RST>", reply.Sent.ToString());
        var atB = w.Deliver(w.B);
        Assert.Equal(TcpState.Closed, w.B.State);
        Assert.True(atB.Notified(NoticeKind.ConnectionReset));
        Assert.Empty(TextStream.Chunks(w.A, w.B));
    }

    [Fact]
    public void Connect_to_a_closed_port_is_reset_and_the_user_told()
    {
        var w = new Wire(issA: 100, issB: 300); // B never OPENs

        Assert.Equal("<SEQ=100><CTL=SYN>", w.A.OpenActive().Sent.ToString());
        var atB = w.Deliver(w.B);
        Assert.Equal(TcpState.Closed, w.B.State);

        // §3.10.7.1: the SYN has no ACK, so <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
        Assert.Equal("<SEQ=0><ACK=101><CTL=RST,ACK>", atB.Sent.ToString());
        var atA = w.Deliver(w.A);

        // §3.10.7.3: the ACK is acceptable, so "error: connection reset", CLOSED.
        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.Equal(new Notice(NoticeKind.ConnectionReset), Assert.Single(atA.Notices));
        Assert.Equal(TimerKind.None, w.A.Endpoint.Timers);
        Assert.Empty(atA.Segments);
        w.AssertQuiet();
        TextStream.AssertDelivered(w.A, w.B); // nothing was sent, nothing arrived
    }

    [Fact]
    public void A_reset_that_does_not_acknowledge_our_syn_is_ignored_in_syn_sent()
    {
        var w = new Wire(issA: 100, issB: 300);
        w.A.OpenActive();
        var syn = w.Take(w.B);
        var stale = w.Deliver(w.A, new Segment(0, 100, TcpFlags.Rst | TcpFlags.Ack, 0, 0));
        Assert.Equal(TcpState.SynSent, w.A.State);
        Assert.Empty(stale.Notices);

        w.B.OpenPassive();
        w.Deliver(w.B, syn);
        w.DeliverAll();
        Assert.Equal(TcpState.Established, w.A.State);
    }
}
