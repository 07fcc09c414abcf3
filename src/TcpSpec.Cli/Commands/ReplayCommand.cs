using System.CommandLine;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Output;
using TcpSpec.Checker.Scenarios;

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
        var command = new Command("replay", "Re-execute a counterexample deterministically from its replay file.") { file, spec };
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(spec), stdout, stderr));
        return command;
    }

    private static int Run(FileInfo file, FileInfo? specOverride, TextWriter stdout, TextWriter stderr)
    {
        if (!file.Exists) throw new UsageException($"no such replay file: {file.FullName}");
        if (file.Name.EndsWith(CoyoteCheck.TraceSuffix, StringComparison.Ordinal)) return CoyoteCheck.Replay(file, specOverride, stdout, stderr);
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
            throw new UsageException(ex.Message);
        }

        var specFile = specOverride ?? (replay.Spec is null ? null : new FileInfo(replay.Spec));
        var (engine, _) = CheckCommand.LoadEngine(specFile, stderr);
        if (engine is null) return Cli.Usage;
        var model = new ModelSpec(engine, scenario, replay.Budgets.ToBudgets(), new ModelOptions { SpuriousTimeouts = replay.SpuriousTimeouts });

        List<TraceStep> trace;
        try
        {
            trace = Replay.Run(model, moves);
        }
        catch (ReplayException ex)
        {
            stderr.WriteLine($"tcpspec: {shown}: {ex.Message}: the table or the model changed since the file was written");
            return Cli.Usage;
        }

        string? found = Reproduce(model, replay, moves, trace);
        var violation = new Violation(replay.Property, found ?? replay.Message, moves, replay.LoopStart);
        stdout.WriteLine(TraceText.Write(model, violation, trace));
        if (found is not null)
        {
            stdout.WriteLine($"Reproduced: {replay.Property}: {found}");
            return Cli.Finding;
        }
        stdout.WriteLine($"Not reproduced: the run no longer violates {replay.Property}.");
        return Cli.Ok;
    }

    /// <summary>The violation's message if the replayed run still shows it, else null.</summary>
    private static string? Reproduce(ModelSpec model, ReplayFile replay, List<Move> moves, List<TraceStep> trace)
    {
        if (replay.LoopStart is int loop)
        {
            // A lasso reproduces when the loop comes back to the world it started from.
            var start = loop == 0 ? model.Initial : trace[loop - 1].After;
            return trace.Count > loop && trace[^1].After.Hash64() == start.Hash64() ? replay.Message : null;
        }
        var last = trace.Count == 0 ? null : trace[^1];
        var stepViolation = last?.Violations.FirstOrDefault(v => v.StartsWith(replay.Property + ":", StringComparison.Ordinal));
        if (stepViolation is not null) return stepViolation[(replay.Property.Length + 1)..].Trim();

        var world = Replay.WorldAfter(model, moves);
        Span<Move> buffer = stackalloc Move[Stepper.MaxMoves];
        if (new Stepper(model).Enumerate(world, buffer) != 0) return null;
        var property = model.Properties.Concat(model.Scenario.ExtraProperties).FirstOrDefault(p => p.Name == replay.Property);
        return property?.CheckEnding(model, world);
    }
}
