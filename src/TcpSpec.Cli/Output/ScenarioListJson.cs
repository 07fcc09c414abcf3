using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;

namespace TcpSpec.Cli.Output;

/// <summary><c>tcpspec check --list --json</c>: the scenarios with their default budgets (schema: docs/json-schema.md, "check --list").</summary>
internal static class ScenarioListJson
{
    public static int Write(TextWriter stdout)
    {
        JsonOutput.Write(stdout, new
        {
            command = "check --list",
            scenarios = ScenarioCatalog.All.Select(s => Entry(s, runByDefault: true))
                .Concat(ScenarioCatalog.Findings.Select(s => Entry(s, runByDefault: false))),
        });
        return Cli.Ok;
    }

    private static object Entry(Scenario s, bool runByDefault) => new
    {
        name = s.Name,
        description = s.Description,
        runByDefault,
        budgets = Budgets(s.Defaults),
        crashable = new[] { "A", "B" }.Where((_, i) => (s.Crashable & (1 << i)) != 0),
        startsEstablished = s.StartEstablished,
        graceful = s.Graceful,
        properties = ScenarioCatalog.PropertiesOf(s).Select(p => p.Name),
    };

    /// <summary>The budgets as <c>check --json</c> writes them.</summary>
    public static object Budgets(Budgets b) => new { loss = b.Loss, dup = b.Dup, crash = b.Crash, data = b.Data, maxInFlight = b.MaxInFlight, stale = b.Stale, attack = b.Attack, calls = b.Calls, icmp = b.Icmp };
}
