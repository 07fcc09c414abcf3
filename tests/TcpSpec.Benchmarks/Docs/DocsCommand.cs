using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Environments;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TcpSpec.Benchmarks.Dispatch;
using TcpSpec.Benchmarks.Exploration;
using TcpSpec.Benchmarks.Generator;
using TcpSpec.Checker.Scenarios;

namespace TcpSpec.Benchmarks.Docs;

/// <summary>
/// <c>-- docs</c>: runs every benchmark with BenchmarkDotNet, the custom exploration measurements
/// and the growth sweep, and regenerates <c>docs/benchmarks.md</c> and <c>docs/benchmarks-growth.svg</c>.
/// </summary>
internal static class DocsCommand
{
    public const string Command = "dotnet run -c Release --project tests/TcpSpec.Benchmarks -- docs";

    public static int Run(string[] args)
    {
        bool shortRun = args.Contains("--short");
        string outDir = Option(args, "--out") ?? Path.Combine(RepoRoot(), "docs");
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        string loadBefore = LoadAverage();

        // Dispatch and generator: BenchmarkDotNet's default job (ShortRun with --short). Exploration: each invocation
        // explores a whole scenario (up to a second), so a fixed, smaller number of iterations.
        var fast = shortRun ? Job.ShortRun : Job.Default;
        var slow = shortRun ? Job.ShortRun : Job.Default.WithWarmupCount(2).WithIterationCount(10);
        string jobs = shortRun
            ? "Jobs: BenchmarkDotNet's ShortRun (3 warm-ups, 3 iterations) for everything — a quick run; the default job is more precise."
            : "Jobs: BenchmarkDotNet's default job for dispatch and the generator; for the exploration 2 warm-ups and 10 iterations (each iteration explores the whole scenario).";

        var dispatch = BenchmarkRunner.Run<DispatchBenchmarks>(Config(fast));
        var generator = BenchmarkRunner.Run<GeneratorBenchmarks>(Config(fast));
        var exploration = BenchmarkRunner.Run<ExplorationBenchmarks>(Config(slow));
        foreach (var s in new[] { dispatch, generator, exploration })
        {
            if (s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success))
            {
                Console.Error.WriteLine($"docs: {s.Title} has failed benchmarks; docs/benchmarks.md is not written");
                return 1;
            }
        }

        Console.WriteLine("// docs: custom exploration runs (peak heap, CPU) and the growth sweep");
        var samples = new List<ExplorationSample>();
        foreach (var scenario in ScenarioCatalog.All)
        {
            foreach (int workers in new[] { 1, 2 })
            {
                var best = Enumerable.Range(0, 3).Select(_ => ExplorationMeasure.Run(scenario, scenario.Defaults, workers)).MinBy(m => m.Seconds)!;
                samples.Add(best);
                Console.WriteLine($"  {scenario.Name} workers={workers}: {best.States:N0} states, {best.Seconds:F3}s, peak heap {best.PeakPerState:N0} B/state");
            }
        }
        var growth = GrowthSweep.Run(workers: 2, repeat: 2, small: false, Console.WriteLine);

