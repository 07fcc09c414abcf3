using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using TcpSpec.Language;

namespace TcpSpec.Cli.Output;

/// <summary>
/// Table diagnostics as a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format), so
/// code-scanning tools show them on the table's own line: one run, the tool's driver listing every
/// TSPEC rule, one result per diagnostic with its region (1-based line and column, length).
/// </summary>
public static class Sarif
{
    public const string Schema = "https://json.schemastore.org/sarif-2.1.0.json";

    public static string Write(IReadOnlyList<SpecDiagnostic> diagnostics)
    {
        var rules = new JsonArray();
        foreach (var r in SpecRules.All)
        {
            rules.Add(new JsonObject
            {
                ["id"] = r.Id,
                ["name"] = string.Concat(r.Title.Split(' ').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..])),
                ["shortDescription"] = new JsonObject { ["text"] = r.Title },
                ["fullDescription"] = new JsonObject { ["text"] = r.Help },
                ["defaultConfiguration"] = new JsonObject { ["level"] = Level(r.Severity) },
            });
        }
        var artifacts = diagnostics.Select(d => d.Location.Path).Distinct().ToList();
        var results = new JsonArray();
        foreach (var d in diagnostics)
        {
            int ruleIndex = SpecRules.All.ToList().FindIndex(r => r.Id == d.Id);
            var region = new JsonObject { ["startLine"] = Math.Max(1, d.Location.Line), ["startColumn"] = Math.Max(1, d.Location.Column) };
            if (d.Location.Length > 0) region["charLength"] = d.Location.Length;
            results.Add(new JsonObject
            {
                ["ruleId"] = d.Id,
                ["ruleIndex"] = ruleIndex,
                ["level"] = Level(d.Severity),
                ["message"] = new JsonObject { ["text"] = d.Message },
                ["locations"] = new JsonArray(new JsonObject
                {
                    ["physicalLocation"] = new JsonObject
                    {
                        ["artifactLocation"] = new JsonObject { ["uri"] = Uri(d.Location.Path), ["index"] = artifacts.IndexOf(d.Location.Path) },
                        ["region"] = region,
                    },
                }),
            });
        }
        var log = new JsonObject
        {
            ["$schema"] = Schema,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = "tcpspec",
                        ["semanticVersion"] = ToolVersion(),
                        ["rules"] = rules,
                    },
                },
                ["artifacts"] = new JsonArray(artifacts.Select(a => (JsonNode)new JsonObject { ["location"] = new JsonObject { ["uri"] = Uri(a) } }).ToArray()),
                ["results"] = results,
            }),
        };
        return log.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static string Level(SpecSeverity s) => s == SpecSeverity.Error ? "error" : "warning";

    /// <summary>A relative path as a relative URI reference (forward slashes), an absolute one as a file URI.</summary>
    private static string Uri(string path) =>
        Path.IsPathRooted(path) ? new Uri(path).AbsoluteUri : path.Replace('\\', '/');

    private static string ToolVersion()
    {
        var v = typeof(Sarif).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        int plus = v.IndexOf('+');
        return plus < 0 ? v : v[..plus];
    }
}
