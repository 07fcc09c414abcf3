using TcpSpec.Checker;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Strategies;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Output;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Model;
using TcpSpec.Cli.Output;
using TcpSpec.Coyote;

namespace TcpSpec.Cli.Commands;

/// <summary>
/// <c>tcpspec check --explorer coyote</c> and <c>tcpspec replay FILE.coyote.trace</c>: the
/// Coyote explorer behind the same summary and counterexample files as the built-in one, plus
/// Coyote's own report and reproducible trace.
/// </summary>
public static class CoyoteCheck
{
    public const string TraceSuffix = ".coyote.trace";
    public const string ReportSuffix = ".coyote.txt";

    /// <summary>Coyote's files of a violation: its reproducible trace and its readable report.</summary>
    public sealed record Files(string Trace, string Report);

    public static (CheckResult Result, List<Files> Files) Run(TwoHostModel model, CoyoteOptions options, string outDir)
    {
        var run = CoyoteExplorer.Run(model, options);
        var files = new List<Files>();
        if (run.ReproducibleTrace is not null)
        {
            Directory.CreateDirectory(outDir);
            foreach (var v in run.Result.Violations)
            {
                string stem = Path.Combine(outDir, $"{model.Scenario.Name}.{v.Property}");
                File.WriteAllText(stem + TraceSuffix, run.ReproducibleTrace);
                File.WriteAllText(stem + ReportSuffix, $"{run.BugReport}\n\n{run.Report}\n\n{run.ReadableTrace}");
                files.Add(new Files(stem + TraceSuffix, stem + ReportSuffix));
            }
        }
        return (run.Result, files);
    }

    /// <summary>
    /// Re-executes Coyote's trace. The model (table, scenario, budgets) comes from the replay file
    /// written beside it; Coyote's trace then fixes every scheduling and random choice.
    /// </summary>
    public static int Replay(FileInfo trace, FileInfo? specOverride, bool json, TextWriter stdout, TextWriter stderr)
    {
        string shown = TableCommand.Relative(trace.FullName);
        string replayPath = trace.FullName[..^TraceSuffix.Length] + ".replay.json";
        if (!File.Exists(replayPath)) throw new UsageException($"{shown}: the replay file {TableCommand.Relative(replayPath)} written with it is missing (it names the table, scenario and budgets)");
        ReplayFile replay;
        try
        {
            replay = ReplayFile.Parse(File.ReadAllText(replayPath), TableCommand.Relative(replayPath));
        }
        catch (ReplayException ex)
        {
            throw new UsageException(ex.Message, TableCommand.Relative(replayPath));
        }
        var scenario = ScenarioCatalog.Find(replay.Scenario) ?? throw new UsageException($"{TableCommand.Relative(replayPath)}: unknown scenario '{replay.Scenario}'");
        var (engine, tablePath) = CheckCommand.LoadEngine(specOverride ?? (replay.Spec is null ? null : new FileInfo(replay.Spec)), stderr);
        Budgets budgets;
        try
        {
            budgets = replay.Budgets.ToBudgets(TableCommand.Relative(replayPath));
        }
        catch (ReplayException ex)
        {
            // A negative or oversized budget in the hand-editable file is bad input, not a crash.
            throw new UsageException(ex.Message, TableCommand.Relative(replayPath));
        }
        var model = new TwoHostModel(engine, scenario, budgets, replay.ToModelOptions());

        CoyoteRun run;
        try
        {
            run = CoyoteExplorer.Replay(model, File.ReadAllText(trace.FullName));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new UsageException($"{shown}: Coyote could not replay the trace: {ex.Message}", shown);
        }
        string tableHash = TableHash.Of(engine);
        if (json)
        {
            var found = run.Result.Violations.Count == 0 ? null : run.Result.Violations[0];
            string text = found is null ? "" : TraceText.Write(model, found, Trace.Of(model, ScenarioCatalog.PropertiesOf(model.Scenario), found.Path));
            ReplayJson.Write(stdout, shown, replay, TableCommand.Shown(tablePath), tableHash, found?.Message, null, text);
            return found is null ? Cli.Ok : Cli.Finding;
        }
        if (run.Result.Violations.Count == 0)
        {
            stdout.WriteLine($"Not reproduced: Coyote's trace no longer shows {replay.Property} (the table or the model changed).");
            return Cli.Ok;
        }
        var v = run.Result.Violations[0];
        stdout.WriteLine(TraceText.Write(model, v, Trace.Of(model, ScenarioCatalog.PropertiesOf(model.Scenario), v.Path)));
        stdout.WriteLine($"Reproduced by Coyote's trace: {v.Property}: {v.Message}");
        return Cli.Finding;
    }
}
