using Microsoft.Coyote.Specifications;
using CoyoteMonitor = Microsoft.Coyote.Specifications.Monitor;

namespace TcpSpec.Coyote.Monitors;

/// <summary>
/// "Both sides reach CLOSED" and no livelock, as Coyote liveness: the monitor is hot until the
/// run reaches an ending (which the safety monitor judges), cold after. A run that ends while
/// hot, or (under a fair strategy) stays hot past Coyote's temperature threshold, is a liveness
/// bug: a cycle the run does not leave. Unfair strategies (pct, delay-bounding, qlearning) stop at
/// the step cap and cannot report one.
/// </summary>
internal sealed class LivenessMonitor : CoyoteMonitor
{
    public const string Property = "no-livelock";

    [Start]
    [Hot]
    [OnEventGotoState(typeof(RunEnded), typeof(Ended))]
    [OnEventGotoState(typeof(RunBounded), typeof(Ended))]
    private sealed class Running : State
    {
    }

    [Cold]
    [IgnoreEvents(typeof(RunEnded), typeof(RunBounded))]
    private sealed class Ended : State
    {
    }
}
