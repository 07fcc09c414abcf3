using FsCheck;
using FsCheck.Fluent;
using TcpSpec.Protocol;

namespace TcpSpec.Tests.Properties.Model;

/// <summary>FsCheck generators for random runs: user calls, segments with any SYN/ACK/FIN/RST combination, timer expiries.</summary>
public static class Generators
{
    /// <summary>The configurations a run may use: the default, and a small one with a user timeout, a tiny MSS and few retries.</summary>
    public static readonly TcpConfig[] Configs =
    {
        TcpConfig.Default,
        TcpConfig.Default with
        {
            Mss = 100, ReceiveWindow = 1000, InitialRtoMs = 200, MaxRtoMs = 1000, MaxRetransmissions = 2, SynMaxRetransmissions = 2,
            MslMs = 1000, UserTimeoutMs = 30_000, IssStep = 7,
        },
    };

    private static Gen<int> Delta =>
        Gen.Frequency(
            (12, Gen.Constant(0)),
            (3, Gen.Constant(-1)),
            (2, Gen.Constant(1)),
            (2, Gen.Choose(-2, 2)),
            (2, Gen.Choose(-2000, 2000)),
            (1, Gen.Elements(int.MinValue, int.MaxValue, 1 << 30, -(1 << 30), 65535, 65536)),
            (1, Gen.Choose(int.MinValue, int.MaxValue)));

    private static Gen<SymbolicNumber> Number(params (int Weight, Anchor Anchor)[] anchors) =>
        from a in Gen.Frequency(anchors.Select(x => (x.Weight, Gen.Constant(x.Anchor))))
        from d in Delta
        select new SymbolicNumber(a, d);

    /// <summary>SEG.SEQ: mostly around RCV.NXT, IRS and the receive window's edge.</summary>
    public static Gen<SymbolicNumber> SeqNumber =>
        Number((6, Anchor.RcvNxt), (2, Anchor.Irs), (2, Anchor.RcvWndEnd), (1, Anchor.SndNxt), (1, Anchor.SndUna),
            (1, Anchor.Iss), (1, Anchor.Zero));

    /// <summary>SEG.ACK: mostly around SND.NXT, SND.UNA, ISS and the send window's edge.</summary>
    public static Gen<SymbolicNumber> AckNumber =>
        Number((6, Anchor.SndNxt), (4, Anchor.SndUna), (2, Anchor.Iss), (1, Anchor.SndWndEnd), (1, Anchor.RcvNxt),
            (1, Anchor.Zero));

    /// <summary>Any combination of SYN, ACK, FIN and RST (the ones real peers send more often), sometimes with PSH.</summary>
    public static Gen<TcpFlags> Flags =>
        from bits in Gen.Frequency(
            (3, Gen.Choose(0, 15)),
            (2, Gen.Elements(2, 2 | 4, 1 | 2, 1, 8, 8 | 2)))
        from psh in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        select (TcpFlags)(((bits & 1) != 0 ? (int)TcpFlags.Syn : 0) | ((bits & 2) != 0 ? (int)TcpFlags.Ack : 0)
            | ((bits & 4) != 0 ? (int)TcpFlags.Fin : 0) | ((bits & 8) != 0 ? (int)TcpFlags.Rst : 0)
            | (psh ? (int)TcpFlags.Psh : 0));

    private static Gen<ushort> Window =>
        Gen.Frequency(
            (4, Gen.Elements<ushort>(0, 1, 100, 536, 8192, 65535)),
            (1, Gen.Choose(0, 65535).Select(i => (ushort)i)));

    private static Gen<ushort> Length =>
        Gen.Frequency(
            (6, Gen.Constant((ushort)0)),
            (3, Gen.Choose(1, 10).Select(i => (ushort)i)),
            (3, Gen.Choose(1, 1200).Select(i => (ushort)i)),
            (1, Gen.Elements<ushort>(536, 1000, 8192, 65535)));

    public static Gen<Op> Arrival =>
        from flags in Flags
        from seq in SeqNumber
        from ack in AckNumber
        from wnd in Window
        from len in Length
        from payload in Gen.Choose(0, int.MaxValue)
        select (Op)new Arrival(flags, seq, ack, wnd, len, (uint)payload);

