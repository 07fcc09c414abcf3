using TcpSpec.Protocol;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// ICMP errors passed up by IP (RFC 9293 §3.9.2.2): directed to the connection (MUST-54), a
/// Source Quench discarded (MUST-55), a soft error reported without aborting (MUST-56, SHLD-25),
/// a hard error aborting a connection attempt (SHLD-26) and reported as soft once synchronized
/// (RFC 5461 §4).
/// </summary>
public class IcmpTests : EngineTest
{
    [Fact]
    public void Hard_error_in_syn_sent_aborts_the_connection_attempt()
    {
        // §3.8.3: "An attempt to open a TCP connection could fail ... by receipt of ... an ICMP Port Unreachable."
        var c = At(Fixtures.SynSent());
        c.Icmp(IcmpClass.Hard).Is(Row(TcpState.SynSent, TcpEvent.IcmpHard), TcpState.Closed,
            timers: [Cancel(TimerKind.Retransmit)], notices: [Note(NoticeKind.Unreachable)]);
        EndpointAssert.Equal(Fixtures.Closed(Fixtures.NextIss()), c.Ep);
    }

    [Fact]
    public void Soft_error_in_syn_sent_is_reported_and_the_attempt_goes_on()
    {
        var c = At(Fixtures.SynSent());
        c.Icmp(IcmpClass.Soft).Is(Row(TcpState.SynSent, TcpEvent.IcmpSoft), TcpState.SynSent, notices: [Note(NoticeKind.SoftError)]);
        EndpointAssert.Equal(Fixtures.SynSent(), c.Ep);
    }

