using System.CommandLine;
using System.Text.Json;
using TcpSpec.Cli.Docs;

namespace TcpSpec.Cli.Commands;

/// <summary><c>tcpspec docs [--out DIR] [--coverage FILE]</c>: write the state diagrams, the transition table and the coverage of the last check.</summary>
public static class DocsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Where to write the docs.", DefaultValueFactory = _ => new DirectoryInfo("docs") };
        var coverage = new Option<FileInfo?>("--coverage") { Description = $"The coverage of a check run (default: tcpspec-out/{CoverageReport.FileName} when it exists)." };
        var command = new Command("docs", "Write docs/: the state diagram (Mermaid, DOT and SVG), the transition table, and the coverage of the last check.") { outDir, coverage };
        command.SetAction(parse => Run(parse.GetValue(outDir)!, parse.GetValue(coverage), stdout, stderr));
        return command;
    }

    private static int Run(DirectoryInfo outDir, FileInfo? coverageFile, TextWriter stdout, TextWriter stderr)
    {
        var file = coverageFile ?? new FileInfo(Path.Combine("tcpspec-out", CoverageReport.FileName));
        if (coverageFile is not null && Directory.Exists(file.FullName)) throw new UsageException($"--coverage {TableCommand.Relative(file.FullName)} is a directory: give the coverage.json a check wrote ({Path.Combine("tcpspec-out", CoverageReport.FileName)} by default)");
        if (coverageFile is not null && !file.Exists) throw new UsageException($"no such coverage file: {file.FullName}");
        CoverageData? coverage = null;
        if (file.Exists)
        {
            // Given with --coverage, a file that cannot be used is refused; found by default, it is left out.
            coverage = Read(file.FullName, stderr, coverageFile is not null ? "refused: nothing was written" : "left out: the docs are written without coverage");
            if (coverage is null && coverageFile is not null) return Cli.Usage;
        }
        OutDirectory.EnsureWritable(outDir, "the docs go there", "nothing was written");
        var written = DocsWriter.Write(outDir.FullName, coverage, stderr);
        foreach (var w in written) stdout.WriteLine($"wrote {TableCommand.Relative(Path.Combine(outDir.FullName, w))}");
        if (coverage is null) stdout.WriteLine(file.Exists
            ? $"no coverage: {TableCommand.Relative(file.FullName)} cannot be used (see above); run `tcpspec check` to add the coverage picture"
            : "no coverage: run `tcpspec check` first to add the coverage picture");
        return Cli.Ok;
    }

    /// <summary>Reads coverage.json; null (with a message naming the file and <paramref name="consequence"/>) if it is unreadable or for another table.</summary>
    public static CoverageData? Read(string path, TextWriter stderr, string consequence)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            var rows = new bool[TcpMachine.RowCount + 1];
            var rowItems = root.GetProperty("rows").EnumerateArray().ToList();
            if (rowItems.Count != TcpMachine.RowCount)
            {
                stderr.WriteLine($"tcpspec: {path}: coverage of a table with {rowItems.Count} rows, not the compiled one ({TcpMachine.RowCount}); {consequence}");
                return null;
            }
            // A coverage file names the table it measured (TableHash): another table's coverage with
            // as many rows would draw the wrong rows as reached.
            string compiled = TcpSpec.Checker.Output.TableHash.Of(TcpSpec.Engines.GeneratedEngine.Instance);
            if (root.TryGetProperty("tableHash", out var hash) && hash.GetString() is { } h && h != compiled)
            {
                string spec = root.TryGetProperty("spec", out var sp) ? sp.GetString() ?? "?" : "?";
                stderr.WriteLine($"tcpspec: {path}: coverage of another table ({spec}, {h}), not the compiled one ({compiled}); {consequence}");
                return null;
            }
            foreach (var r in rowItems) rows[r.GetProperty("id").GetInt32()] = r.GetProperty("covered").GetBoolean();
            var cells = root.GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("covered").GetBoolean()).ToArray();
            if (cells.Length != TcpMachine.StateNames.Count * TcpMachine.EventNames.Count)
            {
                stderr.WriteLine($"tcpspec: {path}: coverage cells do not match the compiled table; {consequence}");
                return null;
            }
            var scenarios = root.GetProperty("scenarios").EnumerateArray().Select(s => s.GetString() ?? "").ToList();
            return new CoverageData(scenarios, rows, cells);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IOException or FormatException or IndexOutOfRangeException)
        {
            stderr.WriteLine($"tcpspec: {path}: not a coverage file: {ex.Message.TrimEnd('.')}; {consequence}");
            return null;
        }
    }
}
