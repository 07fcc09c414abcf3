using System.Diagnostics;
using System.Globalization;
using System.Text;
using TcpSpec.Checker;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Benchmarks.Cli;

/// <summary>
/// <c>-- cli [runs]</c>: the command against its benchmark (issue 15), in one run. In this
/// process, warm (after one untimed round): the default suite as the exploration benchmark runs
/// it (scenario after scenario, 2 workers each) and as <c>tcpspec check</c> runs it (scenarios
/// side by side, <see cref="SuitePlan"/>). Then the whole process, as a user runs it: child
/// <c>tcpspec check</c> of the Release build (default, one scenario at a time with
/// <c>TCPSPEC_LANES=1</c>, and with the runtime's JIT settings varied through their
/// <c>DOTNET_</c> variables), and of the Debug build <c>dotnet run</c> makes, if built. Best and
/// median of <c>runs</c> each (default 5). Rewrites the section of docs/benchmarks.md between
/// its markers (the docs mode keeps it) with the ratio whole process / in-process benchmark.
/// </summary>
internal static class CliCommand
{
    public const string Begin = "<!-- cli:begin (tests/TcpSpec.Benchmarks -- cli) -->";
    private static readonly Docs.MarkedSection Section = new(Begin, End);
    public const string End = "<!-- cli:end -->";

    private sealed record Timing(string What, double Best, double Median, double Cpu, long States);

