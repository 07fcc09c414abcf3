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
using TcpSpec.Language;

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
        var calls = new Option<int?>("--calls") { Description = "Calls an application may make beyond its script, at any moment and in any state: OPEN, SEND, RECEIVE, CLOSE or ABORT (RFC 9293 §3.10; default: the scenario's)." };
        var icmp = new Option<int?>("--icmp") { Description = "ICMP errors the network may send in answer to a segment in flight, instead of delivering it, to the segment's sender: soft (net/host unreachable, time exceeded, parameter problem) or hard (protocol/port unreachable) (RFC 9293 §3.9.2.2; default: the scenario's)." };
        var data = new Option<int?>("--data") { Description = "Octets each sending application sends (one segment each)." };
        var inFlight = new Option<int?>("--max-in-flight") { Description = $"Most segments in flight (at most {Network.Capacity}); worlds beyond it are counted, not explored." };
        var maxStates = new Option<long>("--max-states") { Description = "Stop cleanly with partial results (\"not exhaustive: stopped at ...\") once this many distinct states are found.", DefaultValueFactory = _ => 20_000_000 };
        var maxMemory = new Option<string?>("--max-memory") { Description = $"Stop cleanly with partial results once the process's resident memory reaches this size (4G, 512M, bytes; default: 3/4 of available memory, here {RunLimits.Size(RunLimits.DefaultMaxMemory())}). Ctrl-C also stops with partial results (exit 130 when no violation was found); a second Ctrl-C exits at once." };
        var bitstate = new Option<int?>("--bitstate") { Description = "Bitstate hashing (SPIN's supertrace): remember states in a Bloom filter of 2^N bits (default N = 30, 128 MiB; 10 to 40) instead of exactly, for searches past memory. Some states may be missed: the summary estimates how many. Implies --no-liveness.", Arity = ArgumentArity.ZeroOrOne };
        var workers = new Option<int>("--workers") { Description = "Worker threads of the exhaustive search (results do not depend on it).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var noLiveness = new Option<bool>("--no-liveness") { Description = "Skip the livelock check (saves the memory of the transition graph)." };
        var spurious = new Option<bool>("--spurious-timeouts") { Description = "Let retransmission timers fire while segments are in flight." };
        var untimed = new Option<bool>("--untimed-timers") { Description = "Let any armed timer fire once the network is quiet, whatever its deadline (the untimed over-approximation)." };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON (docs/json-schema.md)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also list the table rows no scenario reached (by default: their count)." };
        var checkpoints = new CheckpointOptions();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Where counterexample files and coverage go.", DefaultValueFactory = _ => new DirectoryInfo("tcpspec-out") };

        var command = new Command("check", "Explore the scenarios under loss, reordering, duplication, timeouts and crashes, and check every property.")
        {
            scenario, list, spec, explorer, strategy, seed, iterations, maxSteps, pctDepth, loss, dup, crash, stale, attack, calls, icmp, data, inFlight, maxStates, maxMemory, bitstate, workers,
            noLiveness, spurious, untimed, json, verbose, outDir,
        };
        foreach (var o in checkpoints.All) command.Options.Add(o);
        command.SetAction(parse =>
        {
            if (parse.GetValue(list))
            {
                // The list does not depend on the table, but a --spec that does not compile is exit 2 in every command.
                if (parse.GetValue(spec) is { } listed) LoadEngine(listed, stderr);
                return parse.GetValue(json) ? ScenarioListJson.Write(stdout) : List(stdout);
            }
            bool coyote = parse.GetValue(explorer) == "coyote";
            string strategyName = parse.GetValue(strategy)!;
            if (coyote && strategyName == "exhaustive") strategyName = CoyoteOptions.Name(CoyoteStrategy.Portfolio);
            if (!coyote && strategyName is not ("exhaustive" or "random" or "pct")) throw new UsageException($"--strategy {strategyName} is a Coyote strategy: add --explorer coyote");
            NonNegative(parse.GetValue(pctDepth), "--pct-depth"); // issue 15: refused, not clamped
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
                Calls = Budget(parse.GetValue(calls), "--calls"),
                Icmp = Budget(parse.GetValue(icmp), "--icmp"),
                Data = NonNegative(parse.GetValue(data), "--data"),
                MaxInFlight = InFlight(parse.GetValue(inFlight)),
                Exhaustive = new ExhaustiveOptions
                {
                    MaxStates = Positive(parse.GetValue(maxStates), "--max-states"),
                    MaxMemoryBytes = parse.GetValue(maxMemory) is { } size ? MemorySize.Parse(size, "--max-memory") : RunLimits.DefaultMaxMemory(),
                    Workers = Positive(parse.GetValue(workers), "--workers"),
                    Liveness = !parse.GetValue(noLiveness),
                    BitstateLog2 = parse.GetResult(bitstate) is null ? null : BitstateBits(parse.GetValue(bitstate) ?? 30),
                },
                Model = new ModelOptions { SpuriousTimeouts = parse.GetValue(spurious), UntimedTimers = parse.GetValue(untimed) },
                Checkpoints = checkpoints.Parse(parse, strategyName),
                Json = parse.GetValue(json),
                Verbose = parse.GetValue(verbose),
                Out = parse.GetValue(outDir)!,
            };
            return Run(settings, stdout, stderr);
        });
        return command;
    }

    private static int BitstateBits(int n) => n is >= 10 and <= 40 ? n : throw new UsageException($"--bitstate takes the log2 of the filter's bits, 10 to 40 (30 is 128 MiB), not {n}");

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
        public int? Calls { get; init; }
        public int? Icmp { get; init; }
        public int? Data { get; init; }
        public int? MaxInFlight { get; init; }
        public required ExhaustiveOptions Exhaustive { get; init; }
        public required ModelOptions Model { get; init; }
        public CheckpointOptions.Plan? Checkpoints { get; init; }
        public bool Json { get; init; }
        public bool Verbose { get; init; }
        public required DirectoryInfo Out { get; init; }

        public Budgets BudgetsFor(Scenario s) => s.Defaults with
        {
            Loss = Loss ?? s.Defaults.Loss,
            Dup = Dup ?? s.Defaults.Dup,
            // A scenario that lets no host crash runs without crashes whatever --crash says: its
            // summary, JSON and replay files say 0, what was explored (the note on stderr says why).
            Crash = s.Crashable == 0 ? 0 : Crash ?? s.Defaults.Crash,
            Stale = Stale ?? s.Defaults.Stale,
            Attack = Attack ?? s.Defaults.Attack,
            Calls = Calls ?? s.Defaults.Calls,
            Icmp = Icmp ?? s.Defaults.Icmp,
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
        var scenarios = SelectScenarios(settings.Checkpoints?.Scenarios(settings.Scenarios) ?? settings.Scenarios);
        settings.Checkpoints?.Validate(scenarios);
        var (engine, specPath) = LoadEngine(settings.Spec, stderr);
        OutDirectory.EnsureWritable(settings.Out, "the counterexample files and coverage go there", "nothing was checked");
        if (settings.Crash > 0)
        {
            foreach (var s in scenarios.Where(s => s.Crashable == 0))
                stderr.WriteLine($"tcpspec: note: scenario {s.Name} lets no host crash, so --crash {settings.Crash} does not apply to it");
        }

        string hash = TableHash.Of(engine);
        using var interruption = new Interruption(stderr);
        var progressLine = new ProgressLine(stderr, ProgressLine.IsTerminal(stderr));
        var plan = SuitePlan.For(scenarios.Count, settings.Exhaustive.Workers, parallel: settings.Coyote is null);
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var ran = SuiteRunner.Run<(CheckResult Result, IReadOnlyList<CoyoteCheck.Files> Coyote)>(scenarios, plan.Lanes, interruption.Token, scenario =>
        {
            if (settings.Coyote is not null)
            {
                var model = new TwoHostModel(engine, scenario, settings.BudgetsFor(scenario), settings.Model);
                var (coyoteResult, coyote) = CoyoteCheck.Run(model, settings.Coyote, settings.Out.FullName);
                return (coyoteResult, coyote);
            }
            var onProgress = settings.Json ? null : progressLine.For(scenario.Name);
            IStrategy strategy = settings.Strategy == "exhaustive"
                ? new ExhaustiveSearch((settings.Checkpoints?.Apply(settings.Exhaustive, scenario, hash) ?? settings.Exhaustive) with { Workers = plan.WorkersPerScenario, OnProgress = onProgress, Cancel = interruption.Token })
                : new RandomSearch(settings.Random with { Kind = settings.Strategy == "pct" ? RandomKind.Pct : RandomKind.Walk, OnProgress = onProgress, Cancel = interruption.Token });
            var result = ModelChecker.Check(scenario, new CheckOptions { Engine = engine, Budgets = settings.BudgetsFor(scenario), Model = settings.Model, Strategy = strategy });
            return (result, Array.Empty<CoyoteCheck.Files>());
        });
        wall.Stop();
        progressLine.Done();

        // Files are written after the searches, in catalogue order: the same files whatever ran side by side.
        var outcomes = new List<ScenarioOutcome>();
        var coyoteFiles = new List<CoyoteCheck.Files>();
        var notRun = new List<string>();
        foreach (var run in ran)
        {
            switch (run.Error)
            {
                case null when run.Ran:
                    var (result, coyote) = run.Value;
                    coyoteFiles.AddRange(coyote);
                    var files = result.Violations.Select(v => CounterexampleFiles.Write(result, v, settings.Out.FullName, specPath, hash)).ToList();
                    outcomes.Add(new ScenarioOutcome(run.Scenario, result, files, null));
                    break;
                case null:
                    notRun.Add(run.Scenario.Name);
                    break;
                case ScenarioCannotStartException ex:
                    outcomes.Add(new ScenarioOutcome(run.Scenario, null, [], ex.Message));
                    break;
                case CheckpointException ex:
                    throw new UsageException(ex.Message);
                case EngineCrashedException ex:
                    outcomes.Add(new ScenarioOutcome(run.Scenario, null, [], null, ex));
                    break;
                default:
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(run.Error);
                    break;
            }
        }

        var checkedResults = outcomes.Where(o => o.Result is not null).Select(o => o.Result!).ToList();
        var coveragePath = CoverageReport.Write(engine, checkedResults, settings.Out.FullName, specPath, hash);
        if (settings.Json) CheckJson.Write(stdout, engine, specPath, outcomes, coveragePath);
        else
        {
            var console = ConsoleFor(stdout);
            CheckSummary.Write(stdout, TableCommand.Shown(specPath), settings.Strategy, plan.Describe(checkedResults.FirstOrDefault()?.Stats.Workers ?? 1), wall.Elapsed.TotalSeconds, outcomes, console.Width, console.Color);
            foreach (var note in StopNotes(checkedResults, notRun)) stdout.WriteLine(note);
            WriteTraces(stdout, outcomes);
            CheckSummary.WriteCoverage(stdout, engine, CoverageReport.Merge(engine, checkedResults), coveragePath, settings.Verbose);
        }
        if (!settings.Json && coyoteFiles.Count > 0)
        {
            stdout.WriteLine();
            foreach (var f in coyoteFiles) stdout.WriteLine($"Coyote: {TableCommand.Relative(f.Report)}; replay with tcpspec replay {TableCommand.Relative(f.Trace)}");
        }
        if (!outcomes.All(o => o.Result is { Holds: true })) return Cli.Finding;
        return interruption.Requested ? Cli.Interrupted : Cli.Ok;
    }

    /// <summary>Says which runs are not exhaustive and why (a cap, the depth bound, Ctrl-C), and which scenarios an interruption left out.</summary>
    internal static IEnumerable<string> StopNotes(IEnumerable<CheckResult> results, IReadOnlyList<string> notRun)
    {
        foreach (var r in results.Where(r => r.Stats.Truncated))
            yield return r.Stats.Iterations > 0
                ? $"not exhaustive: {r.Scenario.Name} stopped after {r.Stats.Iterations:N0} run(s), {r.Stats.States:N0} states ({r.Stats.StoppedBy ?? "--max-states"}); its verdict covers only the runs made"
                : $"not exhaustive: {r.Scenario.Name} stopped at {r.Stats.States:N0} states, depth {r.Stats.MaxDepth} ({r.Stats.StoppedBy ?? "--max-states"}); its verdict covers only the states explored";
        foreach (var r in results.Where(r => r.Stats.Bitstate is not null))
        {
            var b = r.Stats.Bitstate!;
            double omitted = b.ExpectedOmitted;
            yield return $"bitstate: {r.Scenario.Name}: 2^{System.Numerics.BitOperations.Log2((ulong)b.Bits)} bits ({RunLimits.Size(b.Bits / 8)}), {b.HashFunctions} bits per state; hash factor {b.HashFactor:N1} (SPIN: good coverage above 100); " +
                $"probability of omission at the end {b.OmissionProbability:P3}; about {omitted:N0} states may have been missed (estimated coverage {r.Stats.States / (r.Stats.States + omitted):P2})";
        }
        foreach (var r in results.Where(r => r.Stats.Checkpoint is not null))
            yield return $"checkpoint: {r.Scenario.Name} saved to {TableCommand.Relative(r.Stats.Checkpoint!)}; go on with: tcpspec check --resume {TableCommand.Relative(Path.GetDirectoryName(r.Stats.Checkpoint!)!)} -s {r.Scenario.Name} (the same table and options; a larger --max-states or --max-memory if one stopped it)";
        if (notRun.Count > 0) yield return $"interrupted: {notRun.Count} scenario(s) not run: {string.Join(", ", notRun)}";
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
            if (o.Crash is { } crash)
            {
                stdout.WriteLine();
                stdout.WriteLine($"{o.Scenario.Name}: engine crashed: {crash.Message}");
                stdout.WriteLine($"The moves from the initial world ({crash.Path.Count}), then the one that threw:");
                for (int i = 0; i < crash.Path.Count; i++) stdout.WriteLine($"  {i + 1,3}. {crash.Path[i]}");
                stdout.WriteLine($"  {crash.Path.Count + 1,3}. {crash.LastMove}   <- threw {crash.InnerException!.GetType().Name}");
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

    internal static IReadOnlyList<Scenario> SelectScenarios(string[] names)
    {
        if (names.Length == 0) return ScenarioCatalog.All;
        var result = new List<Scenario>();
        if (names.All(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length == 0))
            throw new UsageException($"-s names no scenario; known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}");
        foreach (var n in names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            result.Add(ScenarioCatalog.Find(n) ?? throw new UsageException($"unknown scenario '{n}'{Suggestions.DidYouMean(n, ScenarioCatalog.Named.Select(s => s.Name))}; known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}"));
        }
        return result;
    }

    /// <summary>The generated engine, or the interpreted engine over --spec (with its diagnostics printed) and its path relative to the current directory; a table that does not compile is a <see cref="UsageException"/> (exit 2).</summary>
    internal static (IEngine Engine, string? Path) LoadEngine(FileInfo? spec, TextWriter stderr)
    {
        if (spec is null) return (GeneratedEngine.Instance, null);
        // Relative to the current directory, always: replay files and coverage name the table so, and
        // replay resolves it from the current directory (issue 15).
        return (SpecFileLoader.Load(spec, stderr, "; nothing was checked", out _), Path.GetRelativePath(Environment.CurrentDirectory, spec.FullName));
    }
}
