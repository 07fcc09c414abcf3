using TcpSpec.Language;

namespace TcpSpec.Cli.Output;

/// <summary>One error of a <c>--json</c> error document: what went wrong and, when known, where (a table diagnostic's id, file, line and column; a capture's byte offset).</summary>
public sealed record ErrorDetail(string Message, string? Id = null, string Severity = "error", string? File = null, int? Line = null, int? Column = null, long? Offset = null)
{
    /// <summary>A table or overlay diagnostic, at its file, line and column.</summary>
    public static ErrorDetail Of(SpecDiagnostic d) =>
        new(d.Message, d.Id, d.Severity == SpecSeverity.Error ? "error" : "warning", d.Location.Path, d.Location.Line, d.Location.Column);

    /// <summary>The JSON shape (schema: docs/json-schema.md, "Errors").</summary>
    public object ToJson() => new { message = Message, id = Id, severity = Severity, file = File, line = Line, column = Column, offset = Offset };
}

/// <summary>
/// The document every command prints with <c>--json</c> when it cannot do its job (bad arguments,
/// unreadable input, a table that does not compile): the command, the exit code, the errors.
/// </summary>
internal static class ErrorJson
{
    public static void Write(TextWriter stdout, string command, int exitCode, IReadOnlyList<ErrorDetail> errors) =>
        JsonOutput.Write(stdout, new { command, exitCode, errors = errors.Select(e => e.ToJson()) });
}
