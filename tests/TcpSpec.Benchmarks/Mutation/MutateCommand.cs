using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using TcpSpec.Checker.Mutation;

namespace TcpSpec.Benchmarks.Mutation;

/// <summary>
/// <c>-- mutate [--sample N] [--workers W]</c>: how long <c>tcpspec mutate</c>'s full run takes on
/// this machine (issue 11: "about 10 minutes on 2 cores; a benchmark, not a timed test"). Runs the
/// real table's mutants as the command does (the same <see cref="MutationRunner"/>, every
/// default scenario, <c>W</c> mutants at once, default: every core), timing the set-up (the real
/// table's runs, for coverage and order) and each mutant's verdict, and rewrites the section of
/// docs/benchmarks.md between its markers: wall time, mutants/s, states searched, and where the
/// time goes by verdict.
/// </summary>
internal static class MutateCommand
{
    public const string Begin = "<!-- mutate:begin (tests/TcpSpec.Benchmarks -- mutate) -->";
    public const string End = "<!-- mutate:end -->";
    private static readonly Docs.MarkedSection Section = new(Begin, End);

    public static int Run(string[] args)
    {
        int? sample = Int(args, "--sample");
        int workers = Int(args, "--workers") ?? Environment.ProcessorCount;
        string root = Docs.DocsCommand.RepoRoot();
        string table = Path.Combine(root, "spec", "tcp.spec.md");
        string text = File.ReadAllText(table);
        string loadBefore = Docs.DocsCommand.LoadAverage();

        var all = MutantGenerator.Generate("spec/tcp.spec.md", text);
        var mutants = sample is { } n ? all.Where((_, i) => i % Math.Max(1, all.Count / n) == 0).Take(n).ToList() : all;
        var clock = Stopwatch.StartNew();
        var runner = new MutationRunner("spec/tcp.spec.md", text, new MutationOptions { Workers = workers });
        double setUp = clock.Elapsed.TotalSeconds;

        var timed = new ConcurrentBag<(MutantResult Result, double Seconds)>();
        var judging = Stopwatch.StartNew();
        Parallel.ForEach(mutants, new ParallelOptions { MaxDegreeOfParallelism = workers }, m =>
        {
            var one = Stopwatch.StartNew();
            var r = runner.Judge(m);
            timed.Add((r, one.Elapsed.TotalSeconds));
        });
        double judge = judging.Elapsed.TotalSeconds;
        double total = clock.Elapsed.TotalSeconds;
        string loadAfter = Docs.DocsCommand.LoadAverage();

        var summary = new MutationSummary(timed.Select(t => t.Result).OrderBy(r => r.Mutant.Id).ToList());
        long states = timed.Sum(t => t.Result.States);
        var md = new StringBuilder();
        md.AppendLine(Begin);
        md.AppendLine("## Mutation testing: the full run");
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"From `dotnet run -c Release --project tests/TcpSpec.Benchmarks -- mutate{(sample is null ? "" : $" --sample {sample}")}` ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {workers} workers, load {loadBefore} before, {loadAfter} after): what `tcpspec mutate` does, timed — {mutants.Count:N0} mutants of the real table, every default scenario ({runner.Order.Count}), kill rate {summary.KillRate * 100:F1} %."));
        md.AppendLine();
        md.AppendLine("| part | mutants | wall s | sum of the mutants' own s | states searched |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| set-up: the real table's run of every scenario (coverage, order) | — | {setUp:F1} | — | {runner.BaselineStates.Values.Sum():N0} |"));
        foreach (var (what, pick) in Parts)
        {
            var part = timed.Where(t => pick(t.Result)).ToList();
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {part.Count:N0} | — | {part.Sum(p => p.Seconds):F1} | {part.Sum(p => p.Result.States):N0} |"));
        }
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| **all mutants judged** | {mutants.Count:N0} | {judge:F1} | {timed.Sum(t => t.Seconds):F1} | {states:N0} |"));
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"**{(sample is null ? "Full run" : "This sample")}: {total:F0} s** ({total / 60:F1} min; goal: about 10 minutes on 2 cores), {mutants.Count / judge:F2} mutants/s, {states / judge / 1e6:F2} M states/s searched."));
        md.AppendLine("A scenario whose run of the table never consults a mutant's row is not searched for it (its search would be the table's): survivors cost only the scenarios that reach their row.");
        md.AppendLine(End);

        Console.Write(md);
        if (sample is null)
        {
            string path = Path.Combine(root, "docs", "benchmarks.md");
            File.WriteAllText(path, Section.Splice(File.Exists(path) ? File.ReadAllText(path) : "", md.ToString()));
            Console.WriteLine($"wrote {path}");
        }
        else Console.WriteLine("(a sample: docs/benchmarks.md is written by the full run only)");
        return 0;
    }

    /// <summary>Keeps the section when another mode rewrites docs/benchmarks.md.</summary>
    public static string SectionOf(string path) => Section.Of(path);

    private static readonly (string What, Func<MutantResult, bool> Pick)[] Parts =
    [
        ("caught statically, equivalent, or never reached (no search)", r => r.States == 0 && r.Verdict != Verdict.Killed),
        ("killed (the search stops at the first violation)", r => r.Verdict == Verdict.Killed),
        ("survived or out of budget after a search", r => r.Verdict is Verdict.Survived or Verdict.OutOfBudget && r.States > 0),
    ];

    private static int? Int(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        if (i < 0) return null;
        if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < 1)
            throw new ArgumentException($"{name} needs a positive number");
        return v;
    }
}
