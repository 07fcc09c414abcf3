namespace TcpSpec.Conformance.Profiles;

/// <summary>
/// The table and the profile overlays shipped inside tcpspec (embedded from <c>spec/</c>), so that
/// <c>--profile linux</c> works from any directory.
/// </summary>
public static class BuiltIn
{
    /// <summary>The built-in profiles' names.</summary>
    public static IReadOnlyList<string> Names { get; } = [Profile.LinuxName, Profile.FreeBsdName];

    /// <summary>Where the overlay of a built-in profile lives in the repository.</summary>
    public static string OverlayPath(string name) => $"spec/profiles/{name}.md";

    /// <summary>The text of the table compiled into tcpspec (spec/tcp.spec.md).</summary>
    public static string Table() =>
        Read("TcpSpec.Conformance.tcp.spec.md") ?? throw new ProfileException("the built-in table is not embedded in TcpSpec.Conformance");

    /// <summary>The overlay text of the built-in profile <paramref name="name"/>; null if there is none.</summary>
    public static string? Overlay(string name) => Names.Contains(name) ? Read($"TcpSpec.Conformance.profiles.{name}.md") : null;

    private static string? Read(string resource)
    {
        using var stream = typeof(BuiltIn).Assembly.GetManifestResourceStream(resource);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
