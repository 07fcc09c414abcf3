namespace TcpSpec.Cli.Tests;

/// <summary>A fresh directory under the system temp directory, deleted on dispose; <see cref="Out"/> is a path inside it that does not exist yet.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Root = Path.Combine(Path.GetTempPath(), $"tcpspec-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Where <c>--out</c> points: created by the command, not by the test.</summary>
    public string Out => Path.Combine(Root, "out");

    public string File(string name) => Path.Combine(Root, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind must not fail a test.
        }
    }
}
