using TcpSpec.Protocol;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// One endpoint under test and the runtime that drives it, in the spirit of smoltcp's test
/// socket: each call feeds one event (a user call, an arriving segment, a timer expiry) and
/// returns the <see cref="Step"/> it produced, to be checked with <see cref="Step.Is"/>. The
/// runtime uses <see cref="EngineUnderTest.Current"/>, and every fired row is recorded for the
/// coverage sweep.
/// </summary>
public sealed class Conn
{
    /// <summary>The endpoint: a public field, so a test can read or adjust any TCB variable.</summary>
    public Endpoint Ep;

    public Conn(Endpoint ep, TcpConfig? config = null)
    {
        Ep = ep;
        Runtime = new TcpRuntime(EngineUnderTest.Current, config);
    }

    public TcpRuntime Runtime { get; }

    public Step OpenPassive(bool foreignSpecified = false) =>
        Run(TcpEvent.OpenPassive, "OPEN (passive)", c => c.Runtime.OpenPassive(ref c.Ep, foreignSpecified));

    public Step OpenActive() => Run(TcpEvent.OpenActive, "OPEN (active)", c => c.Runtime.OpenActive(ref c.Ep));

    public Step Send(uint octets) => Run(TcpEvent.Send, $"SEND {octets}", c => c.Runtime.Send(ref c.Ep, octets));

    public Step Receive(uint maxOctets = 0) => Run(TcpEvent.Receive, $"RECEIVE {maxOctets}", c => c.Runtime.Receive(ref c.Ep, maxOctets));

    public Step Close() => Run(TcpEvent.Close, "CLOSE", c => c.Runtime.Close(ref c.Ep));

    public Step Abort() => Run(TcpEvent.Abort, "ABORT", c => c.Runtime.Abort(ref c.Ep));

    public Step Arrive(Segment segment) =>
        Run(TcpRuntime.Classify(segment), "arrives " + segment, c => c.Runtime.Arrive(ref c.Ep, segment));

    public Step Expire(TimerKind timer) => Run(TcpRuntime.TimeoutOf(timer), $"{timer} timer expires", c => c.Runtime.Expire(ref c.Ep, timer));

    /// <summary>
    /// An ICMP error of class <paramref name="kind"/> for this connection (RFC 9293 §3.9.2.2),
    /// quoting a TCP header with SEG.SEQ = <paramref name="quotedSeq"/> (default SND.UNA: the oldest segment in flight).
    /// </summary>
    public Step Icmp(IcmpClass kind, uint? quotedSeq = null) =>
        Run(kind == IcmpClass.Hard ? TcpEvent.IcmpHard : TcpEvent.IcmpSoft, $"ICMP {kind} error quoting SEQ={quotedSeq ?? Ep.SndUna} arrives",
            c => c.Runtime.IcmpArrives(ref c.Ep, kind, new Segment(quotedSeq ?? c.Ep.SndUna, 0, TcpFlags.None, 0, 0)));

    private Step Run(TcpEvent @event, string input, Func<Conn, int> act)
    {
        var before = Ep;
        int row = act(this);
        EngineUnderTest.Record(row);
        var fx = Runtime.Effects;
        return new Step(Runtime.Engine.Name, input, @event, before, Ep, row, fx.Row, fx.StateChange,
            fx.Segments.ToArray(), fx.TimerCommands.ToArray(), fx.Notices.ToArray());
    }
}
