using System.CommandLine;
using TcpSpec.Cli.Commands;

namespace TcpSpec.Cli;

/// <summary>The <c>tcpspec</c> command: one subcommand per job. Exit codes: 0 success, 1 a finding (table errors, a violated property, a non-conforming trace), 2 usage error or unreadable input, 3 an internal error.</summary>
public static class Cli
{
    public const int Ok = 0;
    public const int Finding = 1;
    public const int Usage = 2;
    public const int InternalError = 3;

    /// <summary>What <c>--help</c> says of the exit codes, for every command.</summary>
    public const string ExitCodes =
        "Exit codes: 0 success; 1 a finding (a violated property, a table error, a non-conforming capture, a failing script); " +
        "2 bad arguments or unreadable input (named with its file and line or byte offset); 3 an internal error of tcpspec (a bug: please report it).";

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
        root.Description += "\n\n" + ExitCodes;
        foreach (var sub in root.Subcommands) sub.Description += "\n\n" + ExitCodes;

        var parse = root.Parse(args);
        // An unknown option also leaves its value unmatched: say the one thing the user got wrong.
        var unknown = UnknownOptions.Find(parse).ToList();
        var errors = unknown.Count == 0
            ? parse.Errors.Select(e => e.Message).ToList()
            : unknown.Concat(parse.Errors.Select(e => e.Message).Where(m => !m.StartsWith("Unrecognized command or argument", StringComparison.Ordinal))).ToList();
        if (errors.Count > 0)
        {
            foreach (var e in errors) stderr.WriteLine($"tcpspec: {e}");
            stderr.WriteLine($"Run 'tcpspec {(parse.CommandResult.Command == root ? "" : parse.CommandResult.Command.Name + " ")}--help' for usage.");
            return Usage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"tcpspec: {ex.Message}");
            return Usage;
        }
        catch (Exception ex)
        {
            // A bug of ours, not the user's: one line, no stack trace (set TCPSPEC_DEBUG=1 for it).
            stderr.WriteLine($"tcpspec: internal error: {ex.GetType().Name}: {ex.Message}");
            if (Environment.GetEnvironmentVariable("TCPSPEC_DEBUG") == "1") stderr.WriteLine(ex);
            return InternalError;
        }
    }
}

/// <summary>Thrown by a command for bad arguments the parser cannot catch (a missing file, say): exit code 2, no stack trace.</summary>
public sealed class UsageException(string message) : Exception(message);
