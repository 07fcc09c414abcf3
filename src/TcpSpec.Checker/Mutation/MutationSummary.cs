namespace TcpSpec.Checker.Mutation;

/// <summary>
/// The totals of a mutation run. The kill rate counts a mutant caught statically as killed (the
/// toolchain rejects it), leaves equivalent mutants out, and counts survivors and out-of-budget
/// mutants as not killed: (killed + caught statically) / (all − equivalent).
/// </summary>
public sealed record MutationSummary(IReadOnlyList<MutantResult> Results)
{
    public int Total => Results.Count;
    public int Count(Verdict v) => Results.Count(r => r.Verdict == v);
    public int NonEquivalent => Total - Count(Verdict.Equivalent);
    public int Detected => Count(Verdict.Killed) + Count(Verdict.CaughtStatically);

    /// <summary>In [0, 1]; 1 when every mutant is equivalent (nothing to kill).</summary>
    public double KillRate => NonEquivalent == 0 ? 1 : (double)Detected / NonEquivalent;

    public IEnumerable<MutantResult> Survivors => Results.Where(r => r.Verdict is Verdict.Survived or Verdict.OutOfBudget);

    /// <summary>Per operator, in <see cref="MutantGenerator.Operators"/> order: the operator's own summary.</summary>
    public IEnumerable<(string Operator, MutationSummary Summary)> ByOperator =>
        MutantGenerator.Operators.Select(op => (op, new MutationSummary(Results.Where(r => r.Mutant.Operator == op).ToList()))).Where(x => x.Item2.Total > 0);

    public static readonly Verdict[] Verdicts = [Verdict.Killed, Verdict.CaughtStatically, Verdict.Survived, Verdict.OutOfBudget, Verdict.Equivalent];
}
