namespace TcpSpec.Cli.Commands;

/// <summary>
/// The files a command's arguments name: a file as itself (whatever its name: the user chose it),
/// a directory as every file under it with one of the command's extensions, recursively, in
/// ordinal order of path (the same order on every machine). A directory with no such file is a
/// usage error naming it; so is a missing path, unless the command reports it per file.
/// </summary>
internal static class InputFiles
{
    /// <param name="what">What the files are, for messages ("capture", "script").</param>
    /// <param name="missingIsError">False: a missing file is kept, for the command to report it beside the others.</param>
    public static List<FileInfo> Expand(IEnumerable<FileInfo> arguments, IReadOnlyList<string> extensions, string what, bool missingIsError = true)
    {
        var files = new List<FileInfo>();
        foreach (var a in arguments)
        {
            string shown = TableCommand.Relative(a.FullName);
            if (Directory.Exists(a.FullName))
            {
                var found = Directory.EnumerateFiles(a.FullName, "*", SearchOption.AllDirectories)
                    .Where(f => extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                    throw new UsageException($"{shown} is a directory with no {what} in it (looked for {string.Join(", ", extensions.Select(e => "*" + e))}, recursively)", shown);
                files.AddRange(found.Select(f => new FileInfo(f)));
                continue;
            }
            if (!a.Exists && missingIsError) throw new UsageException($"no such {what} file or directory: {shown}", shown);
            files.Add(a);
        }
        return files;
    }
}
