namespace TcpSpec.Cli.Commands;

/// <summary>
/// The one check every command that writes files makes of its <c>--out</c> before it starts work:
/// a file, or a place without write permission, is found before the search, not after it (a
/// violation found after minutes of search would otherwise be lost).
/// </summary>
internal static class OutDirectory
{
    /// <summary>Creates <paramref name="dir"/> and proves a file can be written in it; otherwise a <see cref="UsageException"/> saying <paramref name="whatGoesThere"/> and <paramref name="whatIsSkipped"/>.</summary>
    public static void EnsureWritable(DirectoryInfo dir, string whatGoesThere, string whatIsSkipped)
    {
        string shown = TableCommand.Relative(dir.FullName);
        if (File.Exists(dir.FullName)) throw new UsageException($"--out {shown} is a file, not a directory: {whatGoesThere}", shown);
        try
        {
            Directory.CreateDirectory(dir.FullName);
            var probe = Path.Combine(dir.FullName, $".tcpspec-write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out {shown} cannot be written ({ex.Message}); {whatIsSkipped}", shown);
        }
    }
}
