using System.CommandLine;
using TcpSpec.Cli.Output;
using TcpSpec.Conformance.Packetdrill;
using TcpSpec.Conformance.Profiles;
using TcpSpec.Engines;

namespace TcpSpec.Cli.Commands;

/// <summary>
/// <c>tcpspec pkt SCRIPT... [--tolerance_usecs N] [--spec FILE] [--profile linux|FILE]</c>: run packetdrill scripts
/// against the table as the stack under test. Exit 0 when every script passes, 1 when one
/// fails, 2 when a script is unreadable or malformed or the --spec table or --profile does not compile.
/// </summary>
public static class PktCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var scripts = new Argument<FileInfo[]>("SCRIPT")
        {
            Description = "packetdrill scripts (.pkt) to run; a directory runs every .pkt file under it.",
            Arity = ArgumentArity.OneOrMore,
        };
        var tolerance = new Option<long?>("--tolerance_usecs", "--tolerance-usecs") { Description = "How far (µs) an outbound packet or a blocking call's return may be from its scripted time; default: the script's --tolerance_usecs, else 4000, as packetdrill." };
        var spec = new Option<FileInfo?>("--spec") { Description = "Run an edited table file with the interpreted engine instead of the built-in table (no rebuild)." };
        var profile = new Option<string>("--profile") { Description = "rfc9293 (default): the table alone; linux or freebsd: the table merged with that stack's overlay (spec/profiles/NAME.md), its timers, buffers, sysctl knobs, and its OS name defined for #ifdef; or the path of an overlay file.", DefaultValueFactory = _ => Profile.Rfc9293Name };
        var verbose = new Option<bool>("--verbose") { Description = "Also list, per line, what the runner ignored (TCP options, PSH, ports)." };
        var strict = new Option<bool>("--strict") { Description = "Every packet the engine sends must be expected before the next inbound packet or call, and none may follow the last line (the project's own scripts run so). Default: packetdrill's rule, a sent packet is compared only when a line expects one." };
        var define = new Option<string[]>("--define", "-D") { Description = "NAME or NAME=VALUE defined for #ifdef/#ifndef (repeatable); the profile defines its OS name (FreeBSD, Linux).", AllowMultipleArgumentsPerToken = false };
        var json = JsonOption.Create("pkt");
        var command = new Command("pkt", "Run packetdrill scripts (google/packetdrill syntax) against the table as the TCP stack under test: PASS or FAIL per script, with the first mismatching line, the engine's state and the row that produced it, and the lines it cannot model.")
        {
            scripts, tolerance, spec, profile, verbose, strict, define, json,
        };
        command.SetAction(parse => Run(parse.GetValue(scripts) ?? [], parse.GetValue(tolerance), parse.GetValue(spec), parse.GetValue(profile)!, parse.GetValue(verbose),
            parse.GetValue(strict), parse.GetValue(define) ?? [], parse.GetValue(json), stdout, stderr));
        return command;
    }

    private static int Run(FileInfo[] scripts, long? tolerance, FileInfo? spec, string profile, bool verbose, bool strict, string[] defines, bool json, TextWriter stdout, TextWriter stderr)
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in defines)
        {
            try
            {
                defined.Add(Preprocessor.DefineName(d));
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message.Split(" (Parameter", 2)[0]);
            }
        }
        if (tolerance is < 0 or > PacketdrillParser.MaxUsecs) throw new UsageException($"--tolerance_usecs must be between 0 and {PacketdrillParser.MaxUsecs}");
        if (scripts.Length == 0) throw new UsageException("pkt needs at least one script");
        var files = InputFiles.Expand(scripts, [".pkt"], "script").Select(f => f.FullName).ToList();

        IEngine engine = GeneratedEngine.Instance;
        if (spec is not null)
        {
            (engine, _) = CheckCommand.LoadEngine(spec, stderr);
        }
        var stack = ProfileLoader.Load(profile, spec, stderr, "; no script was run");
        if (stack is not null) engine = stack.Engine;

        if (stack?.Parameters.OsName is { } os) defined.Add(os);
        var options = new PacketdrillOptions
        {
            Engine = stack is null ? engine : null, Profile = stack, ToleranceUsecs = tolerance, Strict = strict,
        };
        int passed = 0, failed = 0, malformed = 0, notRun = 0, passedSkippingChecks = 0;
        var entries = new List<object>(); // the --json entries
        foreach (var file in files)
        {
            var shown = TableCommand.Relative(file);
            Script script;
            try
            {
                script = PacketdrillParser.ParseFile(file, defined);
            }
            catch (PacketdrillSyntaxException ex)
            {
                stderr.WriteLine($"{shown}:{ex.Line}:{ex.Column}: error: {ex.Reason}");
                if (json) entries.Add(PktJson.Malformed(shown, ex));
                else stdout.WriteLine($"ERROR {shown} (malformed at line {ex.Line}: {ex.Reason})");
                malformed++;
                continue;
            }
            var result = PacketdrillRunner.Run(script, options);
            if (json) entries.Add(PktJson.Script(shown, result));
            else stdout.Write(PacketdrillReport.Format(result, verbose, shown));
            if (result.Passed)
            {
                passed++;
                if (result.SkippedChecks > 0) passedSkippingChecks++;
            }
            else if (result.NotRun) notRun++;
            else failed++;
        }
        string table = spec is null ? "built in" : TableCommand.Relative(spec.FullName);
        int exit = malformed > 0 ? Cli.Usage : failed > 0 || notRun > 0 ? Cli.Finding : Cli.Ok;
        if (json)
        {
            PktJson.Write(stdout, new PktJson.Totals(files.Count, passed, passedSkippingChecks, failed, notRun, malformed), table, stack?.Name, strict, entries, exit);
            return exit;
        }
        stdout.WriteLine();
        stdout.WriteLine($"{files.Count} script(s): {passed} passed{(passedSkippingChecks > 0 ? $" ({passedSkippingChecks} of them skipping a check)" : "")}, {failed} failed"
            + $"{(notRun > 0 ? $", {notRun} not run" : "")}{(malformed > 0 ? $", {malformed} malformed" : "")}"
            + $" (table: {table}{(stack is null ? "" : $", profile {stack.Name}")}, {(strict ? "strict" : "packetdrill")} mode)");
        return exit;
    }
}
