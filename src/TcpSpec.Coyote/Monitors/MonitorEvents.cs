using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using CoyoteMonitor = Microsoft.Coyote.Specifications.Monitor;

namespace TcpSpec.Coyote.Monitors;

/// <summary>A move was applied: the worlds before and after, and what the engine did (valid only while the monitor runs: monitors are invoked synchronously).</summary>
internal sealed class MoveApplied(SharedWorld shared, World before, Move move, World after, StepLog log) : CoyoteMonitor.Event
{
    public SharedWorld Shared { get; } = shared;
    public World Before { get; } = before;
    public Move Move { get; } = move;
    public World After { get; } = after;
    public StepLog Log { get; } = log;
}

/// <summary>No actor has a move left: the run ended in <see cref="World"/> (within the in-flight bound).</summary>
internal sealed class RunEnded(SharedWorld shared, World world) : CoyoteMonitor.Event
{
    public SharedWorld Shared { get; } = shared;
    public World World { get; } = world;
}

/// <summary>The run left the in-flight bound: like the exhaustive search, it is not explored nor judged further.</summary>
internal sealed class RunBounded : CoyoteMonitor.Event
{
    public static readonly RunBounded Instance = new();
}
