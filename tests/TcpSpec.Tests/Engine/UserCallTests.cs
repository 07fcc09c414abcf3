using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// The user calls across the states where RFC 9293 §3.10.1–§3.10.5 answer them alike; the calls
/// whose effect is particular to one state are in that state's tests.
/// </summary>
public class UserCallTests : EngineTest
{
    public static TheoryData<TcpState> AllButClosed =>
    [
        TcpState.Listen, TcpState.SynSent, TcpState.SynReceived, TcpState.Established, TcpState.FinWait1,
        TcpState.FinWait2, TcpState.CloseWait, TcpState.Closing, TcpState.LastAck, TcpState.TimeWait,
    ];

    public static TheoryData<TcpState> Synchronizing =>
    [
        TcpState.SynSent, TcpState.SynReceived, TcpState.Established, TcpState.FinWait1,
        TcpState.FinWait2, TcpState.CloseWait, TcpState.Closing, TcpState.LastAck, TcpState.TimeWait,
    ];

    public static TheoryData<TcpState> AfterOurClose =>
        [TcpState.FinWait1, TcpState.FinWait2, TcpState.Closing, TcpState.LastAck, TcpState.TimeWait];

    public static TheoryData<TcpState> AfterTheirFin =>
        [TcpState.CloseWait, TcpState.Closing, TcpState.LastAck, TcpState.TimeWait];

    [Theory]
    [MemberData(nameof(AllButClosed))]
    public void Passive_open_on_an_existing_connection_is_an_error(TcpState state)
    {
        // §3.10.1: "Return 'error: connection already exists'."
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.OpenPassive().Is(Row(state, TcpEvent.OpenPassive), state, notices: [Note(NoticeKind.ErrorConnectionExists)]);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [MemberData(nameof(Synchronizing))]
    public void Active_open_on_a_synchronizing_or_open_connection_is_an_error(TcpState state)
    {
        // (In LISTEN an active OPEN turns the connection active: ListenTests.)
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.OpenActive().Is(Row(state, TcpEvent.OpenActive), state, notices: [Note(NoticeKind.ErrorConnectionExists)]);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [MemberData(nameof(AfterOurClose))]
    public void Send_after_close_is_an_error(TcpState state)
    {
        // §3.10.2: "Return 'error: connection closing' and do not service request."
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Send(10).Is(Row(state, TcpEvent.Send), state, notices: [Note(NoticeKind.ErrorClosing)]);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [MemberData(nameof(AfterOurClose))]
    public void Close_after_close_is_an_error(TcpState state)
    {
        // §3.10.4: "error: connection closing" (and no second FIN).
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Close().Is(Row(state, TcpEvent.Close), state, notices: [Note(NoticeKind.ErrorClosing)]);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [InlineData(TcpState.Listen)]
    [InlineData(TcpState.SynSent)]
    [InlineData(TcpState.SynReceived)]
    public void Receive_before_established_is_queued(TcpState state)
    {
        // §3.10.3: "Queue for processing after entering ESTABLISHED state."
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Receive().Is(Row(state, TcpEvent.Receive), state, notices: [Note(NoticeKind.ReceiveQueued)]);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [InlineData(TcpState.Established)]
    [InlineData(TcpState.FinWait1)]
    [InlineData(TcpState.FinWait2)]
    public void Receive_while_the_peer_may_send_delivers_what_is_buffered(TcpState state)
    {
        var c = At(Fixtures.In(state).WithBuffered(7));
        c.Receive().Is(Row(state, TcpEvent.Receive), state, notices: [Delivered(7)]);
        Assert.Equal(0u, c.Ep.RcvBuffered);
    }

    [Theory]
    [MemberData(nameof(AfterTheirFin))]
    public void Receive_after_the_peers_fin_delivers_text_on_hand(TcpState state)
    {
        // §3.10.3 CLOSE-WAIT: "RECEIVEs must be satisfied by data already on hand" (the table
        // applies it to CLOSING, LAST-ACK and TIME-WAIT too).
        var c = At(Fixtures.In(state).WithBuffered(7));
        c.Receive(5).Is(Row(state, TcpEvent.Receive, "DataAvailable"), state, notices: [Delivered(5)]);
        Assert.Equal(2u, c.Ep.RcvBuffered);
    }

    [Theory]
    [MemberData(nameof(AfterTheirFin))]
    public void Receive_after_the_peers_fin_with_nothing_on_hand_is_an_error(TcpState state)
    {
        // §3.10.3: "If no text is awaiting delivery, the RECEIVE will get an 'error: connection closing'".
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Receive().Is(Row(state, TcpEvent.Receive), state, notices: [Note(NoticeKind.ErrorClosing)]);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [InlineData(TcpState.SynReceived)]
    [InlineData(TcpState.Established)]
    [InlineData(TcpState.FinWait1)]
    [InlineData(TcpState.FinWait2)]
    [InlineData(TcpState.CloseWait)]
    public void Abort_of_a_connection_the_peer_knows_sends_rst_at_snd_nxt(TcpState state)
    {
        // §3.10.5: "Send a reset segment: <SEQ=SND.NXT><CTL=RST>", flush, delete the TCB, CLOSED.
        var ep = Fixtures.In(state);
        var c = At(ep);
        TimerCommand[] cancels = ep.Timers == TimerKind.Retransmit ? [Cancel(TimerKind.Retransmit)] : [];
        c.Abort().Is(Row(state, TcpEvent.Abort), TcpState.Closed, sent: [Rst(ep.SndNxt)], timers: cancels);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }

    [Theory]
    [InlineData(TcpState.Closing, TimerKind.Retransmit)]
    [InlineData(TcpState.LastAck, TimerKind.Retransmit)]
    [InlineData(TcpState.TimeWait, TimerKind.TimeWait)]
    public void Abort_after_both_fins_just_deletes_the_tcb(TcpState state, TimerKind running)
    {
        // §3.10.5 CLOSING, LAST-ACK, TIME-WAIT: "Respond with 'ok' and delete the TCB, enter CLOSED".
        var c = At(Fixtures.In(state));
        c.Abort().Is(Row(state, TcpEvent.Abort), TcpState.Closed, timers: [Cancel(running)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }
}
