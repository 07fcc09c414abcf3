using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Engines;

namespace TcpSpec.Checker;

/// <summary>How to check a scenario; every part has the default <c>tcpspec check</c> uses.</summary>
public sealed record CheckOptions
{
    /// <summary>The table to run (default: the generated engine).</summary>
    public IEngine? Engine { get; init; }

    /// <summary>The fault and size budgets (default: the scenario's).</summary>
    public Budgets? Budgets { get; init; }

    public ModelOptions? Model { get; init; }

    /// <summary>How to explore (default: <see cref="ExhaustiveSearch"/> with its default options).</summary>
    public IStrategy? Strategy { get; init; }

    /// <summary>The properties to check (default: the built-in ones and the scenario's own, <see cref="ScenarioCatalog.PropertiesOf"/>).</summary>
    public IReadOnlyList<IProperty>? Properties { get; init; }
}

/// <summary>
/// The checker's one entry point, used by the CLI, the tests and the benchmarks: builds the
/// model of a scenario (Model, Exploration), and hands it and the properties (Properties) to a
/// strategy (Strategies). A test checks a scenario and asserts it holds, as with Coyote's
/// testing engine.
/// </summary>
public static class ModelChecker
{
    /// <summary>Checks <paramref name="scenario"/>. A table that cannot run the scenario throws <see cref="InvalidOperationException"/> saying why.</summary>
    public static CheckResult Check(Scenario scenario, CheckOptions? options = null)
    {
        options ??= new CheckOptions();
        var model = new TwoHostModel(options.Engine ?? GeneratedEngine.Instance, scenario, options.Budgets ?? scenario.Defaults, options.Model);
        var strategy = options.Strategy ?? new ExhaustiveSearch();
        return strategy.Run(model, options.Properties ?? ScenarioCatalog.PropertiesOf(scenario));
    }

    /// <summary>Throws with the counterexample trace when a property fails.</summary>
    public static void AssertHolds(CheckResult result)
    {
        if (result.Holds) return;
        var v = result.Violations[0];
        throw new PropertyViolatedException(Output.TraceText.Write(result.Model, v, Trace.Of(result.Model, result.Properties, v.Path)));
    }
}

public sealed class PropertyViolatedException(string trace) : Exception(trace);