    /// <summary>A segment a synchronized peer would send: at RCV.NXT (or the FIN just before it, or IRS), acknowledging SND.NXT or SND.UNA.</summary>
    public static Gen<Op> PlausibleArrival =>
        from flags in Gen.Elements(TcpFlags.Ack, TcpFlags.Ack | TcpFlags.Fin, TcpFlags.Ack | TcpFlags.Syn, TcpFlags.Rst,
            TcpFlags.Rst | TcpFlags.Ack, TcpFlags.Syn, TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Ack)
        from seq in Gen.Elements(new SymbolicNumber(Anchor.RcvNxt, 0), new SymbolicNumber(Anchor.RcvNxt, -1), new SymbolicNumber(Anchor.Irs, 0))
        from ack in Gen.Elements(new SymbolicNumber(Anchor.SndNxt, 0), new SymbolicNumber(Anchor.SndUna, 0), new SymbolicNumber(Anchor.SndUna, 1))
        from len in Gen.Frequency((3, Gen.Constant((ushort)0)), (1, Gen.Choose(1, 600).Select(i => (ushort)i)))
        from payload in Gen.Choose(0, int.MaxValue)
        select (Op)new Arrival(flags, seq, ack, 8192, len, (uint)payload);

    public static Gen<Op> UserCall =>
        Gen.OneOf(
            Gen.Elements(0u, 1u).Select(a => (Op)new UserCall(TcpEvent.OpenPassive, a)),
            Gen.Constant((Op)new UserCall(TcpEvent.OpenActive, 0)),
            Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(1, 3000))).Select(n => (Op)new UserCall(TcpEvent.Send, (uint)n)),
            Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(1, 2000))).Select(n => (Op)new UserCall(TcpEvent.Receive, (uint)n)),
            Gen.Constant((Op)new UserCall(TcpEvent.Close, 0)),
            Gen.Constant((Op)new UserCall(TcpEvent.Abort, 0)));

    public static Gen<Op> Expiry =>
        Gen.Frequency(
            (4, Gen.Constant(TimerKind.Retransmit)),
            (2, Gen.Constant(TimerKind.TimeWait)),
            (1, Gen.Constant(TimerKind.User)),
            (1, Gen.Constant(TimerKind.Persist))).Select(t => (Op)new Expiry(t));

    /// <summary>A soft or hard ICMP error for the connection (RFC 9293 §3.9.2.2), now and then quoting an acknowledged segment (RFC 5927 §4.1); a Source Quench is no event (IcmpTests).</summary>
    public static Gen<Op> Icmp => Gen.Elements<Op>(new IcmpError(IcmpClass.Soft), new IcmpError(IcmpClass.Hard), new IcmpError(IcmpClass.Soft, Old: true), new IcmpError(IcmpClass.Hard, Old: true));

    public static Gen<Op> AnyOp => Gen.Frequency((8, Arrival), (5, PlausibleArrival), (5, UserCall), (3, Expiry), (1, Icmp));

    /// <summary>Runs of 1 to 25 steps from one of the starts in <paramref name="state"/>.</summary>
    public static Gen<RunCase> Runs(TcpState state) =>
        from start in Gen.Elements(StartStates.For(state).ToArray())
        from config in Gen.Elements(Configs)
        from n in Gen.Choose(1, 25)
        from ops in Gen.ArrayOf(AnyOp, n)
        select new RunCase(start, config, ops);

    /// <summary>Shrinks a run by dropping steps: the last half, the first half, then one step at a time.</summary>
    public static IEnumerable<RunCase> Shrink(RunCase run)
    {
        var ops = run.Ops;
        if (ops.Count <= 1) yield break;
        yield return run with { Ops = ops.Take(ops.Count / 2).ToArray() };
        yield return run with { Ops = ops.Skip(ops.Count / 2).ToArray() };
        for (int i = 0; i < ops.Count; i++)
            yield return run with { Ops = ops.Where((_, j) => j != i).ToArray() };
    }

    public static Arbitrary<RunCase> ArbRuns(TcpState state) => Arb.From(Runs(state), Shrink);
}