    public static int Run(string[] args)
    {
        int runs = args.Length > 0 && int.TryParse(args[0], out int n) ? Math.Max(1, n) : 5;
        string root = Docs.DocsCommand.RepoRoot();
        string release = Path.Combine(root, "src", "TcpSpec.Cli", "bin", "Release", "net10.0", "tcpspec.dll");
        string debug = Path.Combine(root, "src", "TcpSpec.Cli", "bin", "Debug", "net10.0", "tcpspec.dll");
        if (!File.Exists(release))
        {
            Console.Error.WriteLine($"{release} is missing: run 'dotnet build -c Release src/TcpSpec.Cli' first");
            return 2;
        }
        int workers = Environment.ProcessorCount;
        string loadBefore = Docs.DocsCommand.LoadAverage();
        var scenarios = ScenarioCatalog.All;

        InProcess(scenarios, 1, workers); // warm-up: the JIT's tiers settle, as in BenchmarkDotNet's warm-up iterations
        var timings = new List<Timing>
        {
            Measure($"in-process, scenario after scenario, {workers} workers each (the exploration benchmark)", runs, () => InProcess(scenarios, 1, workers)),
            Measure($"in-process, as `check` shares the workers ({SuitePlan.For(scenarios.Count, workers).Describe(workers)})", runs, () => InProcess(scenarios, SuitePlan.For(scenarios.Count, workers).Lanes, workers)),
        };
        var children = new List<(string What, string Dll, string[] Env)>
        {
            ("whole process, Release (`tcpspec check`: tiers and dynamic PGO, calls counted from the start)", release, []),
            ("whole process, Release, one scenario at a time (`TCPSPEC_LANES=1`)", release, ["TCPSPEC_LANES=1"]),
            ("whole process, Release, `DOTNET_TC_CallCountingDelayMs=100` (the runtime's default delay)", release, ["DOTNET_TC_CallCountingDelayMs=100"]),
            ("whole process, Release, `DOTNET_TieredCompilation=0` (fully optimized at once, no PGO)", release, ["DOTNET_TieredCompilation=0"]),
        };
        if (File.Exists(debug)) children.Add(("whole process, Debug (what `dotnet run --project src/TcpSpec.Cli -- check` runs, after its build)", debug, []));
        foreach (var (what, dll, env) in children) timings.Add(MeasureChild(what, dll, env, runs));
        string loadAfter = Docs.DocsCommand.LoadAverage();

        double bench = timings[0].Median;
        double command = timings[2].Median;
        var md = new StringBuilder();
        md.AppendLine(Begin);
        md.AppendLine("## The command and its benchmark");
        md.AppendLine();
        md.AppendLine($"From `dotnet build -c Release src/TcpSpec.Cli && dotnet run -c Release --project tests/TcpSpec.Benchmarks -- cli {runs}` ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {workers} cores, " +
                      $"load {loadBefore} before, {loadAfter} after). The default suite ({scenarios.Count} scenarios, {timings[0].States:N0} states), wall time, best and median of {runs} runs each. " +
                      "In-process runs come after an untimed warm-up round (the JIT's tiers settled, as in BenchmarkDotNet); whole-process runs are child processes, start-up, JIT, output and coverage included.");
        md.AppendLine();
        md.AppendLine("| run | best s | median s | CPU s (median run) | ratio to the benchmark (medians) |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var t in timings)
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {t.What} | {t.Best:F2} | {t.Median:F2} | {t.Cpu:F2} | {t.Median / bench:F2}x |"));
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"**The command / the benchmark: {command / bench:F2}x** (goal: within 1.3x; {(command / bench <= 1.3 ? "met" : "missed")} in this run)."));
        md.AppendLine("Load above the core count makes every figure slower and noisier; rerun on a quiet machine with the command above.");
        md.AppendLine();
        md.AppendLine("Where the command's time goes, and what was tried: start-up and output are small (the summary's own stopwatch and the process's wall time differ by about 0.1 s); " +
                      "the gap was one core doing the work scenario after scenario, while the exhaustive search scales poorly to 2 workers on the small scenarios (its merge is single-threaded). " +
                      "`check` now runs the scenarios side by side, one worker each (`--workers` is the total; a single scenario gets them all). " +
                      "ReadyToRun was not tried: it needs the `microsoft.netcore.app.crossgen2` package, which the offline package cache does not hold. " +
                      "The command's runtimeconfig keeps tiered compilation and dynamic PGO (the JIT devirtualizes the property checks and the table's look-ups from what it saw) " +
                      "and counts calls from the first millisecond (`System.Runtime.TieredCompilation.CallCountingDelayMs` = 0 in src/TcpSpec.Cli's project) instead of after the runtime's 100 ms start-up delay. " +
                      "Measured A/B (2026-12-07, load 0, 3 runs each, wall / CPU s): the default check 2.36–2.47 / 4.08–4.22 against 2.44–2.49 / 4.04–4.06 with tiered compilation off (the setting before), " +
                      "and a 4 M-state search (`check -s client-closes-first --loss 3 --dup 2 --data 3 --no-liveness --workers 1`) 6.05–6.48 / 6.16–6.61 against 7.20–7.38 / 6.91–7.10. " +
                      "The last two whole-process rows put those settings back for comparison.");
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"The Targets, Dispatch, Exploration and Growth sections come from an older `-- docs` run (2026-11-21: 13 default scenarios, 1,517,775 states); the default suite is now {scenarios.Count} scenarios, {timings[0].States:N0} states."));
        md.AppendLine(End);

        Console.Write(md);
        string path = Path.Combine(root, "docs", "benchmarks.md");
        string text = File.Exists(path) ? File.ReadAllText(path) : "";
        File.WriteAllText(path, Section.Splice(text, md.ToString()));
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    /// <summary>Keeps the section when another mode rewrites docs/benchmarks.md.</summary>
    public static string SectionOf(string path) => Section.Of(path);

    /// <summary>The default suite in this process, the generated engine, liveness on: <paramref name="lanes"/> scenarios side by side, the workers shared as <c>check</c> shares them.</summary>
    private static long InProcess(IReadOnlyList<Scenario> scenarios, int lanes, int workers)
    {
        int each = Math.Max(1, workers / lanes);
        var runs = SuiteRunner.Run(scenarios, lanes, CancellationToken.None,
            s => ModelChecker.Check(s, new CheckOptions { Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = each }) }));
        return runs.Sum(r => r.Value?.Stats.States ?? throw new InvalidOperationException($"{r.Scenario.Name}: {r.Error?.Message}"));
    }

    private static Timing Measure(string what, int runs, Func<long> body)
    {
        var samples = new List<(double Wall, double Cpu, long States)>();
        for (int i = 0; i < runs; i++)
        {
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            long states = body();
            samples.Add((clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds, states));
        }
        return Summarize(what, samples);
    }

    private static Timing MeasureChild(string what, string dll, string[] env, int runs)
    {
        var samples = new List<(double Wall, double Cpu, long States)>();
        for (int i = 0; i < runs; i++)
        {
            string outDir = Path.Combine(Path.GetTempPath(), $"tcpspec-cli-bench-{Guid.NewGuid():N}");
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { dll, "check", "--out", outDir }) start.ArgumentList.Add(a);
            foreach (var kv in env) start.Environment[kv[..kv.IndexOf('=')]] = kv[(kv.IndexOf('=') + 1)..];
            double children0 = ChildrenCpuSeconds();
            var clock = Stopwatch.StartNew();
            using var child = Process.Start(start)!;
            var err = child.StandardError.ReadToEndAsync();
            string output = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            double wall = clock.Elapsed.TotalSeconds;
            double cpu = ChildrenCpuSeconds() - children0; // the child is reaped: its CPU time is counted in ours (the process object no longer answers)
            try
            {
                Directory.Delete(outDir, recursive: true);
            }
            catch (IOException)
            {
            }
            if (child.ExitCode != 0) throw new InvalidOperationException($"{what}: tcpspec check exited {child.ExitCode}: {err.Result}");
            var m = System.Text.RegularExpressions.Regex.Match(output, @"([0-9,]+) distinct states");
            samples.Add((wall, cpu, m.Success ? long.Parse(m.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : 0));
        }
        return Summarize(what, samples);
    }

    /// <summary>User and system CPU of this process's reaped children (/proc/self/stat's cutime and cstime, in clock ticks of 1/100 s); 0 elsewhere.</summary>
    private static double ChildrenCpuSeconds()
    {
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static Timing Summarize(string what, List<(double Wall, double Cpu, long States)> samples)
    {
        var sorted = samples.OrderBy(s => s.Wall).ToList();
        var median = sorted[sorted.Count / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: best {sorted[0].Wall:F2}s, median {median.Wall:F2}s, cpu {median.Cpu:F2}s, {median.States:N0} states"));
        return new Timing(what, sorted[0].Wall, median.Wall, median.Cpu, median.States);
    }
}
