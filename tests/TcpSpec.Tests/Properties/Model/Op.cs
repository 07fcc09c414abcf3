using TcpSpec.Protocol;

namespace TcpSpec.Tests.Properties.Model;

/// <summary>One step a random run takes: a user call, a segment arrival or a timer expiry.</summary>
public abstract record Op
{
    /// <summary>Runs the step on <paramref name="ep"/>; returns the row that fired.</summary>
    public abstract int Apply(TcpRuntime runtime, ref Endpoint ep);

    /// <summary>The event the step is for an endpoint in <paramref name="ep"/>.</summary>
    public abstract TcpEvent EventFor(in Endpoint ep);
}

/// <summary>OPEN, SEND, RECEIVE, CLOSE or ABORT with its amount (SEND/RECEIVE octets, OPEN-PASSIVE foreign-specified).</summary>
public sealed record UserCall(TcpEvent Event, uint Amount) : Op
{
    public override int Apply(TcpRuntime runtime, ref Endpoint ep) => runtime.Step(ref ep, Event, default, Amount);

    public override TcpEvent EventFor(in Endpoint ep) => Event;

    public override string ToString() => $"{Event}({Amount})";
}

/// <summary>A segment whose numbers are resolved against the endpoint it arrives at.</summary>
public sealed record Arrival(TcpFlags Flags, SymbolicNumber Seq, SymbolicNumber Ack, ushort Window, ushort Length, uint Payload) : Op
{
    public Segment Resolve(in Endpoint ep) => new(Seq.Resolve(ep), Ack.Resolve(ep), Flags, Window, Length, Payload);

    public override int Apply(TcpRuntime runtime, ref Endpoint ep) => runtime.Arrive(ref ep, Resolve(ep));

    public override TcpEvent EventFor(in Endpoint ep) => TcpRuntime.Classify(Resolve(ep));

    public override string ToString() =>
        $"<SEQ={Seq}><ACK={Ack}><CTL={Segment.FlagText(Flags)}><WND={Window}><LEN={Length}>";
}

/// <summary>A timer expires (whether or not it was armed: the table must decide either way).</summary>
public sealed record Expiry(TimerKind Timer) : Op
{
    public override int Apply(TcpRuntime runtime, ref Endpoint ep) => runtime.Expire(ref ep, Timer);

    public override TcpEvent EventFor(in Endpoint ep) => Timer switch
    {
        TimerKind.Retransmit => TcpEvent.RetransmitTimeout,
        TimerKind.TimeWait => TcpEvent.TimeWaitTimeout,
        TimerKind.Persist => TcpEvent.PersistTimeout,
        _ => TcpEvent.UserTimeout,
    };

    public override string ToString() => $"{Timer} timeout";
}

/// <summary>
/// A soft or hard ICMP error arrives for the connection (RFC 9293 §3.9.2.2), quoting the oldest
/// unacknowledged segment (SEG.SEQ = SND.UNA) or, <paramref name="Old"/>, one already acknowledged
/// (SND.UNA − 1: RFC 5927 §4.1 has it ignored).
/// </summary>
public sealed record IcmpError(IcmpClass Kind, bool Old = false) : Op
{
    public override int Apply(TcpRuntime runtime, ref Endpoint ep) =>
        runtime.IcmpArrives(ref ep, Kind, new Segment(Old ? ep.SndUna - 1 : ep.SndUna, 0, TcpFlags.None, 0, 0));

    public override TcpEvent EventFor(in Endpoint ep) => Kind == IcmpClass.Hard ? TcpEvent.IcmpHard : TcpEvent.IcmpSoft;

    public override string ToString() => $"ICMP {Kind}{(Old ? " (quoting an acknowledged segment)" : "")}";
}
