namespace TcpSpec.Cli.Commands;

/// <summary>
/// The one check every command that writes files makes of its <c>--out</c> before it starts work:
/// a file, or a place without write permission, is found before the search, not after it (a
/// violation found after minutes of search would otherwise be lost).
/// </summary>
internal static class OutDirectory
{
    /// <summary>Creates <paramref name="dir"/> and proves a file can be written in it; otherwise a <see cref="UsageException"/> saying <paramref name="whatGoesThere"/> and <paramref name="whatIsSkipped"/>.</summary>
    public static void EnsureWritable(DirectoryInfo dir, string whatGoesThere, string whatIsSkipped, string option = "--out")
    {
        string shown = TableCommand.Relative(dir.FullName);
        if (File.Exists(dir.FullName)) throw new UsageException($"{option} {shown} is a file, not a directory: {whatGoesThere}", shown);
        try
        {
            Directory.CreateDirectory(dir.FullName);
            var probe = Path.Combine(dir.FullName, $".tcpspec-write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {shown} cannot be written ({ex.Message}); {whatIsSkipped}", shown);
        }
    }

    /// <summary>The same check for an output file (<c>mutate --docs FILE</c>): not a directory, and its directory writable.</summary>
    public static void EnsureWritableFile(FileInfo file, string option, string whatIsSkipped)
    {
        string shown = TableCommand.Relative(file.FullName);
        if (Directory.Exists(file.FullName)) throw new UsageException($"{option} {shown} is a directory, not a file; {whatIsSkipped}", shown);
        if (File.Exists(file.Directory!.FullName)) throw new UsageException($"{option} {shown}: {TableCommand.Relative(file.Directory.FullName)} is a file, not a directory; {whatIsSkipped}", shown);
        EnsureWritable(file.Directory, $"{shown} goes there", whatIsSkipped, option);
        if (file.Exists && file.IsReadOnly) throw new UsageException($"{option} {shown} is read-only; {whatIsSkipped}", shown);
    }
}
