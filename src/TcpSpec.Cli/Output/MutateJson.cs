using TcpSpec.Checker.Mutation;

namespace TcpSpec.Cli.Output;

/// <summary>The <c>tcpspec mutate --json</c> document (schema: docs/json-schema.md, section "mutate").</summary>
internal static class MutateJson
{
    public static object Of(string table, MutationSummary s, IReadOnlyList<string> order, int? sample, int seed, IReadOnlyList<int>? rows, double minKillRate) => new
    {
        command = "mutate",
        table,
        sample,
        seed = sample is null ? (int?)null : seed,
        rows,
        scenarios = order,
        total = s.Total,
        killed = s.Count(Verdict.Killed),
        caughtStatically = s.Count(Verdict.CaughtStatically),
        survived = s.Count(Verdict.Survived),
        outOfBudget = s.Count(Verdict.OutOfBudget),
        equivalent = s.Count(Verdict.Equivalent),
        killRate = Math.Round(s.KillRate, 4),
        minKillRate,
        operators = s.ByOperator.Select(o => new
        {
            name = o.Operator,
            total = o.Summary.Total,
            killed = o.Summary.Count(Verdict.Killed),
            caughtStatically = o.Summary.Count(Verdict.CaughtStatically),
            survived = o.Summary.Count(Verdict.Survived),
            outOfBudget = o.Summary.Count(Verdict.OutOfBudget),
            equivalent = o.Summary.Count(Verdict.Equivalent),
            killRate = Math.Round(o.Summary.KillRate, 4),
        }),
        mutants = s.Results.Select(r => new
        {
            id = r.Mutant.Id,
            @operator = r.Mutant.Operator,
            line = r.Mutant.Where.Line,
            column = r.Mutant.Where.Column,
            rowLine = r.Mutant.RowLine,
            description = r.Mutant.Description,
            verdict = MutantResult.Name(r.Verdict),
            detail = r.Detail,
            scenario = r.Scenario,
            property = r.Property,
            moves = r.CounterexampleLength,
            diagnostics = r.DiagnosticIds,
            reached = r.Reached,
            states = r.States,
        }),
    };
}
