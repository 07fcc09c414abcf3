using System.Text.Json;
using TcpSpec.Checker.Output;
using TcpSpec.Cli.Commands;
using TcpSpec.Engines;

namespace TcpSpec.Cli.Output;

/// <summary><c>tcpspec check --json</c>: the results as one JSON document (schema: docs/json-schema.md, "check").</summary>
internal static class CheckJson
{
    public static void Write(TextWriter stdout, IEngine engine, string? specPath, IReadOnlyList<ScenarioOutcome> outcomes, string coveragePath)
    {
        var doc = new
        {
            command = "check",
            table = TableCommand.Shown(specPath),
            tableHash = TableHash.Of(engine),
            holds = outcomes.All(o => o.Result is { Holds: true }),
            coverage = TableCommand.Relative(coveragePath),
            scenarios = outcomes.Select(o => o.Result is not { } r
                ? o.Crash is { } crash
                    ? (object)new { name = o.Scenario.Name, holds = false, engineCrashed = new { exception = crash.InnerException!.GetType().Name, message = crash.InnerException.Message, move = crash.Path.Count + 1, lastMove = crash.LastMove, path = crash.Path } }
                    : new { name = o.Scenario.Name, holds = false, cannotStart = o.CannotStart }
                : new
                {
                    name = r.Scenario.Name,
                    budgets = new { loss = r.Budgets.Loss, dup = r.Budgets.Dup, crash = r.Budgets.Crash, data = r.Budgets.Data, maxInFlight = r.Budgets.MaxInFlight, stale = r.Budgets.Stale, attack = r.Budgets.Attack, calls = r.Budgets.Calls, icmp = r.Budgets.Icmp },
                    strategy = r.Strategy,
                    states = r.Stats.States,
                    transitions = r.Stats.Transitions,
                    maxDepth = r.Stats.MaxDepth,
                    endings = r.Stats.Endings,
                    bounded = r.Stats.Bounded,
                    iterations = r.Stats.Iterations,
                    seconds = Math.Round(r.Stats.Seconds, 3),
                    statesPerSecond = Math.Round(r.Stats.StatesPerSecond),
                    peakMemoryBytes = r.Stats.PeakMemoryBytes,
                    truncated = r.Stats.Truncated,
                    stoppedBy = r.Stats.StoppedBy,
                    bitstate = r.Stats.Bitstate,
                    holds = r.Holds,
                    rowsCovered = r.Coverage.RowsCovered,
                    violations = r.Violations.Select((v, i) => new
                    {
                        property = v.Property,
                        message = v.Message,
                        moves = v.Path.Count,
                        lasso = v.IsLasso,
                        replay = TableCommand.Relative(o.Files[i].Replay),
                        trace = TableCommand.Relative(o.Files[i].Trace),
                        diagram = TableCommand.Relative(o.Files[i].Diagram),
                        pcap = TableCommand.Relative(o.Files[i].Pcap),
                    }),
                }),
        };
        stdout.WriteLine(JsonSerializer.Serialize(doc, JsonOutput.Options));
    }
}
