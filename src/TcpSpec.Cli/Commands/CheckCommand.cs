using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using TcpSpec.Checker;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Output;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
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
        var stale = new Option<int?>("--stale") { Description = "Old segments (sent earlier in the run, by any incarnation) the network may deliver again after the connection moved on (default: the scenario's)." };
        var attack = new Option<int?>("--attack") { Description = "Segments a blind off-path attacker may forge: RST, SYN, ACK or data at guessed offsets around a host's windows (RFC 5961; default: the scenario's)." };
        var data = new Option<int?>("--data") { Description = "Octets each sending application sends (one segment each)." };
        var inFlight = new Option<int?>("--max-in-flight") { Description = $"Most segments in flight (at most {Network.Capacity}); worlds beyond it are counted, not explored." };
        var maxStates = new Option<long>("--max-states") { Description = "Stop cleanly with partial results after this many distinct states.", DefaultValueFactory = _ => 20_000_000 };
        var workers = new Option<int>("--workers") { Description = "Worker threads of the exhaustive search (results do not depend on it).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var noLiveness = new Option<bool>("--no-liveness") { Description = "Skip the livelock check (saves the memory of the transition graph)." };
        var spurious = new Option<bool>("--spurious-timeouts") { Description = "Let retransmission timers fire while segments are in flight." };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Where counterexample files and coverage go.", DefaultValueFactory = _ => new DirectoryInfo("tcpspec-out") };

        var command = new Command("check", "Explore the scenarios under loss, reordering, duplication, timeouts and crashes, and check every property.")
        {
            scenario, list, spec, explorer, strategy, seed, iterations, maxSteps, pctDepth, loss, dup, crash, stale, attack, data, inFlight, maxStates, workers,
            noLiveness, spurious, json, outDir,
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
                Stale = Budget(parse.GetValue(stale), "--stale"),
                Attack = Budget(parse.GetValue(attack), "--attack"),
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
                Out = parse.GetValue(outDir)!,
            };
            return Run(settings, stdout, stderr);
        });
        return command;
    }

    private static int Positive(int v, string name) => v > 0 ? v : throw new UsageException($"{name} must be positive, not {v}");

    private static long Positive(long v, string name) => v > 0 ? v : throw new UsageException($"{name} must be positive, not {v}");

    private static int? NonNegative(int? v, string name) => v is null or >= 0 ? v : throw new UsageException($"{name} must be 0 or more, not {v}");

    /// <summary>A budget the world counts down in a byte.</summary>
    private static int? Budget(int? v, string name) => v is null or (>= 0 and <= 255) ? v : throw new UsageException($"{name} must be between 0 and 255, not {v}");

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
        public int? Stale { get; init; }
        public int? Attack { get; init; }
        public int? Data { get; init; }
        public int? MaxInFlight { get; init; }
        public required ExhaustiveOptions Exhaustive { get; init; }
        public required ModelOptions Model { get; init; }
        public bool Json { get; init; }
        public required DirectoryInfo Out { get; init; }

        public Budgets BudgetsFor(Scenario s) => s.Defaults with
        {
            Loss = Loss ?? s.Defaults.Loss,
            Dup = Dup ?? s.Defaults.Dup,
            Crash = Crash ?? s.Defaults.Crash,
            Stale = Stale ?? s.Defaults.Stale,
            Attack = Attack ?? s.Defaults.Attack,
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

        var results = new List<(CheckResult Result, List<CounterexampleFiles> Files)>();
        var coyoteFiles = new List<CoyoteCheck.Files>();
        foreach (var scenario in scenarios)
        {
            var progress = ProgressPrinter(scenario.Name, stderr, settings.Json);
            IStrategy strategy = settings.Strategy == "exhaustive"
                ? new ExhaustiveSearch(settings.Exhaustive with { Progress = progress })
                : new RandomSearch(settings.Random with { Kind = settings.Strategy == "pct" ? RandomKind.Pct : RandomKind.Walk });
            CheckResult result;
            try
            {
                if (settings.Coyote is not null)
                {
                    var model = new TwoHostModel(engine, scenario, settings.BudgetsFor(scenario), settings.Model);
                    (result, var coyote) = CoyoteCheck.Run(model, settings.Coyote, settings.Out.FullName);
                    coyoteFiles.AddRange(coyote);
                }
                else result = ModelChecker.Check(scenario, new CheckOptions { Engine = engine, Budgets = settings.BudgetsFor(scenario), Model = settings.Model, Strategy = strategy });
            }
            catch (InvalidOperationException ex)
            {
                stderr.WriteLine($"tcpspec: scenario {scenario.Name}: {ex.Message}");
                return Cli.Finding;
            }
            var files = result.Violations.Select(v => CounterexampleFiles.Write(result, v, settings.Out.FullName, settings.Spec?.FullName)).ToList();
            results.Add((result, files));
        }

        var coveragePath = CoverageReport.Write(engine, results.Select(r => r.Result).ToList(), settings.Out.FullName, specPath);
        if (settings.Json) WriteJson(stdout, results, coveragePath);
        else WriteText(stdout, engine, results, coveragePath);
        if (!settings.Json && coyoteFiles.Count > 0)
        {
            stdout.WriteLine();
            foreach (var f in coyoteFiles) stdout.WriteLine($"Coyote: {TableCommand.Relative(f.Report)}; replay with tcpspec replay {TableCommand.Relative(f.Trace)}");
        }
        return results.All(r => r.Result.Holds) ? Cli.Ok : Cli.Finding;
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

    private static void WriteText(TextWriter stdout, IEngine engine, List<(CheckResult Result, List<CounterexampleFiles> Files)> results, string coveragePath)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = stdout == Console.Out && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = stdout == Console.Out && !Console.IsOutputRedirected ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (stdout != Console.Out || Console.IsOutputRedirected) console.Profile.Width = 160;

        var table = new Table().Border(TableBorder.Simple).Title($"tcpspec check — table: {Markup.Escape(engine.Name)}");
        foreach (var c in new[] { "scenario", "budgets", "strategy", "states", "transitions", "depth", "bounded", "time", "states/s", "verdict" })
            table.AddColumn(c);
        foreach (var (r, _) in results)
        {
            string verdict = r.Holds ? (r.Stats.Truncated ? "[yellow]holds so far (truncated)[/]" : "[green]all properties hold[/]") : $"[red]VIOLATED: {Markup.Escape(string.Join(", ", r.Violations.Select(v => v.Property)))}[/]";
            table.AddRow(Markup.Escape(r.Scenario.Name), Markup.Escape(r.Budgets.ToString()), Markup.Escape(r.Strategy), $"{r.Stats.States:N0}", $"{r.Stats.Transitions:N0}",
                $"{r.Stats.MaxDepth}", $"{r.Stats.Bounded:N0}", $"{r.Stats.Seconds:F2}s", $"{r.Stats.StatesPerSecond:N0}", verdict);
        }
        long states = results.Sum(r => r.Result.Stats.States);
        double seconds = results.Sum(r => r.Result.Stats.Seconds);
        long peak = results.Count == 0 ? 0 : results.Max(r => r.Result.Stats.PeakMemoryBytes);
        table.Caption($"{states:N0} distinct states in {seconds:F2}s ({states / Math.Max(seconds, 1e-9):N0} states/s), peak memory {peak / (1024 * 1024):N0} MiB, {results.FirstOrDefault().Result?.Stats.Workers ?? 1} worker(s)");
        console.Write(table);

        foreach (var (r, files) in results)
        {
            for (int i = 0; i < r.Violations.Count; i++)
            {
                var v = r.Violations[i];
                stdout.WriteLine();
                stdout.WriteLine(TraceText.Write(r.Model, v, Trace.Of(r.Model, r.Properties, v.Path)));
                stdout.WriteLine($"Replay: tcpspec replay {TableCommand.Relative(files[i].Replay)}");
                stdout.WriteLine($"Files:  {TableCommand.Relative(files[i].Trace)}, {TableCommand.Relative(files[i].Diagram)}, {TableCommand.Relative(files[i].Pcap)}");
            }
        }

        var merged = CoverageReport.Merge(engine, results.Select(r => r.Result).ToList());
        stdout.WriteLine();
        stdout.WriteLine($"Coverage: {merged.RowsCovered}/{engine.Rows.Count} rows fired, {merged.CellsCovered}/{merged.Cells.Length} (state, event) cells met; written to {TableCommand.Relative(coveragePath)}");
        var missing = engine.Rows.Where(row => !merged.Rows[row.Id]).ToList();
        if (missing.Count > 0)
        {
            stdout.WriteLine("Rows no scenario reached:");
            foreach (var row in missing) stdout.WriteLine($"  R{row.Id,-4} line {row.Line,-4} {row.Description}");
        }
    }

    private static void WriteJson(TextWriter stdout, List<(CheckResult Result, List<CounterexampleFiles> Files)> results, string coveragePath)
    {
        var doc = new
        {
            holds = results.All(r => r.Result.Holds),
            coverage = TableCommand.Relative(coveragePath),
            scenarios = results.Select(r => new
            {
                name = r.Result.Scenario.Name,
                budgets = new { loss = r.Result.Budgets.Loss, dup = r.Result.Budgets.Dup, crash = r.Result.Budgets.Crash, data = r.Result.Budgets.Data, maxInFlight = r.Result.Budgets.MaxInFlight, stale = r.Result.Budgets.Stale, attack = r.Result.Budgets.Attack },
                strategy = r.Result.Strategy,
                states = r.Result.Stats.States,
                transitions = r.Result.Stats.Transitions,
                maxDepth = r.Result.Stats.MaxDepth,
                endings = r.Result.Stats.Endings,
                bounded = r.Result.Stats.Bounded,
                iterations = r.Result.Stats.Iterations,
                seconds = Math.Round(r.Result.Stats.Seconds, 3),
                statesPerSecond = Math.Round(r.Result.Stats.StatesPerSecond),
                peakMemoryBytes = r.Result.Stats.PeakMemoryBytes,
                truncated = r.Result.Stats.Truncated,
                holds = r.Result.Holds,
                rowsCovered = r.Result.Coverage.RowsCovered,
                violations = r.Result.Violations.Select((v, i) => new
                {
                    property = v.Property,
                    message = v.Message,
                    moves = v.Path.Count,
                    lasso = v.IsLasso,
                    replay = TableCommand.Relative(r.Files[i].Replay),
                    trace = TableCommand.Relative(r.Files[i].Trace),
                    diagram = TableCommand.Relative(r.Files[i].Diagram),
                    pcap = TableCommand.Relative(r.Files[i].Pcap),
                }),
            }),
        };
        stdout.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
    }
}
