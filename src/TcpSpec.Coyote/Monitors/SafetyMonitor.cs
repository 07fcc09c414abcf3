using TcpSpec.Checker;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using Microsoft.Coyote.Specifications;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Properties;
using CoyoteMonitor = Microsoft.Coyote.Specifications.Monitor;

namespace TcpSpec.Coyote.Monitors;

/// <summary>
/// The checker's own properties (<see cref="IProperty"/>: the built-in ones and the scenario's)
/// as a Coyote safety monitor: each move is judged by every property's step check, each ending
/// by every ending check; a failure records the run and is a Coyote assertion failure.
/// </summary>
internal sealed class SafetyMonitor : CoyoteMonitor
{
    [Start]
    [OnEventDoAction(typeof(MoveApplied), nameof(OnMove))]
    [OnEventDoAction(typeof(RunEnded), nameof(OnEnding))]
    private sealed class Watching : State
    {
    }

    private void OnMove(Event e)
    {
        var m = (MoveApplied)e;
        var spec = m.Shared.Spec;
        foreach (var p in PropertiesOf(spec))
        {
            var message = p.CheckStep(spec, m.Before, m.Move, m.After, m.Log);
            if (message is not null) Fail(m.Shared, p.Name, message);
        }
    }

    private void OnEnding(Event e)
    {
        var end = (RunEnded)e;
        var spec = end.Shared.Spec;
        foreach (var p in PropertiesOf(spec))
        {
            var message = p.CheckEnding(spec, end.World);
            if (message is not null) Fail(end.Shared, p.Name, message);
        }
    }

    private void Fail(SharedWorld shared, string property, string message)
    {
        shared.Record.Found(new Violation(property, message, shared.Path.ToList()));
        Assert(false, "{0}: {1}", property, message);
    }

    internal static IEnumerable<IProperty> PropertiesOf(TwoHostModel spec) => ScenarioCatalog.PropertiesOf(spec.Scenario);
}
