using TcpSpec.Cli.Output;
using TcpSpec.Engines;
using TcpSpec.Language;

namespace TcpSpec.Cli.Commands;

/// <summary>
/// The one way every command loads a <c>--spec</c> table: compile it with the interpreted engine
/// and print its diagnostics as a build would (<c>path(line,col): error TSPEC...</c>), with the
/// path relative to the working directory. A missing table or one that does not compile is bad
/// input: exit 2 in every command.
/// </summary>
internal static class SpecFileLoader
{
    /// <summary>The engine; a <see cref="UsageException"/> carrying the diagnostics when the table has errors (after printing them and <paramref name="whatIsSkipped"/>).</summary>
    public static InterpretedEngine Load(FileInfo spec, TextWriter stderr, string whatIsSkipped, out IReadOnlyList<SpecDiagnostic> diagnostics)
    {
        var engine = TryLoad(spec, out diagnostics);
        foreach (var d in diagnostics) stderr.WriteLine(d);
        return engine ?? throw DoesNotCompile(spec, diagnostics, whatIsSkipped);
    }

    /// <summary>The engine, or null when the table has errors; prints nothing. A missing file is a <see cref="UsageException"/>.</summary>
    public static InterpretedEngine? TryLoad(FileInfo spec, out IReadOnlyList<SpecDiagnostic> diagnostics)
    {
        if (Directory.Exists(spec.FullName)) throw new UsageException($"--spec {TableCommand.Relative(spec.FullName)} is a directory, not a table file", TableCommand.Relative(spec.FullName));
        if (!spec.Exists) throw new UsageException($"no such table file: {spec.FullName}", TableCommand.Relative(spec.FullName));
        var engine = InterpretedEngine.Load(spec.FullName, out diagnostics);
        var shown = TableCommand.Relative(spec.FullName);
        diagnostics = diagnostics.Select(d => d with { Location = d.Location with { Path = shown } }).ToList();
        return engine;
    }

    /// <summary>The error a table with errors is, its diagnostics attached (for <c>--json</c>).</summary>
    public static UsageException DoesNotCompile(FileInfo spec, IReadOnlyList<SpecDiagnostic> diagnostics, string whatIsSkipped)
    {
        var shown = TableCommand.Relative(spec.FullName);
        int errors = diagnostics.Count(d => d.Severity == SpecSeverity.Error);
        return new UsageException($"{shown}: {errors} error(s), {diagnostics.Count - errors} warning(s); the table does not compile{whatIsSkipped}.",
            shown, diagnostics.Select(ErrorDetail.Of).ToList());
    }
}
