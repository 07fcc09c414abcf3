using System.Globalization;
using TcpSpec.Checker.Exploration;
using TcpSpec.Engines;

namespace TcpSpec.Cli.Output;

/// <summary>
/// The text summary of <c>tcpspec check</c>: one line per scenario in catalogue order, fitted to
/// the width (80 columns when piped; no line padded beyond its text), numbers never broken (the
/// verdict column wraps, at word boundaries); then the totals.
/// </summary>
internal static class CheckSummary
{
    private static readonly CultureInfo Numbers = CultureInfo.InvariantCulture;

    private static readonly string[] Headers = ["scenario", "budgets", "states", "time", "verdict"];

    public static void Write(TextWriter stdout, string table, string strategy, string workers, double wallSeconds, IReadOnlyList<ScenarioOutcome> outcomes, int width, bool color)
    {
        var rows = outcomes.Select(o => o.Result is { } r
            ? (Cells: new[] { o.Scenario.Name, Budgets(r.Budgets),r.Stats.States.ToString("N0", Numbers), $"{r.Stats.Seconds.ToString("F2", Numbers)}s" },
                Verdict: r.Holds ? (r.Stats.Truncated ? "holds so far (truncated)" : "all properties hold") : $"VIOLATED: {string.Join(", ", r.Violations.Select(v => v.Property))}",
                Tone: r.Holds ? (r.Stats.Truncated ? Yellow : Green) : Red)
            : (Cells: new[] { o.Scenario.Name, "", "", "" }, Verdict: o.Crash is null ? "CANNOT START (see below)" : "ENGINE CRASHED (see below)", Tone: Red)).ToList();

        var widths = Enumerable.Range(0, 4).Select(c => Math.Max(Headers[c].Length, rows.Select(r => r.Cells[c].Length).DefaultIfEmpty(0).Max())).ToArray();
        int verdictAt = widths.Sum() + 2 * 4;
        int verdictWidth = Math.Max(Headers[4].Length, width - 1 - verdictAt);

        string strategies = string.Join(", ", outcomes.Where(o => o.Result is not null).Select(o => o.Result!.Strategy).Distinct().DefaultIfEmpty(strategy));
        foreach (var l in Wrap($"tcpspec check — table: {table} — strategy: {strategies}", Math.Max(40, width - 1))) stdout.WriteLine(l);
        stdout.WriteLine(Line(Headers[..4], widths) + Headers[4]);
        stdout.WriteLine(Line(widths.Select(w => new string('-', w)).ToArray(), widths) + new string('-', Math.Min(verdictWidth, rows.Select(r => r.Verdict.Length).DefaultIfEmpty(7).Max())));
        foreach (var (cells, verdict, tone) in rows)
        {
            var lines = Wrap(verdict, verdictWidth);
            stdout.WriteLine(Line(cells, widths) + Paint(lines[0], tone, color));
            foreach (var more in lines.Skip(1)) stdout.WriteLine(new string(' ', verdictAt) + Paint(more, tone, color));
        }

        var results = outcomes.Where(o => o.Result is not null).Select(o => o.Result!).ToList();
        long states = results.Sum(r => r.Stats.States);
        double seconds = results.Sum(r => r.Stats.Seconds);
        long peak = results.Count == 0 ? 0 : results.Max(r => r.Stats.PeakMemoryBytes);
        stdout.WriteLine();
        foreach (var l in Wrap($"budgets are loss/dup/crash/data/in-flight. {states.ToString("N0", Numbers)} distinct states in {wallSeconds.ToString("F2", Numbers)}s " +
                               $"({(states / Math.Max(wallSeconds, 1e-9)).ToString("N0", Numbers)} states/s; the scenarios' searches add up to {seconds.ToString("F2", Numbers)}s), peak memory {(peak / (1024 * 1024)).ToString("N0", Numbers)} MiB, {workers}.", Math.Max(40, width - 1)))
            stdout.WriteLine(l);
    }

    /// <summary>The coverage line, then the rows no scenario reached: their count, or with <paramref name="verbose"/> the list.</summary>
    public static void WriteCoverage(TextWriter stdout, IEngine engine, Coverage merged, string coveragePath, bool verbose)
    {
        stdout.WriteLine();
        stdout.WriteLine($"Coverage: {merged.RowsCovered}/{engine.Rows.Count} rows fired, {merged.CellsCovered}/{merged.Cells.Length} (state, event) cells met; written to {Commands.TableCommand.Relative(coveragePath)}");
        var missing = engine.Rows.Where(row => !merged.Rows[row.Id]).ToList();
        if (missing.Count == 0) return;
        if (!verbose)
        {
            stdout.WriteLine($"{missing.Count} row(s) no scenario reached (--verbose lists them; tcpspec docs draws them).");
            return;
        }
        stdout.WriteLine("Rows no scenario reached:");
        foreach (var row in missing) stdout.WriteLine($"  R{row.Id,-4} line {row.Line,-4} {row.Description}");
    }

    public static string Budgets(TcpSpec.Checker.Model.Budgets b) => $"{b.Loss}/{b.Dup}/{b.Crash}/{b.Data}/{b.MaxInFlight}" + (b.Stale > 0 ? $" s{b.Stale}" : "") + (b.Attack > 0 ? $" a{b.Attack}" : "") + (b.Calls > 0 ? $" c{b.Calls}" : "") + (b.Icmp > 0 ? $" i{b.Icmp}" : "");

    private static string Line(string[] cells, int[] widths)
    {
        var parts = new string[cells.Length];
        for (int i = 0; i < cells.Length; i++) parts[i] = i is 0 or 1 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]);
        return string.Join("  ", parts) + "  ";
    }

    /// <summary>Words onto lines of at most <paramref name="width"/> characters (a longer word gets a line of its own, unbroken).</summary>
    internal static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line);
                line = word;
            }
            else line = line.Length == 0 ? word : line + " " + word;
        }
        lines.Add(line);
        return lines;
    }

    private const string Green = "32";
    private const string Yellow = "33";
    private const string Red = "31";

    private static string Paint(string text, string tone, bool color) => color ? $"\u001b[{tone}m{text}\u001b[0m" : text;
}
