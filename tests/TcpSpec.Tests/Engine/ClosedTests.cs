using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>CLOSED: OPEN creates the connection; everything else is refused (RFC 9293 §3.10.1–§3.10.5, §3.10.7.1).</summary>
public class ClosedTests : EngineTest
{
    [Fact]
    public void Passive_open_enters_listen_silently()
    {
        var c = At(Fixtures.Closed());
        c.OpenPassive().Is(Row(TcpState.Closed, TcpEvent.OpenPassive), TcpState.Listen);
        Assert.True(c.Ep.Has(EndpointFlags.Passive));
        Assert.False(c.Ep.Has(EndpointFlags.ForeignSpecified));
        Assert.Equal(Fixtures.Window, c.Ep.RcvWnd);
    }

    [Fact]
    public void Passive_open_naming_the_foreign_socket_remembers_it()
    {
        var c = At(Fixtures.Closed());
        c.OpenPassive(foreignSpecified: true).Is(Row(TcpState.Closed, TcpEvent.OpenPassive), TcpState.Listen);
        Assert.True(c.Ep.Has(EndpointFlags.ForeignSpecified));
    }

    [Fact]
    public void Active_open_sends_syn_at_iss_and_starts_the_retransmission_timer()
    {
        // §3.10.1 CLOSED: <SEQ=ISS><CTL=SYN>, SND.UNA = ISS, SND.NXT = ISS+1, enter SYN-SENT.
        var c = At(Fixtures.Closed());
        c.OpenActive().Is(Row(TcpState.Closed, TcpEvent.OpenActive), TcpState.SynSent,
            sent: [Syn(Iss)], timers: [Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(Iss, c.Ep.Iss);
        Assert.Equal(Iss, c.Ep.SndUna);
        Assert.Equal(Iss + 1, c.Ep.SndNxt);
        Assert.Equal(Fixtures.NextIss(), c.Ep.NextIss);
    }

    [Theory]
    [InlineData(TcpEvent.Send)]
    [InlineData(TcpEvent.Receive)]
    [InlineData(TcpEvent.Close)]
    [InlineData(TcpEvent.Abort)]
    public void Calls_on_no_connection_answer_connection_does_not_exist(TcpEvent call)
    {
        var c = At(Fixtures.Closed());
        var step = call switch
        {
            TcpEvent.Send => c.Send(10),
            TcpEvent.Receive => c.Receive(),
            TcpEvent.Close => c.Close(),
            _ => c.Abort(),
        };
        step.Is(Row(TcpState.Closed, call), TcpState.Closed, notices: [Note(NoticeKind.ErrorNoConnection)]);
        EndpointAssert.Equal(Fixtures.Closed(), c.Ep);
    }

    [Fact]
    public void Rst_is_discarded()
    {
        var c = At(Fixtures.Closed());
        c.Arrive(Peer.Rst(Irs + 1)).Is(Row(TcpState.Closed, TcpEvent.Rst), TcpState.Closed);
    }

    [Fact]
    public void Rst_ack_is_discarded()
    {
        var c = At(Fixtures.Closed());
        c.Arrive(Peer.RstAck(Irs + 1, Iss + 1)).Is(Row(TcpState.Closed, TcpEvent.RstAck), TcpState.Closed);
    }

    [Fact]
    public void Syn_is_answered_with_rst_ack_acknowledging_it()
    {
        // ACK bit off: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; a SYN's SEG.LEN is 1.
        var c = At(Fixtures.Closed());
        c.Arrive(Peer.Syn(Irs)).Is(Row(TcpState.Closed, TcpEvent.Syn), TcpState.Closed, sent: [RstAck(0, Irs + 1)]);
        EndpointAssert.Equal(Fixtures.Closed(), c.Ep);
    }

    [Fact]
    public void Syn_with_text_is_answered_past_the_text()
    {
        var c = At(Fixtures.Closed());
        c.Arrive(Peer.Syn(Irs, len: 5)).Is(Row(TcpState.Closed, TcpEvent.Syn), TcpState.Closed, sent: [RstAck(0, Irs + 1 + 5)]);
    }

    [Fact]
    public void Syn_fin_is_answered_past_both_controls()
    {
        var c = At(Fixtures.Closed());
        c.Arrive(Peer.SynFin(Irs)).Is(Row(TcpState.Closed, TcpEvent.SynFin), TcpState.Closed, sent: [RstAck(0, Irs + 2)]);
    }

    [Fact]
    public void Fin_is_answered_with_rst_ack()
    {
        var c = At(Fixtures.Closed());
        c.Arrive(Peer.Fin(Irs + 1)).Is(Row(TcpState.Closed, TcpEvent.Fin), TcpState.Closed, sent: [RstAck(0, Irs + 2)]);
    }

    [Fact]
    public void Bare_text_is_answered_with_rst_ack_past_the_text()
    {
        var c = At(Fixtures.Closed());
        c.Arrive(Peer.Bare(Irs + 1, len: 10)).Is(Row(TcpState.Closed, TcpEvent.Bare), TcpState.Closed, sent: [RstAck(0, Irs + 11)]);
    }

    [Fact]
    public void Ack_is_answered_with_rst_at_its_ack()
    {
        // ACK bit on: <SEQ=SEG.ACK><CTL=RST>.
        var c = At(Fixtures.Closed());
        c.Arrive(Peer.Ack(Irs + 1, ack: 5000, len: 10)).Is(Row(TcpState.Closed, TcpEvent.Ack), TcpState.Closed, sent: [Rst(5000)]);
    }

    [Fact]
    public void Syn_ack_is_answered_with_rst_at_its_ack()
    {
        var c = At(Fixtures.Closed());
        c.Arrive(Peer.SynAck(Irs, ack: Iss + 1)).Is(Row(TcpState.Closed, TcpEvent.SynAck), TcpState.Closed, sent: [Rst(Iss + 1)]);
    }

    [Fact]
    public void Fin_ack_is_answered_with_rst_at_its_ack()
    {
        var c = At(Fixtures.Closed());
        c.Arrive(Peer.FinAck(Irs + 1, ack: 777)).Is(Row(TcpState.Closed, TcpEvent.FinAck), TcpState.Closed, sent: [Rst(777)]);
    }

    [Fact]
    public void Syn_fin_ack_is_answered_with_rst_at_its_ack()
    {
        var c = At(Fixtures.Closed());
        c.Arrive(Peer.SynFinAck(Irs, ack: 4321)).Is(Row(TcpState.Closed, TcpEvent.SynFin), TcpState.Closed, sent: [Rst(4321)]);
    }

    [Theory]
    [InlineData(TimerKind.Retransmit, TcpEvent.RetransmitTimeout)]
    [InlineData(TimerKind.TimeWait, TcpEvent.TimeWaitTimeout)]
    [InlineData(TimerKind.User, TcpEvent.UserTimeout)]
    public void A_stale_timer_does_nothing(TimerKind timer, TcpEvent timeout)
    {
        var c = At(Fixtures.Closed());
        c.Expire(timer).Is(Row(TcpState.Closed, timeout), TcpState.Closed);
        EndpointAssert.Equal(Fixtures.Closed(), c.Ep);
    }
}
