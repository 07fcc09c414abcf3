using TcpSpec.Engines;
using TcpSpec.Language;

namespace TcpSpec.Cli.Commands;

/// <summary>
/// The one way every command loads a <c>--spec</c> table: compile it with the interpreted engine
/// and print its diagnostics as a build would (<c>path(line,col): error TSPEC...</c>), with the
/// path relative to the working directory.
/// </summary>
internal static class SpecFileLoader
{
    /// <summary>The engine, or null when the table has errors (after saying <paramref name="whatIsSkipped"/>).</summary>
    public static InterpretedEngine? Load(FileInfo spec, TextWriter stderr, string whatIsSkipped, out IReadOnlyList<SpecDiagnostic> diagnostics)
    {
        if (!spec.Exists) throw new UsageException($"no such table file: {spec.FullName}");
        var engine = InterpretedEngine.Load(spec.FullName, out diagnostics);
        var shown = TableCommand.Relative(spec.FullName);
        diagnostics = diagnostics.Select(d => d with { Location = d.Location with { Path = shown } }).ToList();
        foreach (var d in diagnostics) stderr.WriteLine(d);
        if (engine is null)
        {
            int errors = diagnostics.Count(d => d.Severity == SpecSeverity.Error);
            stderr.WriteLine($"{shown}: {errors} error(s), {diagnostics.Count - errors} warning(s); the table does not compile{whatIsSkipped}.");
        }
        return engine;
    }
}