        var interpreted = SpecTable.Interpreted();
        var (cases, missing) = EngineAgreement.CrossCheck(interpreted);
        var results = new BenchmarkResults
        {
            Machine = MachineDescription(dispatch),
            Command = Command + (shortRun ? " --short" : ""),
            Jobs = jobs,
            Started = started,
            Duration = clock.Elapsed,
            LoadBefore = loadBefore,
            LoadAfter = LoadAverage(),
            Dispatch = DispatchResults(dispatch),
            Streams = EventStreams.Names.ToDictionary(n => n, n => (EventStreams.Get(n).Steps.Length, EventStreams.Get(n).DistinctRows)),
            CrossCheck = (cases, TcpMachine.RowCount - missing.Length),
            Generator = GeneratorResults(generator),
            Exploration = ExplorationResults(exploration, samples),
            ExplorationSamples = samples,
            Growth = growth.Select(g => (g.Scenario.Name, g.Points)).ToList(),
            RawTables = new[] { ("Dispatch", dispatch), ("Generator", generator), ("Exploration", exploration) }.Select(t => (t.Item1, Raw(t.Item2))).ToList(),
        };
        Write(results, outDir);
        Console.WriteLine($"docs: wrote {Path.Combine(outDir, "benchmarks.md")} and benchmarks-growth.svg in {clock.Elapsed.TotalMinutes:F1} minutes");
        return 0;
    }

    public static void Write(BenchmarkResults results, string outDir)
    {
        Directory.CreateDirectory(outDir);
        // The Coyote section comes from '-- coyote', not from this mode: keep it.
        string coyote = Coyote.CoyoteCommand.SectionOf(Path.Combine(outDir, "benchmarks.md"));
        // So does the Scale section ('-- scale').
        string scale = Scale.ScaleCommand.SectionOf(Path.Combine(outDir, "benchmarks.md"));
        // And the command-vs-benchmark section ('-- cli').
        string cli = Cli.CliCommand.SectionOf(Path.Combine(outDir, "benchmarks.md"));
        // And the mutation run's ('-- mutate').
        string mutate = Mutation.MutateCommand.SectionOf(Path.Combine(outDir, "benchmarks.md"));
        File.WriteAllText(Path.Combine(outDir, "benchmarks.md"), MarkdownReport.Write(results) + (cli.Length > 0 ? "\n" + cli : "") + (coyote.Length > 0 ? "\n" + coyote : "") + (scale.Length > 0 ? "\n" + scale : "") + (mutate.Length > 0 ? "\n" + mutate : ""));
        File.WriteAllText(Path.Combine(outDir, "benchmarks-growth.svg"), GrowthPlot.Svg(results.Growth));
    }

    private static IConfig Config(Job job) =>
        DefaultConfig.Instance.AddJob(job.AsDefault()).WithOptions(ConfigOptions.DisableLogFile);

    private static List<DispatchResult> DispatchResults(Summary summary) =>
        summary.Reports.Select(r => new DispatchResult(
            (string)r.BenchmarkCase.Parameters["Stream"],
            r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''),
            r.ResultStatistics!.Mean,
            r.ResultStatistics.StandardError * 3,
            r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase))).ToList();

    private static List<GeneratorResult> GeneratorResults(Summary summary) =>
        summary.Reports.Select(r => new GeneratorResult(
            r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''),
            r.ResultStatistics!.Mean / 1e3,
            r.ResultStatistics.StandardError * 3 / 1e3,
            r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase))).ToList();

    private static List<ExplorationResult> ExplorationResults(Summary summary, List<ExplorationSample> samples) =>
        summary.Reports.Select(r =>
        {
            string scenario = (string)r.BenchmarkCase.Parameters["Scenario"];
            int workers = (int)r.BenchmarkCase.Parameters["Workers"];
            var sample = samples.First(s => s.Scenario == scenario && s.Workers == workers);
            return new ExplorationResult(scenario, workers, sample.States, sample.Transitions,
                r.ResultStatistics!.Mean / 1e9, r.ResultStatistics.StandardError * 3 / 1e9, r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase),
                r.ResultStatistics.Min / 1e9);
        }).ToList();

    private static string Raw(Summary summary)
    {
        var logger = new AccumulationLogger();
        MarkdownExporter.GitHub.ExportToLog(summary, logger);
        return logger.GetLog();
    }

    private static List<string> MachineDescription(Summary summary)
    {
        var lines = summary.HostEnvironmentInfo.ToFormattedString().ToList();
        lines.AddRange(summary.AllRuntimes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()));
        lines.Add($"Memory: {MemTotal()}; GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, latency mode {System.Runtime.GCSettings.LatencyMode} (the defaults, as for tcpspec); Environment.ProcessorCount = {Environment.ProcessorCount}");
        return lines;
    }

    private static string MemTotal()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out long kb)) return $"{kb / 1048576.0:F1} GiB";
        }
        catch (IOException)
        {
        }
        return "unknown";
    }

    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(", ", parts.Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>The repository root: the nearest directory above the working directory (or the executable) with TcpSpec.sln.</summary>
    public static string RepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TcpSpec.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("TcpSpec.sln not found above the working directory: run from the repository, or pass --out DIR");
    }

    internal static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
