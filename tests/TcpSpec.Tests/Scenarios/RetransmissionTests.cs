using TcpSpec.Tests.Scenarios.Harness;

namespace TcpSpec.Tests.Scenarios;

/// <summary>
/// RFC 9293 §3.10.8 and RFC 6298 §5: what is lost is retransmitted from SND.UNA when the
/// retransmission timer expires, and each expiry doubles the RTO (1 s initially, 60 s at most).
/// </summary>
public class RetransmissionTests
{
    [Fact]
    public void Lost_syn_is_retransmitted_with_exponential_backoff()
    {
        var w = new Wire(issA: 100, issB: 300);
        w.B.OpenPassive();
        Assert.Equal(1000, w.A.OpenActive().Armed(TimerKind.Retransmit));

        var rtos = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("<SEQ=100><CTL=SYN>", w.Drop(w.B).ToString());
            var again = w.A.Expire(TimerKind.Retransmit);
            Assert.Equal(TcpState.SynSent, w.A.State);
            Assert.Equal("<SEQ=100><CTL=SYN>", again.Sent.ToString());
            rtos.Add(again.Armed(TimerKind.Retransmit));
        }
        Assert.Equal(new[] { 2000, 4000, 8000 }, rtos);

        w.DeliverAll();
        Assert.Equal(TcpState.Established, w.A.State);
        Assert.Equal(TcpState.Established, w.B.State);
        Assert.Equal(0, w.A.Endpoint.Retries);
        Assert.Equal(TimerKind.None, w.A.Endpoint.Timers);
    }

    [Fact]
    public void Lost_syn_ack_is_retransmitted_by_the_passive_side()
    {
        var w = new Wire(issA: 100, issB: 300);
        w.B.OpenPassive();
        w.A.OpenActive();
        var synAck = w.Deliver(w.B);
        Assert.Equal("<SEQ=300><ACK=101><CTL=SYN,ACK>", synAck.Sent.ToString());
        Assert.Equal(1000, synAck.Armed(TimerKind.Retransmit));
        w.Drop(w.A);

        // B's timer fires before A's: the SYN,ACK again, with the RTO doubled (§3.10.8, RFC 6298 §5.5).
        var again = w.B.Expire(TimerKind.Retransmit);
        Assert.Equal(TcpState.SynReceived, w.B.State);
        Assert.Equal("<SEQ=300><ACK=101><CTL=SYN,ACK>", again.Sent.ToString());
        Assert.Equal(2000, again.Armed(TimerKind.Retransmit));
        Assert.Equal(1, w.B.Endpoint.Retries);

        // It completes the handshake; A's SYN never had to be retransmitted.
        var ack = w.Deliver(w.A);
        Assert.Equal(TcpState.Established, w.A.State);
        Assert.Equal("<SEQ=101><ACK=301><CTL=ACK>", ack.Sent.ToString());
        w.Deliver(w.B);
        Assert.Equal(TcpState.Established, w.B.State);
        Assert.Equal(0, w.B.Endpoint.Retries);
        Assert.Equal(TimerKind.None, w.B.Endpoint.Timers);
        Assert.Equal(TimerKind.None, w.A.Endpoint.Timers);
        Assert.DoesNotContain(w.A.Steps, s => s.Cause == "Retransmit timeout");
        w.AssertQuiet();

        w.A.Send(12);
        w.B.Send(34);
        w.DeliverAll();
        TextStream.AssertDelivered(w.A, w.B);
        TextStream.AssertDelivered(w.B, w.A);
    }

    [Fact]
    public void Lost_syn_ack_is_resent_at_once_for_the_retransmitted_syn()
    {
        var w = new Wire(issA: 100, issB: 300);
        w.B.OpenPassive();
        w.A.OpenActive();
        Assert.Equal("<SEQ=300><ACK=101><CTL=SYN,ACK>", w.Deliver(w.B).Sent.ToString());
        w.Drop(w.A);

        // A's timer fires before B's: A's SYN again. It is the SYN B already has (SEG.SEQ = IRS), so
        // B answers with its SYN,ACK at once rather than with the bare ACK of §3.10.7.4 first, which
        // A in SYN-SENT would drop (see the table's Deliberate choices). B's timer is left alone.
        var synAgain = w.A.Expire(TimerKind.Retransmit);
        Assert.Equal("<SEQ=100><CTL=SYN>", synAgain.Sent.ToString());
        Assert.Equal(2000, synAgain.Armed(TimerKind.Retransmit));
        var resent = w.Deliver(w.B);
        Assert.Equal(TcpState.SynReceived, w.B.State);
        Assert.Equal("<SEQ=300><ACK=101><CTL=SYN,ACK>", resent.Sent.ToString());
        Assert.Empty(resent.Timers);
        Assert.Equal(0, w.B.Endpoint.Retries);
        Assert.Equal(TimerKind.Retransmit, w.B.Endpoint.Timers);

        // The handshake completes without B's timer.
        var ack = w.Deliver(w.A);
        Assert.Equal(TcpState.Established, w.A.State);
        Assert.Equal("<SEQ=101><ACK=301><CTL=ACK>", ack.Sent.ToString());
        w.Deliver(w.B);
        Assert.Equal(TcpState.Established, w.B.State);
        Assert.Equal(TimerKind.None, w.A.Endpoint.Timers);
        Assert.Equal(TimerKind.None, w.B.Endpoint.Timers);
        Assert.DoesNotContain(w.B.Steps, s => s.Cause == "Retransmit timeout");
        w.AssertQuiet();

        w.A.Send(12);
        w.B.Send(34);
        w.DeliverAll();
        TextStream.AssertDelivered(w.A, w.B);
        TextStream.AssertDelivered(w.B, w.A);
    }

    [Fact]
    public void Syn_ack_resent_at_once_leaves_the_passive_sides_backoff()
    {
        // Both paths: B's timer retransmits its SYN,ACK (lost again), then A's retransmitted SYN
        // brings it at once; that answer is not a retransmission, so B's backoff stays where the
        // timer left it, and both SYN,ACKs reaching A is harmless.
        var w = new Wire(issA: 100, issB: 300);
        w.B.OpenPassive();
        w.A.OpenActive();
        w.Deliver(w.B);
        w.Drop(w.A);
        Assert.Equal(2000, w.B.Expire(TimerKind.Retransmit).Armed(TimerKind.Retransmit));
        var late = w.Take(w.A); // B's retransmission is held in the network

        w.A.Expire(TimerKind.Retransmit);
        var resent = w.Deliver(w.B);
        Assert.Equal("<SEQ=300><ACK=101><CTL=SYN,ACK>", resent.Sent.ToString());
        Assert.Empty(resent.Timers);
        Assert.Equal(1, w.B.Endpoint.Retries);

        w.Deliver(w.A);
        Assert.Equal(TcpState.Established, w.A.State);
        w.Deliver(w.B);
        Assert.Equal(TcpState.Established, w.B.State);
        Assert.Equal(0, w.B.Endpoint.Retries);
        Assert.Equal(TimerKind.None, w.B.Endpoint.Timers);

        // The late duplicate SYN,ACK reaches A in ESTABLISHED: acknowledged (RFC 5961 §4.2 challenge ACK), nothing changes.
        var dup = w.Deliver(w.A, late);
        Assert.Equal(TcpState.Established, w.A.State);
        Assert.Equal("<SEQ=101><ACK=301><CTL=ACK>", dup.Sent.ToString());
        w.Deliver(w.B);
        Assert.Equal(TcpState.Established, w.B.State);
        w.AssertQuiet();
    }

    [Fact]
    public void Syn_given_up_after_R2_retransmissions()
    {
        var w = new Wire(issA: 100, issB: 300);
        w.A.OpenActive();
        var rtos = new List<int>();
        for (int i = 0; i < TcpConfig.Default.SynMaxRetransmissions; i++)
            rtos.Add(w.A.Expire(TimerKind.Retransmit).Armed(TimerKind.Retransmit));
        // RFC 9293 §3.8.3 MUST-23: the SYN's R2 lasts at least 3 minutes (1 s + these = 183 s).
        Assert.Equal(new[] { 2000, 4000, 8000, 16000, 32000, 60000, 60000 }, rtos);
        Assert.True(1000 + rtos.Sum() >= 180_000);
        Assert.Equal(1 + TcpConfig.Default.SynMaxRetransmissions, w.InFlightTo(w.B).Count);

        var last = w.A.Expire(TimerKind.Retransmit);
        Assert.Equal(TcpState.Closed, w.A.State);
        Assert.True(last.Notified(NoticeKind.RetransmitTimeout));
        Assert.Empty(last.Segments);
        Assert.Equal(TimerKind.None, w.A.Endpoint.Timers);
    }

    [Fact]
    public void Backoff_is_capped_at_the_maximum_rto()
    {
        var config = TcpConfig.Default with { SynMaxRetransmissions = 10 };
        var w = new Wire(issA: 100, issB: 300, configA: config);
        w.A.OpenActive();
        var rtos = new List<int>();
        for (int i = 0; i < 8; i++) rtos.Add(w.A.Expire(TimerKind.Retransmit).Armed(TimerKind.Retransmit));
        Assert.Equal(new[] { 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000 }, rtos);
    }

    [Fact]
    public void Lost_data_is_retransmitted_with_backoff_and_arrives_once()
    {
        var w = Wire.Established(issA: 100, issB: 300);
        var send = w.A.Send(1000);
        Assert.Equal(new[] { "<SEQ=101><ACK=301><CTL=ACK><DATA=536>", "<SEQ=637><ACK=301><CTL=PSH,ACK><DATA=464>" },
            send.Segments.Select(s => s.ToString()));
        Assert.Equal(1000, send.Armed(TimerKind.Retransmit));

        w.Drop(w.B);
        var outOfOrder = w.Deliver(w.B);
        Assert.Equal("<SEQ=301><ACK=101><CTL=ACK>", outOfOrder.Sent.ToString()); // RCV.NXT is still 101
        Assert.DoesNotContain(outOfOrder.Notices, n => n.Kind == NoticeKind.TextArrived);
        w.Deliver(w.A); // a duplicate acknowledgment changes nothing
        Assert.Equal(101u, w.A.Endpoint.SndUna);

        // First timeout: the front of the retransmission queue again, RTO doubled. Lost again.
        var r1 = w.A.Expire(TimerKind.Retransmit);
        Assert.Equal("<SEQ=101><ACK=301><CTL=ACK><DATA=536>", r1.Sent.ToString());
        Assert.Equal(2000, r1.Armed(TimerKind.Retransmit));
        w.Drop(w.B);

        // Second timeout: RTO doubled again; this one arrives, twice (a duplicate in the network).
        var r2 = w.A.Expire(TimerKind.Retransmit);
        Assert.Equal(r1.Sent, r2.Sent);
        Assert.Equal(4000, r2.Armed(TimerKind.Retransmit));
        var copy = w.InFlightTo(w.B)[0];
        var arrival = w.Deliver(w.B);
        // B held the second segment (SHLD-31): the retransmission fills the gap, and one ACK covers both.
        Assert.Equal("<SEQ=301><ACK=1101><CTL=ACK>", arrival.Sent.ToString());
        Assert.Equal(2, arrival.Notices.Count(n => n.Kind == NoticeKind.TextArrived));
        var dup = w.Deliver(w.B, copy);
        Assert.DoesNotContain(dup.Notices, n => n.Kind == NoticeKind.TextArrived);
        Assert.Equal("<SEQ=301><ACK=1101><CTL=ACK>", dup.Sent.ToString());

        // The acknowledgment of everything stops the timer; the retransmission count starts afresh.
        var ack = w.Deliver(w.A);
        Assert.Equal(1101u, w.A.Endpoint.SndUna);
        Assert.Equal(0, w.A.Endpoint.Retries);
        Assert.Contains(ack.Timers, t => t.Timer == TimerKind.Retransmit && !t.Arm);
        w.DeliverAll();
        Assert.Equal(TimerKind.None, w.A.Endpoint.Timers);

        Assert.Equal(new[] { (0u, 536u), (536u, 464u) }, TextStream.Chunks(w.A, w.B));
        TextStream.AssertDelivered(w.A, w.B);
    }

    [Fact]
    public void Lost_final_ack_time_wait_acknowledges_the_retransmitted_fin_and_restarts_2msl()
    {
        var w = Wire.Established(issA: 99, issB: 299);
        w.A.Close();
        w.DeliverAll();
        w.B.Close();
        w.Deliver(w.A);
        Assert.Equal(TcpState.TimeWait, w.A.State);

        // The last ACK of Figure 12 is lost.
        Assert.Equal("<SEQ=101><ACK=301><CTL=ACK>", w.Drop(w.B).ToString());
        Assert.Equal(TcpState.LastAck, w.B.State);

        // B's retransmission timer expires: the FIN again, with the RTO doubled.
        var again = w.B.Expire(TimerKind.Retransmit);
        Assert.Equal("<SEQ=300><ACK=101><CTL=FIN,ACK>", again.Sent.ToString());
        Assert.Equal(2000, again.Armed(TimerKind.Retransmit));

        // TIME-WAIT acknowledges it and restarts the 2 MSL timeout (§3.10.7.4 eighth).
        var reack = w.Deliver(w.A);
        Assert.Equal(TcpState.TimeWait, w.A.State);
        Assert.Equal("<SEQ=101><ACK=301><CTL=ACK>", reack.Sent.ToString());
        Assert.Equal(2 * TcpConfig.Default.MslMs, reack.Armed(TimerKind.TimeWait));
        Assert.DoesNotContain(reack.Notices, n => n.Kind == NoticeKind.RemoteClosing);
        Assert.Equal(301u, w.A.Endpoint.RcvNxt); // the FIN is not counted twice

        w.Deliver(w.B);
        Assert.Equal(TcpState.Closed, w.B.State);
        w.A.Expire(TimerKind.TimeWait);
        Assert.Equal(TcpState.Closed, w.A.State);
        w.AssertQuiet();
        TextStream.AssertDelivered(w.A, w.B); // no text either way
        TextStream.AssertDelivered(w.B, w.A);
    }
}
