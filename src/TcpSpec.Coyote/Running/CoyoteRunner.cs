using TcpSpec.Checker;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using Microsoft.Coyote.Logging;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Engines;

namespace TcpSpec.Coyote;

/// <summary>
/// Runs a scenario under Coyote for tests and tools, in the style of the checker's
/// <see cref="ScenarioRunner"/>: a test explores a scenario in one line and asserts it holds.
/// </summary>
/// <example>
/// <code>
/// var (spec, run) = CoyoteRunner.Explore(ScenarioCatalog.LostFinalAck, new CoyoteOptions { Strategy = CoyoteStrategy.Pct, Seed = 1, Iterations = 200 },
///     log: new TestOutputLogger(output));
/// CoyoteRunner.AssertHolds(spec, run);
/// </code>
/// </example>
public static class CoyoteRunner
{
    public static (TwoHostModel Spec, CoyoteRun Run) Explore(Scenario scenario, CoyoteOptions options, Budgets? budgets = null, IEngine? engine = null,
        ModelOptions? model = null, ILogger? log = null)
    {
        var spec = new TwoHostModel(engine ?? GeneratedEngine.Instance, scenario, budgets ?? scenario.Defaults, model);
        return (spec, CoyoteExplorer.Run(spec, options, log));
    }

    /// <summary>Throws with the counterexample trace (the checker's text, then Coyote's bug report) when a property fails.</summary>
    public static void AssertHolds(TwoHostModel spec, CoyoteRun run)
    {
        if (run.Result.Holds) return;
        var v = run.Result.Violations[0];
        throw new PropertyViolatedException(Checker.Output.TraceText.Write(spec, v, Trace.Of(spec, ScenarioCatalog.PropertiesOf(spec.Scenario), v.Path)) + "\nCoyote: " + run.BugReport);
    }
}
