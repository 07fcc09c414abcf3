using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace TcpSpec.Checker.Mutation;

/// <summary>Writes <c>docs/mutation.md</c>: when and where the run was made, the totals, the per-operator table, and every survivor with its explanation.</summary>
public static class MutationDocs
{
    public static string Write(MutationSummary s, IReadOnlyList<string> order, string table, string commit, DateTime utc, TimeSpan elapsed, int workers, string? sample)
    {
        var b = new StringBuilder();
        b.AppendLine("# Mutation testing of the table");
        b.AppendLine();
        b.AppendLine("Written by `tcpspec mutate --docs docs/mutation.md` (issue 11): every single-edit mutant of the table, judged by the");
        b.AppendLine("analyzer and then by the default scenarios (exhaustive search, interpreted engine, first violation kills).");
        b.AppendLine("The operators and verdicts are described in README.md, \"Mutation testing: `tcpspec mutate`\".");
        b.AppendLine();
        b.AppendLine(Inv($"- Date: {utc:yyyy-MM-dd HH:mm} UTC; commit {commit}; table {table}{(sample is null ? "" : $"; {sample}")}"));
        b.AppendLine(Inv($"- Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; {workers} worker(s); run took {elapsed.TotalSeconds:F0} s"));
        b.AppendLine($"- Scenarios, in the order run (cheapest first): {string.Join(", ", order)}");
        b.AppendLine();
        b.AppendLine(Inv($"**Kill rate: {s.KillRate:P1}** of {s.NonEquivalent} non-equivalent mutants ({s.Detected} killed or caught statically; {s.Total} mutants in all)."));
        b.AppendLine();
        b.AppendLine("| verdict | mutants |");
        b.AppendLine("|---|---:|");
        foreach (var v in MutationSummary.Verdicts) b.AppendLine($"| {MutantResult.Name(v)} | {s.Count(v)} |");
        b.AppendLine();
        b.AppendLine("| operator | mutants | killed | caught statically | survived | out of budget | equivalent | kill rate |");
        b.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (op, o) in s.ByOperator)
            b.AppendLine(Inv($"| {op} | {o.Total} | {o.Count(Verdict.Killed)} | {o.Count(Verdict.CaughtStatically)} | {o.Count(Verdict.Survived)} | {o.Count(Verdict.OutOfBudget)} | {o.Count(Verdict.Equivalent)} | {o.KillRate:P1} |"));
        b.AppendLine();
        b.AppendLine("## Survivors");
        b.AppendLine();
        var survivors = s.Survivors.ToList();
        if (survivors.Count == 0) b.AppendLine("None.");
        else
        {
            b.AppendLine("| # | where | edit | verdict | explanation |");
            b.AppendLine("|---:|---|---|---|---|");
            foreach (var r in survivors)
                b.AppendLine($"| {r.Mutant.Id} | {r.Mutant.Where} | {Cell(r.Mutant.Description)} | {MutantResult.Name(r.Verdict)} | {Cell(r.Detail)} |");
        }
        b.AppendLine();
        b.AppendLine("## Equivalent mutants");
        b.AppendLine();
        b.AppendLine(Inv($"{s.Count(Verdict.Equivalent)} mutants change no decision of any cell for any valuation of its guards (the same actions and effective next state), so no run can tell them from the table; they are left out of the kill rate."));
        var eq = s.Results.Where(r => r.Verdict == Verdict.Equivalent).ToList();
        if (eq.Count > 0)
        {
            b.AppendLine();
            b.AppendLine("| # | where | edit |");
            b.AppendLine("|---:|---|---|");
            foreach (var r in eq) b.AppendLine($"| {r.Mutant.Id} | {r.Mutant.Where} | {Cell(r.Mutant.Description)} |");
        }
        return b.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");

    private static string Inv(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
}
