using System.CommandLine;
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
            coverage = CoverageFile.Read(file.FullName, stderr, coverageFile is not null ? "refused: nothing was written" : "left out: the docs are written without coverage");
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
}
