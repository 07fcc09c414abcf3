using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary>
/// The plausible edit that once crashed <c>check</c>: the real table with SendSynAck
/// removed from LISTEN × SYN, so scenarios that start ESTABLISHED cannot run their handshake.
/// </summary>
internal static class CannotStartTable
{
    private const string Row = "| AcceptSyn, HoldText, SelectIss, SendSynAck | SYN-RECEIVED |";

    /// <summary>Writes the edited table into <paramref name="dir"/> and returns its path.</summary>
    public static string WriteTo(TempDir dir)
    {
        var table = File.ReadAllText(Repo.SpecFile);
        var edited = table.Replace(Row, "| AcceptSyn, HoldText, SelectIss | SYN-RECEIVED |", StringComparison.Ordinal);
        Assert.NotEqual(table, edited); // the LISTEN × SYN row is still written so: the edit took
        var path = dir.File("tcp.spec.md");
        File.WriteAllText(path, edited);
        return path;
    }
}
