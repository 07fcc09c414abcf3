using TcpSpec.Conformance.Packetdrill;

namespace TcpSpec.Cli.Output;

/// <summary><c>tcpspec pkt --json</c>: per script its result and first mismatch, then the totals (schema: docs/json-schema.md, "pkt").</summary>
internal static class PktJson
{
    public sealed record Totals(int Scripts, int Passed, int PassedSkippingChecks, int Failed, int NotRun, int Malformed);

    public static object Script(string file, ScriptResult r) => new
    {
        file,
        result = r.Passed ? "pass" : r.NotRun ? "not-run" : "fail",
        linesRun = r.LinesRun,
        checks = r.Checks,
        skippedChecks = r.SkippedChecks,
        toleranceUsecs = r.ToleranceUsecs,
        failure = r.Failure is { } f
            ? new { line = f.Line, text = f.Text, message = f.Message, expected = f.Expected, actual = f.Actual, state = f.State, row = f.Row?.Id, rowLine = f.Row?.Line, atUsecs = f.AtUsecs }
            : null,
        error = (object?)null,
        skipped = r.Skipped.Select(s => new { line = s.Line, text = s.Text, reason = s.Reason, wasCheck = s.WasCheck }),
        cells = r.Cells.Select(c => new { line = c.Line, state = c.State, @event = c.Event, row = c.Row }),
    };

    /// <summary>A script that does not parse: where, and why.</summary>
    public static object Malformed(string file, PacketdrillSyntaxException ex) => new
    {
        file,
        result = "malformed",
        error = new ErrorDetail(ex.Reason, File: file, Line: ex.Line, Column: ex.Column).ToJson(),
    };

    public static void Write(TextWriter stdout, Totals totals, string table, string? profile, bool strict, IReadOnlyList<object> scripts, int exitCode) =>
        JsonOutput.Write(stdout, new
        {
            command = "pkt",
            exitCode,
            table,
            profile = profile ?? "rfc9293",
            mode = strict ? "strict" : "packetdrill",
            passed = totals.Failed == 0 && totals.NotRun == 0 && totals.Malformed == 0,
            totals = new { scripts = totals.Scripts, passed = totals.Passed, passedSkippingChecks = totals.PassedSkippingChecks, failed = totals.Failed, notRun = totals.NotRun, malformed = totals.Malformed },
            scripts,
        });
}
