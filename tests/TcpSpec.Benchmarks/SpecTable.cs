using TcpSpec.Engines;

namespace TcpSpec.Benchmarks;

/// <summary>The real table, embedded in the executable, and the interpreted engine compiled from it.</summary>
internal static class SpecTable
{
    /// <summary>The path the table has in the repository (and in the build, for diagnostics).</summary>
    public const string Path = "spec/tcp.spec.md";

    private static readonly Lazy<string> TextValue = new(() =>
    {
        using var stream = typeof(SpecTable).Assembly.GetManifestResourceStream("tcp.spec.md")
            ?? throw new InvalidOperationException("the embedded table tcp.spec.md is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string Text => TextValue.Value;

    public static InterpretedEngine Interpreted()
    {
        var engine = InterpretedEngine.FromText(Path, Text, out var diagnostics);
        return engine ?? throw new InvalidOperationException("the interpreted engine rejects the table: " + string.Join("; ", diagnostics.Select(d => d.Message)));
    }
}
