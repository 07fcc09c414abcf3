using System.Runtime.InteropServices;
using TcpSpec.Engines;

namespace TcpSpec.Benchmarks.Dispatch;

/// <summary>One engine step of a benchmark stream: which endpoint, which event and its arguments.</summary>
/// <param name="ClearTimer">A timer expiry first disarms its timer (as <see cref="TcpRuntime.Expire"/> does).</param>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct StreamStep(byte Host, TcpEvent Event, TimerKind ClearTimer, uint Amount, Segment Seg);

/// <summary>
/// A precomputed stream of events for two endpoints, recorded from a run of the generated engine
/// through <see cref="TcpRuntime"/>, with what that run produced at each step (row, endpoint,
/// a digest of the outputs) so any engine replaying it can be checked step by step.
/// </summary>
internal sealed class EventStream
{
    public required string Name { get; init; }
    public required TcpConfig Config { get; init; }
    public required Endpoint[] Initial { get; init; }
    public required StreamStep[] Steps { get; init; }
    public required int[] Rows { get; init; }
    public required Endpoint[] After { get; init; }
    public required ulong[] Outputs { get; init; }

    /// <summary>Distinct rows the stream fires.</summary>
    public int DistinctRows => Rows.Where(r => r > 0).Distinct().Count();

    /// <summary>A digest of one step's outputs: row, state change, segments, timer commands, notices.</summary>
    public static ulong Digest(Effects fx)
    {
        ulong h = 0xCBF29CE484222325UL;
        void Add(ulong v) => h = Endpoint.Mix(h ^ v) + 0x9E3779B97F4A7C15UL;
        Add((ulong)fx.Row);
        if (fx.StateChange is { } c) Add((ulong)c.From | (ulong)c.To << 8 | (ulong)c.Event << 16 | (ulong)(uint)c.Row << 32);
        foreach (var s in fx.Segments)
        {
            Add((ulong)s.Seq | (ulong)s.Ack << 32);
            Add((ulong)s.Flags | (ulong)s.Window << 8 | (ulong)s.Length << 24 | (ulong)s.Payload << 40);
        }
        Add(0xFFFF_0001);
        foreach (var t in fx.TimerCommands) Add((ulong)t.Timer | (t.Arm ? 0x100UL : 0) | (ulong)(uint)t.DurationMs << 32);
        Add(0xFFFF_0002);
        foreach (var n in fx.Notices) Add((ulong)n.Kind | (ulong)n.A << 8 | (ulong)n.B << 40);
        return h;
    }
}

/// <summary>The dispatch under test, as a struct so that the replay loop is specialised per engine (no interface call).</summary>
internal interface IDispatcher
{
    int Dispatch(TcpEvent ev, ref TcpContext ctx);
}

internal readonly struct GeneratedDispatch : IDispatcher
{
    public int Dispatch(TcpEvent ev, ref TcpContext ctx) => TcpMachine.Dispatch(ctx.Ep.State, ev, ref ctx);
}

internal readonly struct HandWrittenDispatch : IDispatcher
{
    public int Dispatch(TcpEvent ev, ref TcpContext ctx) => HandWrittenEngine.Dispatch(ctx.Ep.State, ev, ref ctx);
}

internal readonly struct InterpretedDispatch(InterpretedEngine engine) : IDispatcher
{
    public int Dispatch(TcpEvent ev, ref TcpContext ctx) => engine.Dispatch(ev, ref ctx);
}

/// <summary>No engine at all: what every step costs around the dispatch (clearing the outputs, the context, the ACK check).</summary>
internal readonly struct NoDispatch : IDispatcher
{
    public int Dispatch(TcpEvent ev, ref TcpContext ctx) => 0;
}

/// <summary>Replays a stream: exactly what <see cref="TcpRuntime.Step"/> does per event (the one ACK at the end, unless delayed ACKs defer it), without the engine interface.</summary>
internal static class StreamReplay
{
    /// <summary>The measured loop: no allocation, no randomness; returns the sum of the rows (so nothing is dead code).</summary>
    public static int Run<T>(T engine, EventStream stream, Endpoint[] eps, Effects fx) where T : struct, IDispatcher
    {
        eps[0] = stream.Initial[0];
        eps[1] = stream.Initial[1];
        var config = stream.Config;
        int sum = 0;
        foreach (ref readonly var step in stream.Steps.AsSpan())
        {
            ref var ep = ref eps[step.Host];
            ep.Timers &= ~step.ClearTimer;
            fx.Clear();
            var ctx = new TcpContext(ref ep, config, fx, step.Event, step.Seg, step.Amount);
            sum += engine.Dispatch(step.Event, ref ctx);
            if (ctx.AckNeeded || (ctx.AckDeferrable > 0 && !ActionHelpers.DeferAck(ref ctx, ctx.AckDeferrable))) fx.Send(new Segment(ep.SndNxt, ep.RcvNxt, TcpFlags.Ack, ep.RcvWnd, 0));
        }
        return sum;
    }

    /// <summary>The same loop, checking every step against the recording; throws at the first difference.</summary>
    public static void Verify<T>(string engineName, T engine, EventStream stream) where T : struct, IDispatcher
    {
        var eps = new Endpoint[2];
        var fx = new Effects();
        eps[0] = stream.Initial[0];
        eps[1] = stream.Initial[1];
        for (int i = 0; i < stream.Steps.Length; i++)
        {
            var step = stream.Steps[i];
            ref var ep = ref eps[step.Host];
            ep.Timers &= ~step.ClearTimer;
            var before = ep;
            fx.Clear();
            var ctx = new TcpContext(ref ep, stream.Config, fx, step.Event, step.Seg, step.Amount);
            int row = engine.Dispatch(step.Event, ref ctx);
            if (ctx.AckNeeded || (ctx.AckDeferrable > 0 && !ActionHelpers.DeferAck(ref ctx, ctx.AckDeferrable))) fx.Send(new Segment(ep.SndNxt, ep.RcvNxt, TcpFlags.Ack, ep.RcvWnd, 0));
            if (row != stream.Rows[i] || ep != stream.After[i] || EventStream.Digest(fx) != stream.Outputs[i])
            {
                throw new InvalidOperationException(
                    $"{engineName} differs from the recording of stream '{stream.Name}' at step {i}: {TcpMachine.EventNames[(int)step.Event]} {step.Seg} " +
                    $"in {before}: row {row} (recorded R{stream.Rows[i]}), endpoint {ep} (recorded {stream.After[i]})");
            }
        }
    }
}
