using TcpSpec.Checker.Output;
using TcpSpec.Checker.Properties;

namespace TcpSpec.Cli.Output;

/// <summary><c>tcpspec replay --json</c>: whether the counterexample reproduces, against which table, and its steps (schema: docs/json-schema.md, "replay").</summary>
internal static class ReplayJson
{
    /// <param name="file">The replay file (or Coyote trace) as the user named it, relative to the current directory.</param>
    /// <param name="found">The violation's message as the replay found it again; null when it no longer reproduces.</param>
    /// <param name="steps">The steps replayed (null for a Coyote trace, which replays its own schedule).</param>
    public static void Write(TextWriter stdout, string file, ReplayFile replay, string table, string tableHash, string? found, IReadOnlyList<TraceStep>? steps, string traceText)
    {
        JsonOutput.Write(stdout, new
        {
            command = "replay",
            file,
            scenario = replay.Scenario,
            property = replay.Property,
            table,
            tableHash,
            recordedTableHash = replay.TableHash,
            tableChanged = replay.TableHash is { } written && written != tableHash,
            reproduced = found is not null,
            message = found,
            recordedMessage = replay.Message,
            budgets = new { loss = replay.Budgets.Loss, dup = replay.Budgets.Dup, crash = replay.Budgets.Crash, data = replay.Budgets.Data, maxInFlight = replay.Budgets.MaxInFlight, stale = replay.Budgets.Stale, attack = replay.Budgets.Attack, calls = replay.Budgets.Calls, icmp = replay.Budgets.Icmp },
            moves = replay.Moves.Count,
            lasso = replay.LoopStart is not null,
            steps = steps?.Select(s => new { number = s.Number, move = s.Description, violations = s.Violations }),
            trace = traceText,
        });
    }
}
