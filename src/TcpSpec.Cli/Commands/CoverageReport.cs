using System.Text.Json;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Strategies;
using TcpSpec.Engines;

namespace TcpSpec.Cli.Commands;

/// <summary>
/// The coverage of a <c>tcpspec check</c> run, written as JSON beside the counterexamples:
/// which rows fired in which scenarios and which (state, event) cells were met. <c>tcpspec docs</c>
/// colours the diagram with it.
/// </summary>
public static class CoverageReport
{
    public const string FileName = "coverage.json";

    public static Coverage Merge(IEngine engine, IReadOnlyList<CheckResult> results)
    {
        var merged = new Coverage(engine.Rows.Count, engine.StateNames.Count, TcpMachine.EventNames.Count);
        foreach (var r in results) merged.Merge(r.Coverage);
        return merged;
    }

    public static string Write(IEngine engine, IReadOnlyList<CheckResult> results, string directory, string? specPath, string tableHash)
    {
        Directory.CreateDirectory(directory);
        var merged = Merge(engine, results);
        var doc = new
        {
            spec = specPath ?? "spec/" + TcpMachine.SpecFile,
            tableHash,
            scenarios = results.Select(r => r.Scenario.Name),
            rows = engine.Rows.Select(row => new
            {
                id = row.Id,
                line = row.Line,
                description = row.Description,
                covered = merged.Rows[row.Id],
                scenarios = results.Where(r => r.Coverage.Rows[row.Id]).Select(r => r.Scenario.Name),
            }),
            cells = Enumerable.Range(0, engine.StateNames.Count).SelectMany(s => Enumerable.Range(0, TcpMachine.EventNames.Count).Select(e => new
            {
                state = engine.StateNames[s],
                @event = TcpMachine.EventNames[e],
                covered = merged.Cells[s * merged.EventCount + e],
            })),
        };
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path, JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }
}