    [Theory]
    [InlineData(TcpState.SynReceived)]
    [InlineData(TcpState.Established)]
    [InlineData(TcpState.FinWait1)]
    [InlineData(TcpState.CloseWait)]
    [InlineData(TcpState.Closing)]
    [InlineData(TcpState.LastAck)]
    public void Errors_after_the_syn_sent_state_are_reported_and_never_abort(TcpState state)
    {
        var ep = InFlight(state);
        var c = At(ep);
        c.Icmp(IcmpClass.Soft).Is(Row(state, TcpEvent.IcmpSoft), state, notices: [Note(NoticeKind.SoftError)]);
        c.Icmp(IcmpClass.Hard).Is(Row(state, TcpEvent.IcmpHard), state, notices: [Note(NoticeKind.SoftError)]);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [InlineData(TcpState.Closed)]
    [InlineData(TcpState.Listen)]
    [InlineData(TcpState.TimeWait)]
    public void Errors_with_no_connection_attempt_in_flight_change_nothing(TcpState state)
    {
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Icmp(IcmpClass.Hard).Is(Row(state, TcpEvent.IcmpHard), state);
        c.Icmp(IcmpClass.Soft).Is(Row(state, TcpEvent.IcmpSoft), state);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Fact]
    public void A_hard_error_quoting_no_segment_in_flight_does_not_abort_the_attempt()
    {
        // RFC 5927 §4.1: SND.UNA =< SEG.SEQ < SND.NXT, or the error is not about this connection's SYN
        // (a stale error about an earlier incarnation's segment, or a blind one).
        var ep = Fixtures.SynSent();
        var c = At(ep);
        c.Icmp(IcmpClass.Hard, ep.SndUna - 1).Is(Row(TcpState.SynSent, TcpEvent.IcmpHard, "!IcmpSeqAcceptable"), TcpState.SynSent);
        c.Icmp(IcmpClass.Hard, ep.SndNxt).Is(Row(TcpState.SynSent, TcpEvent.IcmpHard, "!IcmpSeqAcceptable"), TcpState.SynSent);
        c.Icmp(IcmpClass.Soft, ep.SndUna + 1000).Is(Row(TcpState.SynSent, TcpEvent.IcmpSoft, "!IcmpSeqAcceptable"), TcpState.SynSent);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Theory]
    [InlineData(TcpState.Established)]
    [InlineData(TcpState.FinWait2)]
    [InlineData(TcpState.CloseWait)]
    public void An_error_when_nothing_is_in_flight_is_ignored(TcpState state)
    {
        // SND.UNA = SND.NXT: no quoted SEG.SEQ can be in SND.UNA..SND.NXT (RFC 5927 §4.1), not even SND.UNA's (a pure ACK's).
        var ep = Fixtures.In(state);
        Assert.Equal(ep.SndUna, ep.SndNxt);
        var c = At(ep);
        c.Icmp(IcmpClass.Soft).Is(Row(state, TcpEvent.IcmpSoft, "!IcmpSeqAcceptable"), state);
        c.Icmp(IcmpClass.Hard).Is(Row(state, TcpEvent.IcmpHard, "!IcmpSeqAcceptable"), state);
        EndpointAssert.Equal(ep, c.Ep);
    }

    [Fact]
    public void An_error_quoting_an_acknowledged_segment_is_ignored_and_one_quoting_the_last_in_flight_is_reported()
    {
        var rt = new TcpRuntime(EngineUnderTest.Current);
        var ep = Fixtures.Established();
        rt.Send(ref ep, 10);
        Assert.True(ep.SndNxt != ep.SndUna);
        Assert.Equal(0, Notices(rt, ref ep, ep.SndUna - 1));
        Assert.Equal(1, Notices(rt, ref ep, ep.SndNxt - 1));
        Assert.Equal(0, Notices(rt, ref ep, ep.SndNxt));

        static int Notices(TcpRuntime rt, ref Endpoint ep, uint seq)
        {
            rt.IcmpArrives(ref ep, IcmpClass.Soft, new Segment(seq, 0, TcpFlags.Ack, 0, 0));
            return rt.Effects.NoticeCount;
        }
    }

    /// <summary>The endpoint in <paramref name="state"/> with a segment in flight for an error to quote (text queued and sent where the state can send).</summary>
    private static Endpoint InFlight(TcpState state)
    {
        var ep = Fixtures.In(state);
        if (ep.SndUna == ep.SndNxt)
        {
            new TcpRuntime(EngineUnderTest.Current).Send(ref ep, 10);
        }
        Assert.NotEqual(ep.SndUna, ep.SndNxt);
        return ep;
    }

    [Theory]
    [InlineData(IcmpClass.SourceQuench)]
    [InlineData(IcmpClass.Ignored)]
    public void Source_quench_and_other_messages_are_silently_discarded(IcmpClass kind)
    {
        var rt = new TcpRuntime(EngineUnderTest.Current);
        var ep = Fixtures.Established();
        rt.Send(ref ep, 10);
        var before = ep;
        Assert.Equal(0, rt.IcmpArrives(ref ep, kind, new Segment(ep.SndUna, 0, TcpFlags.Ack, 0, 0)));
        Assert.Equal(0, rt.Effects.SegmentCount + rt.Effects.TimerCount + rt.Effects.NoticeCount);
        EndpointAssert.Equal(before, ep);
    }

    [Theory]
    [InlineData(false, 3, 0, IcmpClass.Soft)]   // net unreachable
    [InlineData(false, 3, 1, IcmpClass.Soft)]   // host unreachable
    [InlineData(false, 3, 2, IcmpClass.Hard)]   // protocol unreachable
    [InlineData(false, 3, 3, IcmpClass.Hard)]   // port unreachable
    [InlineData(false, 3, 4, IcmpClass.Hard)]   // fragmentation needed and DF set
    [InlineData(false, 3, 5, IcmpClass.Soft)]   // source route failed
    [InlineData(false, 4, 0, IcmpClass.SourceQuench)]
    [InlineData(false, 11, 0, IcmpClass.Soft)]  // time exceeded in transit
    [InlineData(false, 11, 1, IcmpClass.Soft)]  // fragment reassembly time exceeded
    [InlineData(false, 12, 0, IcmpClass.Soft)]  // parameter problem
    [InlineData(false, 0, 0, IcmpClass.Ignored)] // echo reply
    [InlineData(true, 1, 0, IcmpClass.Soft)]    // no route to destination
    [InlineData(true, 1, 3, IcmpClass.Soft)]    // address unreachable
    [InlineData(true, 1, 4, IcmpClass.Ignored)] // port unreachable: §3.9.2.2 classifies no ICMPv6 hard error
    [InlineData(true, 3, 1, IcmpClass.Soft)]
    [InlineData(true, 4, 2, IcmpClass.Soft)]
    [InlineData(true, 128, 0, IcmpClass.Ignored)] // echo request
    public void Messages_are_classified_as_section_3_9_2_2_lists_them(bool v6, byte type, byte code, IcmpClass expected) =>
        Assert.Equal(expected, Icmp.Classify(v6, type, code));
}
