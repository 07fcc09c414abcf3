using FsCheck;
using FsCheck.Fluent;
using TcpSpec.Tests.Scenarios.Harness;

namespace TcpSpec.Tests.Properties.Model;

/// <summary>What the network or a user does next in a random two-host run.</summary>
public enum NetActionKind : byte
{
    /// <summary>Deliver the N-th oldest segment in flight to the host (N > 0 reorders).</summary>
    Deliver,
    Drop,
    /// <summary>Deliver a copy of the oldest segment in flight to the host, leaving the original in flight.</summary>
    Duplicate,
    Send,
    Receive,
    Close,
    /// <summary>The host's retransmission timer expires, if it is armed.</summary>
    Retransmit,
}

/// <summary>One random action on host A (false) or B (true).</summary>
public readonly record struct NetAction(NetActionKind Kind, bool OnB, int N)
{
    public override string ToString() => $"{Kind}({(OnB ? "B" : "A")}, {N})";

    public void Apply(Wire w)
    {
        var h = OnB ? w.B : w.A;
        int inFlight = w.InFlightTo(h).Count;
        switch (Kind)
        {
            case NetActionKind.Deliver when inFlight > 0:
                w.Deliver(h, w.Take(h, N % inFlight));
                break;
            case NetActionKind.Drop when inFlight > 0:
                w.Drop(h);
                break;
            case NetActionKind.Duplicate when inFlight > 0:
                w.Deliver(h, w.InFlightTo(h)[0]);
                break;
            case NetActionKind.Send:
                h.Send((uint)N);
                break;
            case NetActionKind.Receive:
                h.Receive();
                break;
            case NetActionKind.Close:
                h.Close();
                break;
            case NetActionKind.Retransmit when (h.Endpoint.Timers & TimerKind.Retransmit) != 0:
                h.Expire(TimerKind.Retransmit);
                break;
        }
    }

    public static Gen<NetAction> Gen =>
        from kind in FsCheck.Fluent.Gen.Frequency(
            (10, FsCheck.Fluent.Gen.Constant(NetActionKind.Deliver)),
            (2, FsCheck.Fluent.Gen.Constant(NetActionKind.Drop)),
            (2, FsCheck.Fluent.Gen.Constant(NetActionKind.Duplicate)),
            (4, FsCheck.Fluent.Gen.Constant(NetActionKind.Send)),
            (1, FsCheck.Fluent.Gen.Constant(NetActionKind.Receive)),
            (1, FsCheck.Fluent.Gen.Constant(NetActionKind.Close)),
            (3, FsCheck.Fluent.Gen.Constant(NetActionKind.Retransmit)))
        from onB in FsCheck.Fluent.Gen.Elements(false, true)
        from n in kind == NetActionKind.Send
            ? FsCheck.Fluent.Gen.Choose(1, 1500)
            : FsCheck.Fluent.Gen.Frequency((3, FsCheck.Fluent.Gen.Constant(0)), (1, FsCheck.Fluent.Gen.Choose(1, 4)))
        select new NetAction(kind, onB, n);
}
