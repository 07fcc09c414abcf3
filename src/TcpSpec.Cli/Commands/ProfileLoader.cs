using TcpSpec.Cli.Output;
using TcpSpec.Conformance.Profiles;
using TcpSpec.Language;

namespace TcpSpec.Cli.Commands;

/// <summary>
/// The one way <c>conform</c> and <c>pkt</c> load <c>--profile</c>: a built-in profile by name
/// (<c>linux</c>) or an overlay file by path, merged with the table in use (the built-in one, or
/// <c>--spec</c>). Its diagnostics are printed as a build prints a table's, at the overlay's own
/// file, line and column.
/// </summary>
internal static class ProfileLoader
{
    /// <summary>Null for <c>rfc9293</c> (the table alone), or the profile; one that does not compile is a <see cref="UsageException"/> (exit 2) after its diagnostics are printed.</summary>
    public static Profile? Load(string profile, FileInfo? spec, TextWriter stderr, string whatIsSkipped)
    {
        if (profile == Profile.Rfc9293Name) return null;
        string tablePath = spec is null ? Profile.TablePath : spec.FullName;
        string tableText = spec is null ? BuiltIn.Table() : File.ReadAllText(spec.FullName);
        Profile? loaded;
        IReadOnlyList<SpecDiagnostic> diagnostics;
        try
        {
            loaded = Profile.Load(profile, tablePath, tableText, out diagnostics);
        }
        catch (ProfileException ex)
        {
            throw new UsageException($"--profile: {ex.Message}");
        }
        diagnostics = diagnostics.Select(d => d with { Location = d.Location with { Path = Shown(d.Location.Path) } }).ToList();
        foreach (var d in diagnostics) stderr.WriteLine(d);
        if (loaded is null)
        {
            int errors = diagnostics.Count(d => d.Severity == SpecSeverity.Error);
            throw new UsageException($"--profile {profile}: {errors} error(s); the profile does not compile{whatIsSkipped}.", profile, diagnostics.Select(ErrorDetail.Of).ToList());
        }
        return loaded;
    }

    /// <summary>A file path relative to the working directory; the built-in table's and overlays' names as they are.</summary>
    private static string Shown(string path) => Path.IsPathRooted(path) || File.Exists(path) ? TableCommand.Relative(Path.GetFullPath(path)) : path;
}
