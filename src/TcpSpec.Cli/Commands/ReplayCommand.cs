using System.CommandLine;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Output;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Cli.Output;

namespace TcpSpec.Cli.Commands;

/// <summary>
/// <c>tcpspec replay FILE</c>: re-executes a counterexample from its replay file, move by move,
/// prints the trace and says whether the violation reproduces (exit 1) or no longer does (exit 0,
/// e.g. after the table was fixed).
/// </summary>
public static class ReplayCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "A .replay.json file written by tcpspec check, or a .coyote.trace written by check --explorer coyote." };
        var spec = new Option<FileInfo?>("--spec") { Description = "Replay against this table instead of the one the file names." };
        var json = JsonOption.Create("replay");
        var command = new Command("replay", "Re-execute a counterexample deterministically from its replay file.") { file, spec, json };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(spec), parse.GetValue(json), stdout, stderr));
        return command;
    }

    private static int Run(FileInfo file, FileInfo? specOverride, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (Directory.Exists(file.FullName)) throw new UsageException($"{TableCommand.Relative(file.FullName)} is a directory: replay takes one .replay.json file (tcpspec check prints its name)", TableCommand.Relative(file.FullName));
        if (!file.Exists) throw new UsageException($"no such replay file: {file.FullName}", TableCommand.Relative(file.FullName));
        if (file.Name.EndsWith(CoyoteCheck.TraceSuffix, StringComparison.Ordinal)) return CoyoteCheck.Replay(file, specOverride, json, stdout, stderr);
        string shown = TableCommand.Relative(file.FullName);
        ReplayFile replay;
        List<Move> moves;
        Scenario scenario;
        try
        {
            replay = ReplayFile.Parse(File.ReadAllText(file.FullName), shown);
            scenario = ScenarioCatalog.Find(replay.Scenario) ?? throw new ReplayException($"{shown}: unknown scenario '{replay.Scenario}'");
            moves = replay.ToMoves(scenario, shown);
        }
        catch (ReplayException ex)
        {
            throw new UsageException(ex.Message, shown);
        }

        var specFile = specOverride ?? (replay.Spec is null ? null : new FileInfo(replay.Spec));
        // The file names its table relative to the directory check ran in: from elsewhere, say so.
        if (specOverride is null && specFile is not null && !Path.IsPathRooted(replay.Spec) && !specFile.Exists && !Directory.Exists(specFile.FullName))
            throw new UsageException($"{shown} names table {replay.Spec}, relative to the directory tcpspec check ran in, and there is no {specFile.FullName}: replay from that directory, or give the table with --spec FILE", shown);
        var (engine, tablePath) = CheckCommand.LoadEngine(specFile, stderr);
        string tableHash = TableHash.Of(engine);
        if (replay.TableHash is { } written && written != tableHash)
            stderr.WriteLine($"tcpspec: note: {shown} was found in table {written}; this table is {tableHash}: the table changed since, the replay runs against this one");
        Budgets budgets;
        try
        {
            budgets = replay.Budgets.ToBudgets(shown);
        }
        catch (ReplayException ex)
        {
            throw new UsageException(ex.Message, shown);
        }
        var model = new TwoHostModel(engine, scenario, budgets, replay.ToModelOptions());

        var properties = ScenarioCatalog.PropertiesOf(scenario);
        List<TraceStep> trace;
        try
        {
            trace = Trace.Of(model, properties, moves);
        }
        catch (ReplayException ex)
        {
            throw new UsageException($"{shown}: {ex.Message}: the table or the model changed since the file was written", shown);
        }

        string? found = Reproduction.Check(model, properties, replay.Property, replay.Message, replay.LoopStart, trace);
        var violation = new Violation(replay.Property, found ?? replay.Message, moves, replay.LoopStart);
        string traceText = TraceText.Write(model, violation, trace);
        if (json)
        {
            ReplayJson.Write(stdout, shown, replay, TableCommand.Shown(tablePath), tableHash, found, trace, traceText);
            return found is null ? Cli.Ok : Cli.Finding;
        }
        stdout.WriteLine(traceText);
        if (found is not null)
        {
            stdout.WriteLine($"Reproduced: {replay.Property}: {found}");
            return Cli.Finding;
        }
        stdout.WriteLine($"Not reproduced: the run no longer violates {replay.Property}.");
        return Cli.Ok;
    }
}
