using TcpSpec.Checker;
using TcpSpec.Checker.Properties;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Coyote;
using TcpSpec.Engines;

namespace TcpSpec.Benchmarks.Coyote;

/// <summary>
/// <c>-- coyote [iterations] [coverage-iterations]</c>: which explorer to choose. Per broken table of
/// spec/broken/, the exhaustive search's time to its shortest counterexample against each Coyote
/// strategy's iterations and time to its first bug (seed 1, within a budget); then the rows and
/// (state, event) cells each strategy covers over the default scenarios after N iterations.
/// Rewrites the "Coyote" section of docs/benchmarks.md (between its markers; the docs mode keeps it).
/// </summary>
internal static class CoyoteCommand
{
    public const string Begin = "<!-- coyote:begin (tests/TcpSpec.Benchmarks -- coyote) -->";
    public const string End = "<!-- coyote:end -->";

    public static int Run(string[] args)
    {
        int budget = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        int coverageIterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var strategies = Enum.GetValues<CoyoteStrategy>();
        string root = Docs.DocsCommand.RepoRoot();
        var md = new StringBuilder();
        md.AppendLine(Begin);
        md.AppendLine("## Coyote or the exhaustive search: time to the first bug, coverage");
        md.AppendLine();
        md.AppendLine($"From `dotnet run -c Release --project tests/TcpSpec.Benchmarks -- coyote {budget} {coverageIterations}` ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, load {Docs.DocsCommand.LoadAverage()}). " +
                      "One run each, wall time, so read the times as orders of magnitude. Coyote: seed 1, `--max-steps 500`, bound 3; " +
                      $"the exhaustive search: {Environment.ProcessorCount} workers, stopping at the first level with a violation (a shortest counterexample).");
        md.AppendLine();
        md.AppendLine($"### Broken tables: iterations / seconds to the first bug (budget {budget} iterations; — not found)");
        md.AppendLine();
        md.AppendLine("| table | scenario | exhaustive: moves, states, s | " + string.Join(" | ", strategies.Select(CoyoteOptions.Name)) + " |");
        md.AppendLine("|---|---|---|" + string.Concat(strategies.Select(_ => "---|")));
        foreach (var file in Directory.GetFiles(Path.Combine(root, "spec", "broken"), "*.spec.md").Order(StringComparer.Ordinal))
        {
            var (engine, scenario, property, model) = LoadBroken(file);
            var spec = new TwoHostModel(engine, scenario, scenario.Defaults, model);
            var clock = Stopwatch.StartNew();
            var exhaustive = new ExhaustiveSearch().Run(spec, ScenarioCatalog.PropertiesOf(spec.Scenario));
            clock.Stop();
            var shortest = exhaustive.Violations.FirstOrDefault(v => v.Property == property) ?? exhaustive.Violations.FirstOrDefault();
            var row = new List<string>
            {
                $"`{Path.GetFileName(file)}`", scenario.Name,
                shortest is null ? "—" : $"{shortest.Path.Count}, {exhaustive.Stats.States:N0}, {clock.Elapsed.TotalSeconds:F2}",
            };
            foreach (var s in strategies)
            {
                var run = CoyoteExplorer.Run(spec, new CoyoteOptions { Strategy = s, Seed = 1, Iterations = budget });
                var r = run.Result;
                row.Add(r.Holds ? "—" : $"{r.Stats.Iterations} / {r.Stats.Seconds:F2}{(r.Violations[0].Property == property ? "" : $" ({r.Violations[0].Property})")}");
            }
            Console.WriteLine(string.Join(" | ", row));
            md.AppendLine("| " + string.Join(" | ", row) + " |");
        }
        md.AppendLine();

        md.AppendLine($"### Coverage of the real table after {coverageIterations} iterations per default scenario");
        md.AppendLine();
        md.AppendLine("| explorer | rows fired | (state, event) cells met | distinct worlds | seconds |");
        md.AppendLine("|---|---|---|---|---|");
        var rows = GeneratedEngine.Instance.Rows.Count;
        {
            var clock = Stopwatch.StartNew();
            var results = ScenarioCatalog.All.Select(sc => ModelChecker.Check(sc)).ToList();
            AddCoverageRow(md, "exhaustive (every world)", results, rows, clock.Elapsed.TotalSeconds);
        }
        foreach (var s in strategies)
        {
            var clock = Stopwatch.StartNew();
            var results = ScenarioCatalog.All.Select(sc => CoyoteRunner.Explore(sc, new CoyoteOptions { Strategy = s, Seed = 1, Iterations = coverageIterations }).Run.Result).ToList();
            AddCoverageRow(md, $"coyote {CoyoteOptions.Name(s)}", results, rows, clock.Elapsed.TotalSeconds);
        }
        md.AppendLine(End);

        string path = Path.Combine(root, "docs", "benchmarks.md");
        Section.Write(path, md.ToString());
        Console.WriteLine($"coyote: wrote the Coyote section of {path}");
        return 0;
    }

    private static void AddCoverageRow(StringBuilder md, string name, List<CheckResult> results, int rows, double seconds)
    {
        var merged = results[0].Coverage;
        var total = new Coverage(rows, merged.Cells.Length / merged.EventCount, merged.EventCount);
        foreach (var r in results) total.Merge(r.Coverage);
        string line = $"| {name} | {total.RowsCovered}/{rows} | {total.CellsCovered}/{total.Cells.Length} | {results.Sum(r => r.Stats.States):N0} | {seconds:F1} |";
        Console.WriteLine(line);
        md.AppendLine(line);
    }

    private static readonly Docs.MarkedSection Section = new(Begin, End);

    /// <summary>The Coyote section of an existing docs/benchmarks.md, for the docs mode to keep ("" if none).</summary>
    public static string SectionOf(string path) => Section.Of(path);

    private static (IEngine Engine, Scenario Scenario, string Property, ModelOptions Model) LoadBroken(string file)
    {
        var header = BrokenTableHeader.Read(File.ReadAllText(file)) ?? throw new InvalidOperationException($"{file}: no '--scenario S` must report **P**' line in its header");
        var engine = InterpretedEngine.Load(file, out _) ?? throw new InvalidOperationException($"{file} does not compile");
        var scenario = ScenarioCatalog.Find(header.Scenario) ?? throw new InvalidOperationException($"{file}: unknown scenario {header.Scenario}");
        return (engine, scenario, header.Property, new ModelOptions { UntimedTimers = header.UntimedTimers });
    }
}
