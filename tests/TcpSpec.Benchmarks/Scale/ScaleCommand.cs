using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TcpSpec.Benchmarks.Scale;

/// <summary>
/// <c>-- scale [configurations] [--only L,D,D[;L,D,D]] [--baseline TCPSPEC.DLL [--baseline-name TEXT]] [--max-states N]</c>: the exhaustive search at scale
/// (issue 14). The <c>client-closes-first</c> scenario at loss/dup/data (2,1,2), (3,2,3), (4,2,4),
/// (4,3,4), (4,4,4) — the first N with a count — each with 1 and 2 workers, liveness on and off,
/// every run in a child <c>tcpspec check --json</c> (Release build) so its peak memory is the
/// whole process's (the child reports its peak resident set). With <c>--baseline</c>, the same
/// runs (2 workers) of another build, e.g. the checker before a change. Rewrites the "Scale"
/// section of docs/benchmarks.md between its markers (the docs mode keeps it), keeping the
/// hand-written notes between <see cref="NotesBegin"/> and <see cref="NotesEnd"/>.
/// </summary>
internal static class ScaleCommand
{
    public const string Begin = "<!-- scale:begin (tests/TcpSpec.Benchmarks -- scale) -->";
    private static readonly Docs.MarkedSection Section = new(Begin, End);
    public const string End = "<!-- scale:end -->";

    /// <summary>Hand-written notes inside the section, kept when the table is remeasured.</summary>
    public const string NotesBegin = "<!-- scale:notes:begin (kept by '-- scale') -->", NotesEnd = "<!-- scale:notes:end -->";

    private static readonly (int Loss, int Dup, int Data)[] Configurations = [(2, 1, 2), (3, 2, 3), (4, 2, 4), (4, 3, 4), (4, 4, 4)];

    private sealed record Outcome(long States, long Transitions, double Seconds, long PeakBytes, bool Truncated);

