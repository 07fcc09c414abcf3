using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using TcpSpec.Checker.Mutation;
using TcpSpec.Cli.Output;

namespace TcpSpec.Cli.Commands;

/// <summary>
/// <c>tcpspec mutate</c> (issue 11): mutation testing of the table. Generates the single-edit
/// mutants (<see cref="MutantGenerator"/>), judges them (<see cref="MutationRunner"/>) and prints
/// the kill rate and the survivors; <c>--json</c>, <c>--docs FILE</c>, <c>--sample N --seed S</c>,
/// <c>--write-mutant ID FILE</c>. Exit 0 when the kill rate meets <c>--min-kill-rate</c>, 1 below it, 2 on usage errors.
/// </summary>
public static class MutateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var spec = new Option<FileInfo?>("--spec") { Description = "Mutate this table file instead of spec/tcp.spec.md (the built-in table's source)." };
        var operators = new Option<string?>("--operators") { Description = $"Comma-separated operators (default: all): {string.Join(", ", MutantGenerator.Operators)}." };
        var workers = new Option<int>("--workers") { Description = "Mutants checked at once, each by a single-threaded search (verdicts do not depend on it).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var sample = new Option<int?>("--sample") { Description = "Judge a random subset of N mutants (reproducible with --seed)." };
        var seed = new Option<int>("--seed") { Description = "Seed of --sample.", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout (schema: docs/json-schema.md, \"mutate\")." };
        var docs = new Option<FileInfo?>("--docs") { Description = "Also write the report as Markdown to FILE (docs/mutation.md)." };
        var minKillRate = new Option<double>("--min-kill-rate") { Description = "Exit 1 when the kill rate is below this (0 to 1, or a percentage; default 0: report only).", DefaultValueFactory = _ => 0 };
        var maxStates = new Option<long>("--max-states") { Description = "Per-mutant state cap of each scenario's search: a mutant none kills that reaches it is 'out of budget'.", DefaultValueFactory = _ => 2_000_000 };
        var list = new Option<bool>("--list") { Description = "List the mutants (id, position, edit) and exit without judging them." };
        var write = new Option<string[]?>("--write-mutant") { Description = "Write mutant ID's table text to FILE (two values: ID FILE) and exit.", Arity = new ArgumentArity(2, 2), AllowMultipleArgumentsPerToken = true };
        var scenarios = new Option<string[]>("--scenario", "-s") { Description = "Judge by these scenarios only (comma-separated; default: every default scenario of `tcpspec check`). For quick runs: the kill rate is then of this subset.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var rows = new Option<string?>("--rows") { Description = "Only mutants of the rows at these table lines (comma-separated lines or ranges, e.g. 168-190,212): a focused run while working on those rows; the kill rate is then of that subset." };
        var command = new Command("mutate", "Mutation testing of the table: every single-edit mutant, judged by the analyzer and the default scenarios.")
        {
            spec, operators, rows, scenarios, workers, sample, seed, json, docs, minKillRate, maxStates, list, write,
        };
        command.SetAction(parse => Run(new Settings(parse.GetValue(spec), parse.GetValue(operators), parse.GetValue(workers), parse.GetValue(sample), parse.GetValue(seed),
            parse.GetValue(json), parse.GetValue(docs), parse.GetValue(minKillRate), parse.GetValue(maxStates), parse.GetValue(list), parse.GetValue(write), parse.GetValue(scenarios) ?? [], parse.GetValue(rows)), stdout, stderr));
        return command;
    }

    private sealed record Settings(FileInfo? Spec, string? Operators, int Workers, int? Sample, int Seed, bool Json, FileInfo? Docs, double MinKillRate, long MaxStates, bool List, string[]? Write, string[] Scenarios, string? Rows);

    private static int Run(Settings s, TextWriter stdout, TextWriter stderr)
    {
        if (s.Workers < 1) throw new UsageException($"--workers must be at least 1, not {s.Workers}");
        if (s.Sample is < 1) throw new UsageException($"--sample must be at least 1, not {s.Sample}");
        if (s.MaxStates < 1) throw new UsageException($"--max-states must be at least 1, not {s.MaxStates}");
        double minRate = s.MinKillRate > 1 ? s.MinKillRate / 100 : s.MinKillRate;
        if (minRate < 0 || minRate > 1) throw new UsageException($"--min-kill-rate must be between 0 and 1 (or 0 and 100 %), not {s.MinKillRate.ToString(CultureInfo.InvariantCulture)}");
        var ops = ParseOperators(s.Operators);
        var rowLines = ParseRows(s.Rows);
        if (s.Docs is { } docsFile) OutDirectory.EnsureWritableFile(docsFile, "--docs", "nothing was mutated");
        var suite = CheckCommand.SelectScenarios(s.Scenarios);

        var file = s.Spec ?? DefaultTable() ?? throw new UsageException("cannot find spec/tcp.spec.md from the current directory: give the table with --spec FILE");
        if (Directory.Exists(file.FullName)) throw new UsageException($"--spec {TableCommand.Relative(file.FullName)} is a directory, not a table file", TableCommand.Relative(file.FullName));
        if (!file.Exists) throw new UsageException($"no such table file: {file.FullName}", TableCommand.Relative(file.FullName));
        string shown = TableCommand.Relative(file.FullName);
        string text;
        try
        {
            text = File.ReadAllText(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{shown}: cannot read the table: {ex.Message}");
        }
        if (SpecFileLoader.Load(file, stderr, "; nothing was mutated", out _) is null) return Cli.Usage;

        var generated = MutantGenerator.Generate(shown, text, ops);
        if (s.Write is { Length: 2 } w) return WriteMutant(generated, w, text, stdout);
        var all = generated;
        if (rowLines is not null)
        {
            all = generated.Where(m => rowLines.Contains(m.RowLine)).ToList();
            if (all.Count == 0) throw new UsageException($"--rows {s.Rows}: no mutant edits a row at those lines of {shown} (rows are the table's lines that start with '|' in a transition table)");
        }
        var mutants = s.Sample is { } n ? Sample(all, n, s.Seed) : all;
        if (s.List)
        {
            foreach (var m in mutants) stdout.WriteLine($"#{m.Id} [{m.Operator}] {m}");
            return Cli.Ok;
        }

        var clock = Stopwatch.StartNew();
        int done = 0, killed = 0;
        MutationRunner runner;
        try
        {
            runner = new MutationRunner(shown, text, new MutationOptions
            {
                Workers = s.Workers,
                MaxStates = s.MaxStates,
                Scenarios = suite,
                OnResult = r =>
                {
                    Interlocked.Increment(ref done);
                    if (r.Verdict is Verdict.Killed or Verdict.CaughtStatically) Interlocked.Increment(ref killed);
                },
            });
        }
        catch (InvalidOperationException ex)
        {
            stderr.WriteLine($"tcpspec: {ex.Message}");
            return Cli.Usage;
        }
        IReadOnlyList<MutantResult> results;
        using (new Timer(_ => stderr.WriteLine($"mutate: {Volatile.Read(ref done)}/{mutants.Count} mutants, {Volatile.Read(ref killed)} killed, {clock.Elapsed.TotalSeconds:F0} s"), null, 1000, 1000))
        {
            results = runner.Run(mutants);
        }
        var summary = new MutationSummary(results);
        var order = runner.Order.Select(o => o.Name).ToList();
        if (s.Json) JsonOutput.Write(stdout, MutateJson.Of(shown, summary, order, s.Sample, s.Seed, rowLines?.Order().ToList(), minRate));
        else stdout.Write(MutationText.Write(summary, order));
        if (s.Docs is { } docs)
        {
            string? sampleText = Subset(s, rowLines, mutants.Count, all.Count, generated.Count);
            File.WriteAllText(docs.FullName, MutationDocs.Write(summary, order, shown, Commit(), DateTime.UtcNow, clock.Elapsed, s.Workers, sampleText));
            stderr.WriteLine($"mutate: wrote {TableCommand.Relative(docs.FullName)}");
        }
        return summary.KillRate >= minRate ? Cli.Ok : Cli.Finding;
    }

    /// <summary>What part of the table's mutants a run judged, for the report (null: all of them).</summary>
    private static string? Subset(Settings s, HashSet<int>? rowLines, int judged, int selected, int generated)
    {
        var parts = new List<string>();
        if (rowLines is not null) parts.Add($"only the {selected} of {generated} mutants in the rows at lines {s.Rows}");
        if (s.Sample is { } k) parts.Add($"a sample of {judged} (--sample {k}, seed {s.Seed}) of {selected} mutants");
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static IReadOnlyCollection<string>? ParseOperators(string? text)
    {
        if (text is null) return null;
        var ops = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var unknown = ops.Where(o => !MutantGenerator.Operators.Contains(o)).ToList();
        if (ops.Count == 0 || unknown.Count > 0)
            throw new UsageException($"unknown operator(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))} in --operators; the operators are {string.Join(", ", MutantGenerator.Operators)}");
        return ops;
    }

    /// <summary>"168-190,212" → the set of lines; null when the option is absent.</summary>
    internal static HashSet<int>? ParseRows(string? text)
    {
        if (text is null) return null;
        var lines = new HashSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-', 2, StringSplitOptions.TrimEntries);
            if (!int.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out int from) || from < 1
                || (ends.Length == 2 && (!int.TryParse(ends[1], NumberStyles.None, CultureInfo.InvariantCulture, out int to) || to < from)))
                throw new UsageException($"--rows: '{part}' is not a line or a range of lines (e.g. 168 or 168-190)");
            int last = ends.Length == 2 ? int.Parse(ends[1], CultureInfo.InvariantCulture) : from;
            for (int l = from; l <= last; l++) lines.Add(l);
        }
        if (lines.Count == 0) throw new UsageException("--rows: give at least one line");
        return lines;
    }

    /// <summary>A reproducible subset: the first <paramref name="n"/> of a seeded shuffle, in id order.</summary>
    internal static IReadOnlyList<Mutant> Sample(IReadOnlyList<Mutant> all, int n, int seed)
    {
        var random = new Random(seed);
        var ids = Enumerable.Range(0, all.Count).ToArray();
        for (int i = ids.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (ids[i], ids[j]) = (ids[j], ids[i]);
        }
        return ids.Take(n).Order().Select(i => all[i]).ToList();
    }

    private static int WriteMutant(IReadOnlyList<Mutant> all, string[] args, string text, TextWriter stdout)
    {
        if (!int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out int id) || id < 1 || id > all.Count)
            throw new UsageException($"--write-mutant: '{args[0]}' is not a mutant id (1 to {all.Count}; see --list)");
        var m = all[id - 1];
        try
        {
            File.WriteAllText(args[1], m.Apply(text));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"--write-mutant: cannot write {args[1]}: {ex.Message}");
        }
        stdout.WriteLine($"#{m.Id} [{m.Operator}] {m} → {args[1]}");
        return Cli.Ok;
    }

    /// <summary>spec/tcp.spec.md in the current directory or one above it.</summary>
    private static FileInfo? DefaultTable()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var f = new FileInfo(Path.Combine(dir.FullName, "spec", "tcp.spec.md"));
            if (f.Exists) return f;
        }
        return null;
    }

    private static string Commit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (git is null) return "unknown";
            string sha = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && sha.Length > 0 ? sha : "unknown";
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "unknown";
        }
    }
}
