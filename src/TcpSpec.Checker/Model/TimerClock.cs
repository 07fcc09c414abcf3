using System.Numerics;
using System.Runtime.CompilerServices;

namespace TcpSpec.Checker.Model;

/// <summary>Room for one deadline per timer kind of each host, inline in the world value.</summary>
[InlineArray(TimerClock.Slots)]
public struct DeadlineBuffer
{
    private byte _first;
}

/// <summary>
/// The logical clock of the timed model, kept only as differences: for every armed timer of
/// both hosts, the ticks left until its deadline, counted from "now" (the instant of the last
/// expiry). A tick is one initial RTO (RFC 6298 §2.1: 1 s), the unit every duration of the
/// model is a multiple of: the backed-off RTO (§5.5), the persist interval (RFC 9293 §3.8.6.1),
/// 2 MSL (§3.4.2). Non-timer moves take no time; an expiry moves "now" to its deadline and every
/// other deadline closer by as much. The absolute time is never stored, so the clock adds
/// finitely many values to a world: at most <see cref="MaxTicks"/> per timer.
/// </summary>
public struct TimerClock
{
    /// <summary>Two hosts × the four timer kinds of <see cref="TimerKind"/>.</summary>
    public const int Slots = 8;

    /// <summary>The longest deadline the clock holds; longer durations are clamped to it (the model's are all shorter: 2 MSL is 240 ticks).</summary>
    public const int MaxTicks = byte.MaxValue;

    private DeadlineBuffer _left;

    private static int Slot(int host, TimerKind timer) => host * 4 + BitOperations.TrailingZeroCount((uint)timer);

    /// <summary>Ticks until <paramref name="timer"/> of <paramref name="host"/> expires (0: now, or not armed).</summary>
    public readonly int Left(int host, TimerKind timer) => HasDeadline(timer) ? _left[Slot(host, timer)] : 0;

    /// <summary>
    /// A delayed ACK (RFC 9293 §3.8.6.3: under 0.5 s, MUST-40) is shorter than a tick: it keeps no
    /// deadline and is always due now, so it may expire at once and the clock moves on only after it.
    /// </summary>
    private static bool HasDeadline(TimerKind timer) => timer != TimerKind.DelayedAck;

    /// <summary>A duration in ticks: whole initial RTOs, rounded up, at least one.</summary>
    public static int Ticks(int durationMs, int initialRtoMs) =>
        Math.Clamp((int)(((long)durationMs + initialRtoMs - 1) / initialRtoMs), 1, MaxTicks);

    /// <summary>Takes the timer commands of one engine step of <paramref name="host"/>: an arm sets the deadline from now, a cancel forgets it.</summary>
    public void Apply(int host, ReadOnlySpan<TimerCommand> commands, int initialRtoMs)
    {
        foreach (var c in commands)
        {
            if (!HasDeadline(c.Timer)) continue;
            _left[Slot(host, c.Timer)] = c.Arm ? (byte)Ticks(c.DurationMs, initialRtoMs) : (byte)0;
        }
    }

    /// <summary>The clock moves on by <paramref name="ticks"/> (to the earliest deadline, so no armed timer is passed).</summary>
    public void Advance(int ticks)
    {
        for (int i = 0; i < Slots; i++) _left[i] = (byte)Math.Max(0, _left[i] - ticks);
    }

    /// <summary>Forgets the deadlines of <paramref name="host"/> (it crashed: no TCB, no timers).</summary>
    public void Clear(int host)
    {
        for (int i = host * 4; i < host * 4 + 4; i++) _left[i] = 0;
    }

    /// <summary>The deadlines as one fingerprint word: slot i in byte i (the eight slots read as one little-endian load, not slot by slot; the pinned fingerprints of StorageTests check the value).</summary>
    internal readonly ulong Word =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(System.Runtime.InteropServices.MemoryMarshal.AsBytes(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(in _left, 1)));
}
