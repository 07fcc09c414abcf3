using System.Globalization;
using System.Text;

namespace TcpSpec.Checker.Mutation;

/// <summary>The text report of <c>tcpspec mutate</c>: the kill rate, counts per verdict and per operator, and each survivor at its line.</summary>
public static class MutationText
{
    public static string Write(MutationSummary s, IReadOnlyList<string> order)
    {
        var b = new StringBuilder();
        b.AppendLine(Inv($"Mutants: {s.Total}   killed {s.Count(Verdict.Killed)}, caught statically {s.Count(Verdict.CaughtStatically)}, survived {s.Count(Verdict.Survived)}, out of budget {s.Count(Verdict.OutOfBudget)}, equivalent {s.Count(Verdict.Equivalent)}"));
        b.AppendLine(Inv($"Kill rate: {s.KillRate:P1} of {s.NonEquivalent} non-equivalent mutants ({s.Detected} killed or caught statically)"));
        b.AppendLine($"Scenarios, in the order run: {string.Join(", ", order)}");
        b.AppendLine();
        b.AppendLine(Inv($"{"operator",-16} {"mutants",7} {"killed",7} {"static",7} {"survived",8} {"budget",7} {"equiv",6} {"rate",7}"));
        foreach (var (op, o) in s.ByOperator)
            b.AppendLine(Inv($"{op,-16} {o.Total,7} {o.Count(Verdict.Killed),7} {o.Count(Verdict.CaughtStatically),7} {o.Count(Verdict.Survived),8} {o.Count(Verdict.OutOfBudget),7} {o.Count(Verdict.Equivalent),6} {o.KillRate,7:P1}"));
        var survivors = s.Survivors.ToList();
        if (survivors.Count > 0)
        {
            b.AppendLine();
            b.AppendLine("Survivors:");
            foreach (var r in survivors)
                b.AppendLine($"  #{r.Mutant.Id} {r.Mutant}: {MutantResult.Name(r.Verdict)}: {r.Detail}");
        }
        return b.ToString();
    }

    /// <summary>One line for a mutant, as <c>--list</c> and the progress show it.</summary>
    public static string Line(MutantResult r) => r.Verdict switch
    {
        Verdict.Killed when r.CounterexampleLength is { } n => $"#{r.Mutant.Id} {r.Mutant}: killed by {r.Scenario} ({r.Property}, {n} moves)",
        Verdict.Killed => $"#{r.Mutant.Id} {r.Mutant}: killed by {r.Scenario} ({r.Property})",
        Verdict.CaughtStatically => $"#{r.Mutant.Id} {r.Mutant}: caught statically ({r.Detail})",
        _ => $"#{r.Mutant.Id} {r.Mutant}: {MutantResult.Name(r.Verdict)}: {r.Detail}",
    };

    private static string Inv(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
}
