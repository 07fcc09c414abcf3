using System.CommandLine;
using System.CommandLine.Parsing;
using TcpSpec.Cli.Commands;
using TcpSpec.Cli.Output;

namespace TcpSpec.Cli;

/// <summary>
/// The <c>tcpspec</c> command: one subcommand per job. The exit codes are defined here, once, for
/// every command (<see cref="ExitCodes"/> is what <c>--help</c> says of them).
/// </summary>
public static class Cli
{
    /// <summary>Success: every property holds, every capture conforms, every script passes, the table compiles.</summary>
    public const int Ok = 0;

    /// <summary>A finding: a violated property, a scenario the table cannot start, a non-conforming capture, a failing script.</summary>
    public const int Finding = 1;

    /// <summary>Bad arguments or unreadable input, a <c>--spec</c> table or <c>--profile</c> that does not compile included.</summary>
    public const int Usage = 2;

    /// <summary>Ctrl-C or SIGTERM stopped a run that had found nothing yet (128 + SIGINT, as shells report).</summary>
    public const int Interrupted = 130;

    /// <summary>A bug of tcpspec's own; no input should ever lead here.</summary>
    public const int InternalError = 3;

    /// <summary>What <c>--help</c> says of the exit codes, for every command.</summary>
    public const string ExitCodes =
        "Exit codes: 0 success; 1 a finding (a violated property, a scenario the table cannot start or an engine that throws on a move, a non-conforming capture, a failing script); " +
        "2 bad arguments or unreadable input (named with its file and line or byte offset), a --spec table or --profile that does not compile included; " +
        "130 interrupted (Ctrl-C, SIGTERM) before a finding; 3 an internal error of tcpspec (a bug: please report it). With --json the exit code is the same, and errors are a JSON document too.";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("TcpSpec: RFC 9293 TCP connection management as an executable, model-checked transition table.");
        root.Subcommands.Add(CheckCommand.Create(stdout, stderr));
        root.Subcommands.Add(ReplayCommand.Create(stdout, stderr));
        root.Subcommands.Add(DocsCommand.Create(stdout, stderr));
        root.Subcommands.Add(ConformCommand.Create(stdout, stderr));
        root.Subcommands.Add(PktCommand.Create(stdout, stderr));
        root.Subcommands.Add(TableCommand.Create(stdout, stderr));
        root.Subcommands.Add(MutateCommand.Create(stdout, stderr));
        var parse = root.Parse(args);
        // The exit codes once, in the help of the command asked about: the root's list of commands
        // shows each command's one-line description, not seven copies of the same paragraph.
        parse.CommandResult.Command.Description += "\n\n" + ExitCodes;
        string command = parse.CommandResult.Command == root ? "tcpspec" : parse.CommandResult.Command.Name;
        bool json = WantsJson(parse);
        // An unknown option also leaves its value unmatched: say the one thing the user got wrong.
        var unknown = UnknownOptions.Find(parse).ToList();
        var commands = root.Subcommands.Select(c => c.Name).ToList();
        var reworded = parse.Errors.Select(e => ParseErrors.Reword(e.Message, commands));
        var errors = unknown.Count == 0
            ? reworded.ToList()
            : unknown.Concat(reworded.Where(m => !m.StartsWith("Unrecognized command or argument", StringComparison.Ordinal) && !m.StartsWith(ParseErrors.GiveACommand, StringComparison.Ordinal))).ToList();
        if (errors.Count > 0)
        {
            foreach (var e in errors) stderr.WriteLine($"tcpspec: {e}");
            stderr.WriteLine($"Run 'tcpspec {(parse.CommandResult.Command == root ? "" : parse.CommandResult.Command.Name + " ")}--help' for usage.");
            if (json) ErrorJson.Write(stdout, command, Usage, errors.Select(e => new ErrorDetail(e)).ToList());
            return Usage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"tcpspec: {ex.Message}");
            if (json) ErrorJson.Write(stdout, command, Usage, [new ErrorDetail(ex.Message, File: ex.File), .. ex.Details]);
            return Usage;
        }
        catch (Exception ex)
        {
            // A bug of ours, not the user's: one line, no stack trace (set TCPSPEC_DEBUG=1 for it).
            stderr.WriteLine($"tcpspec: internal error: {ex.GetType().Name}: {ex.Message}");
            if (Environment.GetEnvironmentVariable("TCPSPEC_DEBUG") == "1") stderr.WriteLine(ex);
            if (json) ErrorJson.Write(stdout, command, InternalError, [new ErrorDetail($"internal error: {ex.GetType().Name}: {ex.Message}")]);
            return InternalError;
        }
    }

    /// <summary>Whether <c>--json</c> was given to a command that takes it (then errors are JSON on stdout too).</summary>
    private static bool WantsJson(ParseResult parse) =>
        parse.CommandResult.Command.Options.Any(o => o.Name == JsonOption.Name)
        && parse.Tokens.Any(t => t.Type == TokenType.Option && t.Value == JsonOption.Name);
}

/// <summary>
/// Thrown by a command for bad arguments or input the parser cannot catch (a missing file, a table
/// that does not compile): exit code 2, no stack trace. <paramref name="file"/> names the input at
/// fault; <paramref name="details"/> are its diagnostics (a table's, at their lines and columns).
/// </summary>
public class UsageException(string message, string? file = null, IReadOnlyList<ErrorDetail>? details = null) : Exception(message)
{
    public string? File { get; } = file;

    public IReadOnlyList<ErrorDetail> Details { get; } = details ?? [];
}
