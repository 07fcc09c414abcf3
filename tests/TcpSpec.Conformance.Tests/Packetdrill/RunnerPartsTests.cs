using TcpSpec.Conformance.Packetdrill;

namespace TcpSpec.Conformance.Tests.Packetdrill;

/// <summary>
/// The runner's parts on their own: the one timer → event mapping (<see cref="TcpRuntime.Timeouts"/>),
/// the <see cref="VirtualClock"/> (relative times, deadlines in order, arm and cancel) and the
/// <see cref="OutboundMatcher"/> (numbers relative to the learnt ISNs, field differences, time windows).
/// </summary>
public class RunnerPartsTests
{
    [Fact]
    public void Every_timer_maps_to_its_own_timeout_event_and_back()
    {
        var timers = new[] { TimerKind.Retransmit, TimerKind.TimeWait, TimerKind.User, TimerKind.Persist, TimerKind.DelayedAck };
        Assert.Equal(timers, TcpRuntime.Timeouts.Select(t => t.Timer));
        var events = timers.Select(TcpRuntime.TimeoutOf).ToList();
        Assert.Equal([TcpEvent.RetransmitTimeout, TcpEvent.TimeWaitTimeout, TcpEvent.UserTimeout, TcpEvent.PersistTimeout, TcpEvent.DelayedAckTimeout], events);
        foreach (var t in timers) Assert.Equal(t, TcpRuntime.TimerOf(TcpRuntime.TimeoutOf(t)));
        Assert.Null(TcpRuntime.TimerOf(TcpEvent.Ack));
        Assert.Null(TcpRuntime.TimerOf(TcpEvent.Close));
        Assert.Throws<ArgumentOutOfRangeException>(() => TcpRuntime.TimeoutOf(TimerKind.Retransmit | TimerKind.User));
    }

    [Fact]
    public void Expire_disarms_the_timer_and_steps_its_event()
    {
        var rt = new TcpRuntime();
        var ep = Endpoint.Create(1000);
        rt.OpenActive(ref ep);
        Assert.NotEqual(TimerKind.None, ep.Timers & TimerKind.Retransmit);
        int row = rt.Expire(ref ep, TimerKind.Retransmit);
        Assert.True(row > 0, "no row decided (SYN-SENT, RETRANSMIT-TIMEOUT)");
        Assert.Contains(rt.Effects.Segments.ToArray(), s => s.IsSyn && s.Seq == 1000); // the SYN again
    }

    [Fact]
    public void The_clock_fires_the_earliest_deadline_first_and_forgets_cancelled_timers()
    {
        var clock = new VirtualClock();
        clock.Apply(new TimerCommand(TimerKind.User, true, 30));
        clock.Apply(new TimerCommand(TimerKind.Retransmit, true, 20));
        clock.Apply(new TimerCommand(TimerKind.TimeWait, true, 10));
        clock.Apply(new TimerCommand(TimerKind.TimeWait, false, 0));
        Assert.Null(clock.NextDue(19_999));
        Assert.Equal((TimerKind.Retransmit, 20_000L), clock.NextDue(long.MaxValue));
        clock.Fire(TimerKind.Retransmit);
        Assert.Equal(20_000, clock.Now);
        Assert.Equal((TimerKind.User, 30_000L), clock.NextDue(long.MaxValue));
        clock.Fire(TimerKind.User);
        Assert.Null(clock.NextDue(long.MaxValue));
    }

    [Fact]
    public void The_clock_counts_relative_times_from_the_last_event_and_never_goes_back()
    {
        var clock = new VirtualClock { Last = 5_000 };
        Assert.Equal(5_100, clock.At(new EventTime(TimeKind.Relative, 100, 0)));
        Assert.Equal(100, clock.At(new EventTime(TimeKind.Absolute, 100, 0)));
        clock.MoveTo(7_000);
        clock.MoveTo(6_000);
        Assert.Equal(7_000, clock.Now);
        Assert.Equal((6_900L, 7_100L, 7_000L), OutboundMatcher.Window(new EventTime(TimeKind.Absolute, 7_000, 0), clock, 100));
        Assert.Equal((0L, long.MaxValue, 7_000L), OutboundMatcher.Window(new EventTime(TimeKind.Any, 0, 0), clock, 100));
    }

    [Fact]
    public void Outbound_numbers_are_relative_to_the_isn_the_engine_sent_and_the_peer_isn()
    {
        var m = new OutboundMatcher(remoteIsn: 500);
        var step = new PacketdrillRunner.EngineStep(1, TcpEvent.Syn, TcpState.Listen, TcpState.SynReceived, []);
        m.Add(new OutboundMatcher.Sent(new Segment(9000, 501, TcpFlags.Syn | TcpFlags.Ack, 1000, 0), 0, step, 4));
        Assert.Equal("> S. 0:0(0) ack 1 win 1000", m.Render(m.First.Seg));
        var synAck = Packet("+0 > S. 0:0(0) ack 1 win 1000");
        Assert.Empty(m.Differences(synAck, m.Take().Seg));
        Assert.Equal(0, m.Count);
        Assert.Equal(["sequence number", "acknowledgment number"], m.Differences(synAck, new Segment(9005, 502, TcpFlags.Syn | TcpFlags.Ack, 1000, 0)));
        var inbound = m.Inbound(Packet("+0 < . 1:1(0) ack 1 win 200"));
        Assert.Equal((501u, 9001u), (inbound.Seq, inbound.Ack));
    }

    private static PacketLine Packet(string line) =>
        Assert.IsType<PacketLine>(PacketdrillParser.Parse(line + "\n", "t.pkt").Lines.Single().Body);
}
