namespace TcpSpec;

/// <summary>What the user is told (RFC 9293 §3.9's responses and signals).</summary>
public enum NoticeKind : byte
{
    /// <summary>Text arrived in order: A = its payload tag, B = its length.</summary>
    TextArrived,
    /// <summary>RECEIVE handed text to the user: B = its length.</summary>
    Delivered,
    /// <summary>RECEIVE was queued until text arrives.</summary>
    ReceiveQueued,
    /// <summary>The peer sent FIN: "connection closing".</summary>
    RemoteClosing,
    ConnectionReset,
    ConnectionRefused,
    /// <summary>R2 retransmissions without acknowledgment: the connection was aborted.</summary>
    RetransmitTimeout,
    UserTimeout,
    ErrorConnectionExists,
    ErrorNoConnection,
    ErrorForeignUnspecified,
    ErrorClosing,
    /// <summary>R1 retransmissions of one segment: the delivery problem is reported before R2 gives up (RFC 9293 §3.8.3, SHLD-9). A = retransmissions so far.</summary>
    DeliveryProblem,
    /// <summary>An ICMP soft error for the connection (RFC 9293 §3.9.2.2, SHLD-25); the connection stays.</summary>
    SoftError,
    /// <summary>An ICMP hard error aborted the connection attempt (RFC 9293 §3.9.2.2, SHLD-26).</summary>
    Unreachable,
}

/// <summary>A notification to the user.</summary>
public readonly record struct Notice(NoticeKind Kind, uint A = 0, uint B = 0);

/// <summary>Arm (with a duration) or cancel a timer.</summary>
public readonly record struct TimerCommand(TimerKind Timer, bool Arm, int DurationMs);

/// <summary>One state change, as the machine's single <c>Enter</c> records it.</summary>
public readonly record struct Transition(TcpState From, TcpState To, TcpEvent Event, int Row);

/// <summary>
/// The outputs of one step, as values: segments to send, timer commands, notifications and the
/// row that fired. One instance is reused step after step, so the dispatch path allocates
/// nothing once the buffers have grown to fit.
/// </summary>
public sealed class Effects
{
    private Segment[] _segments = new Segment[8];
    private TimerCommand[] _timers = new TimerCommand[4];
    private Notice[] _notices = new Notice[4];

    public int SegmentCount { get; private set; }

    public int TimerCount { get; private set; }

    public int NoticeCount { get; private set; }

    /// <summary>The row that decided the step, or 0 if none did (an undecided cell).</summary>
    public int Row { get; internal set; }

    /// <summary>The state change of the step, if the row changed state.</summary>
    public Transition? StateChange { get; internal set; }

    /// <summary>Called on every transition (state change or not) when set: the one tracing hook.</summary>
    public Action<Transition>? Trace { get; set; }

    public ReadOnlySpan<Segment> Segments => _segments.AsSpan(0, SegmentCount);

    public ReadOnlySpan<TimerCommand> TimerCommands => _timers.AsSpan(0, TimerCount);

    public ReadOnlySpan<Notice> Notices => _notices.AsSpan(0, NoticeCount);

    public void Clear()
    {
        SegmentCount = 0;
        TimerCount = 0;
        NoticeCount = 0;
        Row = 0;
        StateChange = null;
    }

    internal void Send(in Segment s)
    {
        if (SegmentCount == _segments.Length) Array.Resize(ref _segments, _segments.Length * 2);
        _segments[SegmentCount++] = s;
    }

    internal void Timer(in TimerCommand t)
    {
        if (TimerCount == _timers.Length) Array.Resize(ref _timers, _timers.Length * 2);
        _timers[TimerCount++] = t;
    }

    internal void Notify(in Notice n)
    {
        if (NoticeCount == _notices.Length) Array.Resize(ref _notices, _notices.Length * 2);
        _notices[NoticeCount++] = n;
    }

    public bool HasNotice(NoticeKind kind)
    {
        foreach (var n in Notices) if (n.Kind == kind) return true;
        return false;
    }
}
