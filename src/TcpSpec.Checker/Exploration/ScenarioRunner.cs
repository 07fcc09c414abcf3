using TcpSpec.Checker.Model;
using TcpSpec.Checker.Strategies;
using TcpSpec.Engines;

namespace TcpSpec.Checker.Exploration;

/// <summary>
/// Runs a scenario the way <c>tcpspec check</c> does, for tests and tools: a test can check a
/// scenario and assert it holds, as with Coyote's testing engine.
/// </summary>
public static class ScenarioRunner
{
    public static (ModelSpec Spec, CheckResult Result) Exhaustive(Scenario scenario, Budgets? budgets = null, IEngine? engine = null,
        ModelOptions? model = null, ExhaustiveOptions? options = null)
    {
        var spec = new ModelSpec(engine ?? GeneratedEngine.Instance, scenario, budgets ?? scenario.Defaults, model);
        return (spec, new ExhaustiveSearch(spec, options).Run());
    }

    public static (ModelSpec Spec, CheckResult Result) Random(Scenario scenario, RandomOptions options, Budgets? budgets = null,
        IEngine? engine = null, ModelOptions? model = null)
    {
        var spec = new ModelSpec(engine ?? GeneratedEngine.Instance, scenario, budgets ?? scenario.Defaults, model);
        return (spec, new RandomSearch(spec, options).Run());
    }

    /// <summary>Throws with the counterexample trace when a property fails.</summary>
    public static void AssertHolds(ModelSpec spec, CheckResult result)
    {
        if (result.Holds) return;
        var v = result.Violations[0];
        throw new PropertyViolatedException(Output.TraceText.Write(spec, v, Replay.Run(spec, v.Path)));
    }
}

public sealed class PropertyViolatedException(string trace) : Exception(trace);