    public static int Run(string[] args)
    {
        int count = args.Length > 0 && int.TryParse(args[0], out int n) ? Math.Clamp(n, 1, Configurations.Length) : Configurations.Length;
        // --only 4,2,4[;4,3,4]: just these loss,dup,data configurations (e.g. to remeasure one row group).
        int onlyAt = Array.IndexOf(args, "--only");
        var configurations = onlyAt >= 0 && onlyAt + 1 < args.Length
            ? args[onlyAt + 1].Split(';').Select(c => c.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray()).Select(c => (c[0], c[1], c[2])).ToArray()
            : Configurations.Take(count).ToArray();
        string root = Docs.DocsCommand.RepoRoot();
        string cli = Path.Combine(root, "src", "TcpSpec.Cli", "bin", "Release", "net10.0", "tcpspec.dll");
        int at = Array.IndexOf(args, "--baseline");
        string? baseline = at >= 0 && at + 1 < args.Length ? Path.GetFullPath(args[at + 1]) : null;
        int named = Array.IndexOf(args, "--baseline-name");
        string baselineName = named >= 0 && named + 1 < args.Length ? args[named + 1] : "another build";
        int capAt = Array.IndexOf(args, "--max-states");
        long maxStates = capAt >= 0 && capAt + 1 < args.Length ? long.Parse(args[capAt + 1], CultureInfo.InvariantCulture) : 20_000_000;
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"{cli} is missing: run 'dotnet build -c Release src/TcpSpec.Cli' first");
            return 2;
        }
        string load = Docs.DocsCommand.LoadAverage();
        var md = new StringBuilder();
        md.AppendLine(Begin);
        md.AppendLine("## Scale: the exhaustive search at larger budgets");
        md.AppendLine();
        md.AppendLine($"From `dotnet run -c Release --project tests/TcpSpec.Benchmarks -- scale {count}{(baseline is null ? "" : " --baseline …")}` ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, load {load} before). " +
                      "Scenario `client-closes-first`, each run a child `tcpspec check --json` (Release); *peak* is the child's peak resident set (whole process, runtime included), " +
                      "*B/state* is peak / states. One run each, wall time, on a shared machine: read states/s as ±30 %." +
                      (baseline is null ? "" : $" *baseline*: {baselineName}, 2 workers.") +
                      $" Every run is capped at `--max-states {maxStates:N0}`; a capped run's states are marked with ≥ (the baseline checked its cap only at the end of a BFS level, so it overshoots).");
        md.AppendLine();
        md.AppendLine("| loss, dup, data | build | workers | liveness | states | transitions | s | states/s | peak MiB | B/state |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (loss, dup, data) in configurations)
        {
            var runs = new List<(string Build, int Workers, bool Liveness, string Dll)>();
            foreach (bool liveness in new[] { false, true })
            {
                foreach (int workers in new[] { 1, 2 }) runs.Add(("this", workers, liveness, cli));
                if (baseline is not null) runs.Add(("baseline", 2, liveness, baseline));
            }
            foreach (var (build, workers, liveness, dll) in runs)
            {
                var r = Child(dll, loss, dup, data, workers, liveness, maxStates);
                string line = $"| {loss}, {dup}, {data} | {build} | {workers} | {(liveness ? "on" : "off")} | {(r.Truncated ? "≥ " : "")}{r.States:N0} | {r.Transitions:N0} | {r.Seconds:F1} | {r.States / Math.Max(r.Seconds, 1e-9):N0} | {r.PeakBytes / (1024.0 * 1024):N0} | {r.PeakBytes / (double)Math.Max(1, r.States):N0} |";
                Console.WriteLine(line);
                md.AppendLine(line);
            }
        }
        md.AppendLine();
        md.AppendLine($"Load after: {Docs.DocsCommand.LoadAverage()}.");
        string path = Path.Combine(root, "docs", "benchmarks.md");
        string text = File.Exists(path) ? File.ReadAllText(path) : "";
        int b = text.IndexOf(Begin, StringComparison.Ordinal), e = text.IndexOf(End, StringComparison.Ordinal);
        int nb = text.IndexOf(NotesBegin, StringComparison.Ordinal), ne = text.IndexOf(NotesEnd, StringComparison.Ordinal);
        if (b >= 0 && nb > b && ne > nb && ne < e)
        {
            md.AppendLine();
            md.AppendLine(text[nb..(ne + NotesEnd.Length)]);
        }
        md.AppendLine(End);
        File.WriteAllText(path, Section.Splice(text, md.ToString()));
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    /// <summary>Keeps the section when another mode rewrites docs/benchmarks.md.</summary>
    public static string SectionOf(string path) => Section.Of(path);

    private static Outcome Child(string dll, int loss, int dup, int data, int workers, bool liveness, long maxStates)
    {
        string outDir = Path.Combine(Path.GetTempPath(), $"tcpspec-scale-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "check", "-s", "client-closes-first", "--loss", $"{loss}", "--dup", $"{dup}", "--data", $"{data}", "--workers", $"{workers}", "--max-states", $"{maxStates}", "--json", "--out", outDir })
            start.ArgumentList.Add(a);
        if (!liveness) start.ArgumentList.Add("--no-liveness");
        using var child = Process.Start(start)!;
        var stderr = child.StandardError.ReadToEndAsync();
        string json = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        try
        {
            Directory.Delete(outDir, recursive: true);
        }
        catch (IOException)
        {
        }
        int from = json.IndexOf('{');
        if (from < 0) throw new InvalidOperationException($"tcpspec check exited {child.ExitCode} without JSON: {stderr.Result}");
        var s = JsonDocument.Parse(json[from..]).RootElement.GetProperty("scenarios")[0];
        return new Outcome(s.GetProperty("states").GetInt64(), s.GetProperty("transitions").GetInt64(), s.GetProperty("seconds").GetDouble(),
            s.GetProperty("peakMemoryBytes").GetInt64(), s.GetProperty("truncated").GetBoolean());
    }
}
