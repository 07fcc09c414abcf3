using TcpSpec.Protocol;

namespace TcpSpec.Tests.Scenarios.Harness;

/// <summary>
/// What one step of one host did: the call or the segment that caused it, the row that fired,
/// the state before and after, and copies of the step's outputs (the runtime reuses its buffers).
/// </summary>
public sealed record StepRecord(
    string Host,
    string Cause,
    Segment? Input,
    int Row,
    TcpState Before,
    TcpState After,
    Segment[] Segments,
    TimerCommand[] Timers,
    Notice[] Notices)
{
    /// <summary>The one segment the step sent; fails if it sent none or several.</summary>
    public Segment Sent => Assert.Single(Segments);

    public bool Notified(NoticeKind kind) => Notices.Any(n => n.Kind == kind);

    /// <summary>The duration of the step's arming of <paramref name="timer"/>; fails if it did not arm it.</summary>
    public int Armed(TimerKind timer) => Assert.Single(Timers, t => t.Timer == timer && t.Arm).DurationMs;

    public override string ToString() =>
        $"{Host}: {Cause} [row {Row}] {Before} -> {After}; sent {string.Join(" ", Segments)}; told {string.Join(", ", Notices)}";
}
