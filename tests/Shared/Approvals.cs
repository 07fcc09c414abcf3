namespace TcpSpec.Testing;

/// <summary>
/// Approved-file snapshots, our own small helper (Verify is not available here). A test compares
/// its output with a committed <c>NAME.approved.EXT</c> beside the test source. On a difference it
/// writes <c>NAME.received.EXT</c> and fails with the first differing line. Setting the
/// environment variable <c>TCPSPEC_APPROVE=1</c> makes it overwrite the approved file instead.
/// </summary>
public static class Approvals
{
    public const string ApproveVariable = "TCPSPEC_APPROVE";

    /// <summary>Asserts <paramref name="actual"/> equals <c>{directory}/{name}.approved.{extension}</c>.</summary>
    public static void Verify(string actual, string directory, string name, string extension = "txt")
    {
        actual = Normalize(actual);
        var approved = System.IO.Path.Combine(directory, $"{name}.approved.{extension}");
        var received = System.IO.Path.Combine(directory, $"{name}.received.{extension}");
        bool approve = Environment.GetEnvironmentVariable(ApproveVariable) is "1" or "true";
        if (approve)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(approved, actual);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        string? expected = File.Exists(approved) ? Normalize(File.ReadAllText(approved)) : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        string why = expected is null
            ? $"No approved file {approved}."
            : FirstDifference(expected, actual);
        Assert.Fail($"{why}\nReceived: {received}\nIf the change is right, run the tests with {ApproveVariable}=1 to approve it, and commit the .approved file.");
    }

    private static string Normalize(string s) => s.Replace("\r\n", "\n").Replace("\uFEFF", "");

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var el = i < e.Length ? e[i] : "<end of file>";
            var al = i < a.Length ? a[i] : "<end of file>";
            if (el != al) return $"Line {i + 1} differs.\n  approved: {el}\n  received: {al}";
        }
        return "The files differ.";
    }
}
