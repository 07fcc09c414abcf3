namespace TcpSpec.Conformance.Packetdrill;

/// <summary>
/// The script's virtual clock: the time now, the time relative lines count from, and the deadline
/// of every armed timer (one slot per timer of <see cref="TcpRuntime.Timeouts"/>). No real time.
/// </summary>
internal sealed class VirtualClock
{
    public const int MaxTimerFirings = 100_000;

    private readonly long[] _deadline; // per TcpRuntime.Timeouts entry; -1 when not armed
    private int _firings;

    public VirtualClock() => _deadline = TcpRuntime.Timeouts.Select(_ => -1L).ToArray();

    /// <summary>The virtual clock, µs since the script started.</summary>
    public long Now { get; private set; }

    /// <summary>The time relative times count from: the previous event's.</summary>
    public long Last { get; set; }

    /// <summary>The scripted time of an absolute or relative line.</summary>
    public long At(EventTime t) => t.Kind == TimeKind.Relative || t.Kind == TimeKind.RelativeRange ? Last + t.Usecs : t.Usecs;

    /// <summary>Moves the clock on to <paramref name="t"/> (never back).</summary>
    public void MoveTo(long t) => Now = Math.Max(Now, t);

    /// <summary>The earliest timer due by <paramref name="limit"/> and its deadline, if any (the earlier slot on a tie).</summary>
    public (TimerKind Timer, long Deadline)? NextDue(long limit)
    {
        int next = -1;
        for (int i = 0; i < _deadline.Length; i++)
            if (_deadline[i] >= 0 && _deadline[i] <= limit && (next < 0 || _deadline[i] < _deadline[next])) next = i;
        return next < 0 ? null : (TcpRuntime.Timeouts[next].Timer, _deadline[next]);
    }

    /// <summary>Counts a firing; false once timers fired more than <see cref="MaxTimerFirings"/> times (a timer of length 0?).</summary>
    public bool CountFiring() => ++_firings <= MaxTimerFirings;

    /// <summary>The timer fires: the clock moves on to its deadline and it is no longer armed.</summary>
    public void Fire(TimerKind timer)
    {
        int i = Slot(timer);
        MoveTo(_deadline[i]);
        _deadline[i] = -1;
    }

    /// <summary>An engine step's timer command: arm for its duration from now, or cancel.</summary>
    public void Apply(TimerCommand command)
    {
        int i = Slot(command.Timer);
        if (i >= 0) _deadline[i] = command.Arm ? Now + Math.Max(0, (long)command.DurationMs) * 1000 : -1;
    }

    private static int Slot(TimerKind timer)
    {
        for (int i = 0; i < TcpRuntime.Timeouts.Count; i++)
            if (TcpRuntime.Timeouts[i].Timer == timer) return i;
        return -1;
    }

    /// <summary>Disarms every timer (the connection they belonged to is gone).</summary>
    public void CancelAll() => Array.Fill(_deadline, -1L);
}
