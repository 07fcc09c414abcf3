using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>TIME-WAIT: both FINs acknowledged, SND.NXT = 102, RCV.NXT = 302, the 2 MSL timer running (RFC 9293 §3.10.7.4, §3.10.8).</summary>
public class TimeWaitTests : EngineTest
{
    [Fact]
    public void Retransmitted_fin_is_acknowledged_and_restarts_2msl()
    {
        // Fifth, TIME-WAIT: "The only thing that can arrive in this state is a retransmission of the
        // remote FIN. Acknowledge it, and restart the 2 MSL timeout."
        var c = At(Fixtures.TimeWait());
        c.Arrive(Peer.FinAck(Irs + 1, ack: Iss + 2)).Is(Row(TcpState.TimeWait, TcpEvent.FinAck, "RetransmittedFin"), TcpState.TimeWait,
            sent: [Ack(Iss + 2, Irs + 2)], timers: [Arm(TimerKind.TimeWait, TwoMsl)]);
        EndpointAssert.Equal(Fixtures.TimeWait(), c.Ep);
    }

    [Fact]
    public void Retransmitted_fin_with_its_text_is_acknowledged_and_restarts_2msl()
    {
        // The peer's last segment carried 10 octets (291..300) and the FIN (301).
        var c = At(Fixtures.TimeWait());
        c.Arrive(Peer.FinAck(Irs - 9, ack: Iss + 2, len: 10)).Is(Row(TcpState.TimeWait, TcpEvent.FinAck, "RetransmittedFin"), TcpState.TimeWait,
            sent: [Ack(Iss + 2, Irs + 2)], timers: [Arm(TimerKind.TimeWait, TwoMsl)]);
    }

    [Fact]
    public void Fin_in_the_window_is_acknowledged_and_restarts_2msl()
    {
        // Eighth, TIME-WAIT: "Remain in the TIME-WAIT state. Restart the 2 MSL time-wait timeout."
        var c = At(Fixtures.TimeWait());
        c.Arrive(Peer.FinAck(Irs + 2, ack: Iss + 2)).Is(Row(TcpState.TimeWait, TcpEvent.FinAck), TcpState.TimeWait,
            sent: [Ack(Iss + 2, Irs + 2)], timers: [Arm(TimerKind.TimeWait, TwoMsl)]);
    }

    [Fact]
    public void Ack_is_dropped()
    {
        var c = At(Fixtures.TimeWait());
        c.Arrive(Peer.Ack(Irs + 2, ack: Iss + 2)).Is(Row(TcpState.TimeWait, TcpEvent.Ack), TcpState.TimeWait);
        EndpointAssert.Equal(Fixtures.TimeWait(), c.Ep);
    }

    [Fact]
    public void Old_ack_is_acknowledged()
    {
        // First: SEG.SEQ = 301 < RCV.NXT with SEG.LEN = 0: not acceptable, so acknowledge.
        var c = At(Fixtures.TimeWait());
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 2)).Is(Row(TcpState.TimeWait, TcpEvent.Ack, "!SeqAcceptable"), TcpState.TimeWait,
            sent: [Ack(Iss + 2, Irs + 2)]);
    }

    [Fact]
    public void Time_wait_timeout_deletes_the_tcb()
    {
        // §3.10.8: "If the time-wait timeout expires on a connection, delete the TCB, enter the CLOSED state".
        var c = At(Fixtures.TimeWait());
        c.Expire(TimerKind.TimeWait).Is(Row(TcpState.TimeWait, TcpEvent.TimeWaitTimeout), TcpState.Closed);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void Retransmission_timeout_has_nothing_to_resend()
    {
        var c = At(Fixtures.TimeWait());
        c.Expire(TimerKind.Retransmit).Is(Row(TcpState.TimeWait, TcpEvent.RetransmitTimeout), TcpState.TimeWait);
        EndpointAssert.Equal(Fixtures.TimeWait(), c.Ep);
    }

    [Fact]
    public void Abort_deletes_the_tcb_and_the_2msl_timer_without_a_reset()
    {
        // §3.10.5 TIME-WAIT: respond "ok", delete the TCB, enter CLOSED.
        var c = At(Fixtures.TimeWait());
        c.Abort().Is(Row(TcpState.TimeWait, TcpEvent.Abort), TcpState.Closed, timers: [Cancel(TimerKind.TimeWait)]);
    }
}
