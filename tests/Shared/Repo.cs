namespace TcpSpec.Testing;

/// <summary>Paths in the repository, found from the test's working directory upwards.</summary>
public static class Repo
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "TcpSpec.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("TcpSpec.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The real table.</summary>
    public static string SpecFile => Path("spec", "tcp.spec.md");
}
