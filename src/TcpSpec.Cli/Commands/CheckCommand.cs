using System.CommandLine;
using System.Text.Json;
using TcpSpec.Checker;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Output;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Cli.Output;
using TcpSpec.Coyote;
using TcpSpec.Engines;

namespace TcpSpec.Cli.Commands;

/// <summary>
/// <c>tcpspec check</c>: explore every scenario (or the named ones) and report, per scenario, the
/// states explored and the verdict; on a violation, the shortest trace and its files.
/// </summary>
public static class CheckCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var scenario = new Option<string[]>("--scenario", "-s") { Description = "Scenario(s) to check (default: all). See --list.", AllowMultipleArgumentsPerToken = true };
        var list = new Option<bool>("--list") { Description = "List the scenarios with their default budgets and exit." };
        var spec = new Option<FileInfo?>("--spec") { Description = "Check an edited table file with the interpreted engine (no rebuild)." };
        var explorer = new Option<string>("--explorer") { Description = "builtin (default): tcpspec's own explorer; coyote: Microsoft Coyote's actors and strategies over the same model.", DefaultValueFactory = _ => "builtin" };
        explorer.AcceptOnlyFromAmong("builtin", "coyote");
        var strategy = new Option<string>("--strategy") { Description = $"builtin: exhaustive (default), random or pct; coyote: {string.Join(", ", CoyoteOptions.StrategyNames)} (default portfolio).", DefaultValueFactory = _ => "exhaustive" };
        strategy.AcceptOnlyFromAmong(["exhaustive", .. CoyoteOptions.StrategyNames.Union(["random", "pct"])]);
        var seed = new Option<int>("--seed") { Description = "Seed of the randomized strategies.", DefaultValueFactory = _ => 0 };
        var iterations = new Option<int>("--iterations") { Description = "Runs of the randomized strategies.", DefaultValueFactory = _ => 1000 };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Moves per randomized run (default 200); with coyote, scheduling steps per iteration (default 500, about three a move)." };
        var pctDepth = new Option<int>("--pct-depth") { Description = "Priority change points of PCT.", DefaultValueFactory = _ => 3 };
        var loss = new Option<int?>("--loss") { Description = "Segments the network may lose (default: the scenario's)." };
        var dup = new Option<int?>("--dup") { Description = "Segments the network may duplicate." };
        var crash = new Option<int?>("--crash") { Description = "Host crash-and-restarts (where the scenario allows crashes)." };
        var data = new Option<int?>("--data") { Description = "Octets each sending application sends (one segment each)." };
        var inFlight = new Option<int?>("--max-in-flight") { Description = $"Most segments in flight (at most {Network.Capacity}); worlds beyond it are counted, not explored." };
        var maxStates = new Option<long>("--max-states") { Description = "Stop cleanly with partial results after this many distinct states.", DefaultValueFactory = _ => 20_000_000 };
        var workers = new Option<int>("--workers") { Description = "Worker threads of the exhaustive search (results do not depend on it).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var noLiveness = new Option<bool>("--no-liveness") { Description = "Skip the livelock check (saves the memory of the transition graph)." };
        var spurious = new Option<bool>("--spurious-timeouts") { Description = "Let retransmission timers fire while segments are in flight." };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON (docs/json-schema.md)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also list the table rows no scenario reached (by default: their count)." };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Where counterexample files and coverage go.", DefaultValueFactory = _ => new DirectoryInfo("tcpspec-out") };

        var command = new Command("check", "Explore the scenarios under loss, reordering, duplication, timeouts and crashes, and check every property.")
        {
            scenario, list, spec, explorer, strategy, seed, iterations, maxSteps, pctDepth, loss, dup, crash, data, inFlight, maxStates, workers,
            noLiveness, spurious, json, verbose, outDir,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(list)) return List(stdout);
            bool coyote = parse.GetValue(explorer) == "coyote";
            string strategyName = parse.GetValue(strategy)!;
            if (coyote && strategyName == "exhaustive") strategyName = CoyoteOptions.Name(CoyoteStrategy.Portfolio);
            if (!coyote && strategyName is not ("exhaustive" or "random" or "pct")) throw new UsageException($"--strategy {strategyName} is a Coyote strategy: add --explorer coyote");
            var settings = new Settings
            {
                Scenarios = parse.GetValue(scenario) ?? [],
                Spec = parse.GetValue(spec),
                Strategy = strategyName,
                Coyote = coyote ? new CoyoteOptions
                {
                    Strategy = CoyoteOptions.Parse(strategyName)!.Value,
                    Seed = parse.GetValue(seed),
                    Iterations = Positive(parse.GetValue(iterations), "--iterations"),
                    MaxSteps = Positive(parse.GetValue(maxSteps) ?? 500, "--max-steps"),
                    Bound = Math.Max(1, parse.GetValue(pctDepth)),
                } : null,
                Random = new RandomOptions
                {
                    Seed = parse.GetValue(seed),
                    Iterations = Positive(parse.GetValue(iterations), "--iterations"),
                    MaxSteps = Positive(parse.GetValue(maxSteps) ?? 200, "--max-steps"),
                    Depth = Math.Max(0, parse.GetValue(pctDepth)),
                },
                Loss = NonNegative(parse.GetValue(loss), "--loss"),
                Dup = NonNegative(parse.GetValue(dup), "--dup"),
                Crash = NonNegative(parse.GetValue(crash), "--crash"),
                Data = NonNegative(parse.GetValue(data), "--data"),
                MaxInFlight = InFlight(parse.GetValue(inFlight)),
                Exhaustive = new ExhaustiveOptions
                {
                    MaxStates = Positive(parse.GetValue(maxStates), "--max-states"),
                    Workers = Positive(parse.GetValue(workers), "--workers"),
                    Liveness = !parse.GetValue(noLiveness),
                },
                Model = new ModelOptions { SpuriousTimeouts = parse.GetValue(spurious) },
                Json = parse.GetValue(json),
                Verbose = parse.GetValue(verbose),
                Out = parse.GetValue(outDir)!,
            };
            return Run(settings, stdout, stderr);
        });
        return command;
    }

    private static int Positive(int v, string name) => v > 0 ? v : throw new UsageException($"{name} must be positive, not {v}");

    private static long Positive(long v, string name) => v > 0 ? v : throw new UsageException($"{name} must be positive, not {v}");

    private static int? NonNegative(int? v, string name) => v is null or >= 0 ? v : throw new UsageException($"{name} must be 0 or more, not {v}");

    private static int? InFlight(int? v) => v is null or (>= 1 and <= Network.Capacity) ? v : throw new UsageException($"--max-in-flight must be between 1 and {Network.Capacity}, not {v}");

    private sealed record Settings
    {
        public required string[] Scenarios { get; init; }
        public FileInfo? Spec { get; init; }
        public required string Strategy { get; init; }
        public required RandomOptions Random { get; init; }
        /// <summary>Set when --explorer coyote.</summary>
        public CoyoteOptions? Coyote { get; init; }
        public int? Loss { get; init; }
        public int? Dup { get; init; }
        public int? Crash { get; init; }
        public int? Data { get; init; }
        public int? MaxInFlight { get; init; }
        public required ExhaustiveOptions Exhaustive { get; init; }
        public required ModelOptions Model { get; init; }
        public bool Json { get; init; }
        public bool Verbose { get; init; }
        public required DirectoryInfo Out { get; init; }

        public Budgets BudgetsFor(Scenario s) => s.Defaults with
        {
            Loss = Loss ?? s.Defaults.Loss,
            Dup = Dup ?? s.Defaults.Dup,
            Crash = Crash ?? s.Defaults.Crash,
            Data = Data ?? s.Defaults.Data,
            MaxInFlight = MaxInFlight ?? s.Defaults.MaxInFlight,
        };
    }

    private static int List(TextWriter stdout)
    {
        foreach (var s in ScenarioCatalog.All)
        {
            stdout.WriteLine($"{s.Name,-28} {s.Defaults}");
            stdout.WriteLine($"{"",-28} {s.Description}");
        }
        stdout.WriteLine();
        stdout.WriteLine("Findings about RFC 9293 itself (not run by default; expected to report a violation):");
        foreach (var s in ScenarioCatalog.Findings)
        {
            stdout.WriteLine($"{s.Name,-28} {s.Defaults}");
            stdout.WriteLine($"{"",-28} {s.Description}");
        }
        return Cli.Ok;
    }

    private static int Run(Settings settings, TextWriter stdout, TextWriter stderr)
    {
        var scenarios = SelectScenarios(settings.Scenarios);
        var (engine, specPath) = LoadEngine(settings.Spec, stderr);
        if (engine is null) return Cli.Finding;
        EnsureWritable(settings.Out);
        if (settings.Crash > 0)
        {
            foreach (var s in scenarios.Where(s => s.Crashable == 0))
                stderr.WriteLine($"tcpspec: note: scenario {s.Name} lets no host crash, so --crash {settings.Crash} does not apply to it");
        }

        string hash = TableHash.Of(engine);
        var outcomes = new ScenarioOutcome[scenarios.Count];
        var coyoteFiles = new List<CoyoteCheck.Files>();
        var err = TextWriter.Synchronized(stderr);
        // Scenarios are independent: the exhaustive ones run side by side (one worker each when
        // there are at least as many scenarios as workers); the results do not depend on the
        // workers, and the summary keeps the catalogue order.
        int side = settings.Coyote is null && settings.Strategy == "exhaustive" ? Math.Clamp(scenarios.Count, 1, settings.Exhaustive.Workers) : 1;
        int perScenario = Math.Max(1, settings.Exhaustive.Workers / side);
        Parallel.For(0, scenarios.Count, new ParallelOptions { MaxDegreeOfParallelism = side }, i =>
        {
            var scenario = scenarios[i];
            var progress = ProgressPrinter(scenario.Name, err, settings.Json);
            IStrategy strategy = settings.Strategy == "exhaustive"
                ? new ExhaustiveSearch(settings.Exhaustive with { Progress = progress, Workers = perScenario })
                : new RandomSearch(settings.Random with { Kind = settings.Strategy == "pct" ? RandomKind.Pct : RandomKind.Walk });
            try
            {
                CheckResult result;
                if (settings.Coyote is not null)
                {
                    var model = new TwoHostModel(engine, scenario, settings.BudgetsFor(scenario), settings.Model);
                    (result, var coyote) = CoyoteCheck.Run(model, settings.Coyote, settings.Out.FullName);
                    coyoteFiles.AddRange(coyote);
                }
                else result = ModelChecker.Check(scenario, new CheckOptions { Engine = engine, Budgets = settings.BudgetsFor(scenario), Model = settings.Model, Strategy = strategy });
                var files = result.Violations.Select(v => CounterexampleFiles.Write(result, v, settings.Out.FullName, specPath, hash)).ToList();
                outcomes[i] = new ScenarioOutcome(scenario, result, files, null);
            }
            catch (ScenarioCannotStartException ex)
            {
                outcomes[i] = new ScenarioOutcome(scenario, null, [], ex.Message);
            }
        });

        var checkedResults = outcomes.Where(o => o.Result is not null).Select(o => o.Result!).ToList();
        var coveragePath = CoverageReport.Write(engine, checkedResults, settings.Out.FullName, specPath, hash);
        if (settings.Json) CheckJson.Write(stdout, engine, outcomes, coveragePath);
        else
        {
            var console = ConsoleFor(stdout);
            CheckSummary.Write(stdout, engine, settings.Strategy, perScenario, outcomes, console.Width, console.Color);
            WriteTraces(stdout, outcomes);
            CheckSummary.WriteCoverage(stdout, engine, CoverageReport.Merge(engine, checkedResults), coveragePath, settings.Verbose);
        }
        if (!settings.Json && coyoteFiles.Count > 0)
        {
            stdout.WriteLine();
            foreach (var f in coyoteFiles) stdout.WriteLine($"Coyote: {TableCommand.Relative(f.Report)}; replay with tcpspec replay {TableCommand.Relative(f.Trace)}");
        }
        return outcomes.All(o => o.Result is { Holds: true }) ? Cli.Ok : Cli.Finding;
    }

    /// <summary>The terminal's width and colour when stdout is the console; 80 columns and no colour when piped or captured.</summary>
    private static (int Width, bool Color) ConsoleFor(TextWriter stdout)
    {
        bool terminal = stdout == Console.Out && !Console.IsOutputRedirected;
        if (!terminal) return (80, false);
        int width;
        try
        {
            width = Console.WindowWidth;
        }
        catch (IOException)
        {
            width = 80;
        }
        return (width > 0 ? width : 80, Environment.GetEnvironmentVariable("NO_COLOR") is null);
    }

    private static void WriteTraces(TextWriter stdout, IReadOnlyList<ScenarioOutcome> outcomes)
    {
        foreach (var o in outcomes)
        {
            if (o.CannotStart is not null)
            {
                stdout.WriteLine();
                stdout.WriteLine($"{o.Scenario.Name} cannot start: {o.CannotStart}");
                continue;
            }
            var r = o.Result!;
            for (int i = 0; i < r.Violations.Count; i++)
            {
                var v = r.Violations[i];
                stdout.WriteLine();
                stdout.WriteLine(TraceText.Write(r.Model, v, Trace.Of(r.Model, r.Properties, v.Path)));
                stdout.WriteLine($"Replay: tcpspec replay {TableCommand.Relative(o.Files[i].Replay)}");
                stdout.WriteLine($"Files:  {TableCommand.Relative(o.Files[i].Trace)}, {TableCommand.Relative(o.Files[i].Diagram)}, {TableCommand.Relative(o.Files[i].Pcap)}");
            }
        }
    }

    /// <summary>
    /// Finds out before the search, not after it, that the counterexample files could not be
    /// written (--out names a file, or a place without write permission): a violation found
    /// after minutes of search would otherwise be lost.
    /// </summary>
    internal static void EnsureWritable(DirectoryInfo dir)
    {
        string shown = TableCommand.Relative(dir.FullName);
        if (File.Exists(dir.FullName)) throw new UsageException($"--out {shown} is a file, not a directory: the counterexample files and coverage go there");
        try
        {
            Directory.CreateDirectory(dir.FullName);
            var probe = Path.Combine(dir.FullName, $".tcpspec-write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out {shown} cannot be written ({ex.Message}); nothing was checked");
        }
    }

    internal static IReadOnlyList<Scenario> SelectScenarios(string[] names)
    {
        if (names.Length == 0) return ScenarioCatalog.All;
        var result = new List<Scenario>();
        foreach (var n in names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            result.Add(ScenarioCatalog.Find(n) ?? throw new UsageException($"unknown scenario '{n}'; known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}"));
        }
        return result;
    }

    /// <summary>The generated engine, or the interpreted engine over --spec (with its diagnostics printed).</summary>
    internal static (IEngine? Engine, string? Path) LoadEngine(FileInfo? spec, TextWriter stderr)
    {
        if (spec is null) return (GeneratedEngine.Instance, null);
        return (SpecFileLoader.Load(spec, stderr, "; nothing was checked", out _), TableCommand.Relative(spec.FullName));
    }

    private static Action<long, long, long, double>? ProgressPrinter(string name, TextWriter stderr, bool quiet)
    {
        if (quiet) return null;
        double last = 0;
        return (states, frontier, transitions, seconds) =>
        {
            if (seconds - last < 2) return;
            last = seconds;
            stderr.WriteLine($"  {name}: {states:N0} states, frontier {frontier:N0}, {transitions:N0} transitions, {states / Math.Max(seconds, 1e-9):N0} states/s");
        };
    }
}
