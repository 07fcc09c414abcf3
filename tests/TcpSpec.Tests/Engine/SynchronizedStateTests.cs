using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// The checks RFC 9293 §3.10.7.4 applies alike in every synchronized state (ESTABLISHED through
/// TIME-WAIT): the acceptability test (first), RFC 5961's reset rules (second), the SYN rule
/// (fourth) and ACK-less segments (fifth). Each case runs in all seven states; expected segments
/// are the RFC's <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;</c> of that state's TCB.
/// </summary>
public class SynchronizedStateTests : EngineTest
{
    public static TheoryData<TcpState> States =>
    [
        TcpState.Established, TcpState.FinWait1, TcpState.FinWait2, TcpState.CloseWait,
        TcpState.Closing, TcpState.LastAck, TcpState.TimeWait,
    ];

    private static string AckOf(Endpoint ep) => Ack(ep.SndNxt, ep.RcvNxt);

    [Theory]
    [MemberData(nameof(States))]
    public void Rst_before_the_window_is_dropped(TcpState state)
    {
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Arrive(Peer.Rst(ep.RcvNxt - 1)).Is(Row(state, TcpEvent.Rst, "!SeqAcceptable"), state);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Rst_ack_past_the_window_is_dropped(TcpState state)
    {
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Arrive(Peer.RstAck(ep.RcvNxt + ep.RcvWnd, ep.SndNxt)).Is(Row(state, TcpEvent.RstAck, "!SeqAcceptable"), state);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Rst_in_the_window_but_not_exact_draws_a_challenge_ack(TcpState state)
    {
        // RFC 5961 §3.2 (3).
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Arrive(Peer.Rst(ep.RcvNxt + 1)).Is(Row(state, TcpEvent.Rst, "!RstExact"), state, sent: [AckOf(ep)]);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [InlineData(TcpState.Established)]
    [InlineData(TcpState.FinWait1)]
    [InlineData(TcpState.FinWait2)]
    [InlineData(TcpState.CloseWait)]
    public void Exact_rst_resets_the_connection_and_tells_the_user(TcpState state)
    {
        // Second: "Users should also receive an unsolicited general 'connection reset' signal.
        // Enter the CLOSED state, delete the TCB."
        var ep = Fixtures.In(state);
        var c = At(ep);
        TimerCommand[] cancels = ep.Timers == TimerKind.Retransmit ? [Cancel(TimerKind.Retransmit)] : [];
        c.Arrive(Peer.Rst(ep.RcvNxt)).Is(Row(state, TcpEvent.Rst), TcpState.Closed,
            timers: cancels, notices: [Note(NoticeKind.ConnectionReset)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }

    [Theory]
    [InlineData(TcpState.Closing, TimerKind.Retransmit)]
    [InlineData(TcpState.LastAck, TimerKind.Retransmit)]
    [InlineData(TcpState.TimeWait, TimerKind.TimeWait)]
    public void Exact_rst_after_both_fins_just_closes(TcpState state, TimerKind running)
    {
        // Second, CLOSING / LAST-ACK / TIME-WAIT: "enter the CLOSED state, delete the TCB" (no signal).
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Arrive(Peer.RstAck(ep.RcvNxt, ep.SndNxt)).Is(Row(state, TcpEvent.RstAck), TcpState.Closed, timers: [Cancel(running)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Syn_draws_a_challenge_ack_whatever_its_sequence_number(TcpState state)
    {
        // Fourth: RFC 5961 §4.2: "irrespective of the sequence number", challenge ACK, then drop.
        var ep = Fixtures.In(state);
        foreach (var seq in new[] { ep.RcvNxt, ep.RcvNxt + 100, ep.RcvNxt - 100, ep.RcvNxt + ep.RcvWnd + 5 })
        {
            var c = At(ep);
            c.Arrive(Peer.Syn(seq)).Is(Row(state, TcpEvent.Syn), state, sent: [AckOf(ep)]);
            EndpointAssert.Equal(ep, c.Ep);
        }
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Syn_ack_draws_a_challenge_ack(TcpState state)
    {
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Arrive(Peer.SynAck(Irs, ack: Iss + 1)).Is(Row(state, TcpEvent.SynAck), state, sent: [AckOf(ep)]);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Syn_fin_draws_a_challenge_ack(TcpState state)
    {
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Arrive(Peer.SynFinAck(ep.RcvNxt, ack: ep.SndNxt)).Is(Row(state, TcpEvent.SynFin), state, sent: [AckOf(ep)]);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Unacceptable_bare_text_is_acknowledged(TcpState state)
    {
        // First: not acceptable: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, drop.
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Arrive(Peer.Bare(ep.RcvNxt - 20, 10)).Is(Row(state, TcpEvent.Bare, "!SeqAcceptable"), state, sent: [AckOf(ep)]);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Unacceptable_fin_without_ack_is_acknowledged(TcpState state)
    {
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Arrive(Peer.Fin(ep.RcvNxt + ep.RcvWnd)).Is(Row(state, TcpEvent.Fin, "!SeqAcceptable"), state, sent: [AckOf(ep)]);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Acceptable_segment_without_ack_is_dropped(TcpState state)
    {
        // Fifth: "if the ACK bit is off, drop the segment and return".
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Arrive(Peer.Bare(ep.RcvNxt, 10)).Is(Row(state, TcpEvent.Bare), state);
        EndpointAssert.Equal(ep, c.Ep);
        c.Arrive(Peer.Fin(ep.RcvNxt)).Is(Row(state, TcpEvent.Fin), state);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Old_text_is_acknowledged_and_dropped(TcpState state)
    {
        // First: the whole segment lies before RCV.NXT (an old duplicate).
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Arrive(Peer.Ack(ep.RcvNxt - 20, ack: ep.SndNxt, len: 10)).Is(Row(state, TcpEvent.Ack, "!SeqAcceptable"), state, sent: [AckOf(ep)]);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Fin_ack_past_the_window_is_acknowledged(TcpState state)
    {
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Arrive(Peer.FinAck(ep.RcvNxt + ep.RcvWnd, ack: ep.SndNxt)).Is(Row(state, TcpEvent.FinAck, "!SeqAcceptable"), state, sent: [AckOf(ep)]);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [InlineData(TcpState.Established)]
    [InlineData(TcpState.FinWait1)]
    [InlineData(TcpState.FinWait2)]
    [InlineData(TcpState.CloseWait)]
    [InlineData(TcpState.Closing)]
    [InlineData(TcpState.LastAck)]
    public void Ack_of_something_not_yet_sent_is_acknowledged_and_dropped(TcpState state)
    {
        // Fifth: "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop
        // the segment, and return."
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Arrive(Peer.Ack(ep.RcvNxt, ack: ep.SndNxt + 1)).Is(Row(state, TcpEvent.Ack, "AckOfUnsent"), state, sent: [AckOf(ep)]);
        EndpointAssert.Equal(ep, c.Ep);
    }
}
