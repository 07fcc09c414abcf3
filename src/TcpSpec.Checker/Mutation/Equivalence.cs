using TcpSpec.Language;

namespace TcpSpec.Checker.Mutation;

/// <summary>
/// Provably equivalent mutants: a table whose every (state, event) cell decides the same way as
/// the original's for every valuation of the guards its rows name — the same actions and the same
/// effective next state (a row's <c>same</c> and its own state are one next state) — behaves the
/// same in every run, whatever the guards mean. Actions are compared as the runtime runs them
/// (<see cref="SameEffect"/>: a challenge ACK is an ACK, <c>Drop</c> does nothing). This covers a removed guard term that the
/// cell's other rows or the remaining terms imply, a negated term whose rows decide alike, a
/// move of a row above one whose guard is disjoint from its own, and a change-next or deletion
/// that changes no decision. It is sufficient, not necessary: guards are treated as independent,
/// but for the pairs <see cref="GuardFacts"/> proves never to hold together (their valuations are
/// left out), so a mutant equivalent only through other things guards mean is not found here and
/// is checked by the model.
/// </summary>
public static class Equivalence
{
    /// <summary>Cells with more distinct guards than this are not enumerated (2^n valuations).</summary>
    public const int MaxGuards = 16;

    /// <summary>Why <paramref name="mutant"/> is equivalent to <paramref name="original"/>, or null when it is not provably so.</summary>
    public static string? Why(MachineModel original, MachineModel mutant, IReadOnlyList<ExclusiveGuards>? exclusive = null)
    {
        if (original.States.Count != mutant.States.Count || original.Events.Count != mutant.Events.Count) return null;
        exclusive ??= [];
        var used = new HashSet<ExclusiveGuards>();
        for (int s = 0; s < original.States.Count; s++)
        {
            for (int e = 0; e < original.Events.Count; e++)
            {
                if (!SameDecisions(original, mutant, s, e, exclusive, used)) return null;
            }
        }
        string why = "every cell decides the same actions (as the runtime runs them: a challenge ACK is an ACK, Drop does nothing, an ACK next to ReceiveFin's is one ACK) and next state as the original's for every valuation of its guards";
        return used.Count == 0 ? why : why + " that can occur (" + string.Join("; ", used.Select(f => f.Why)) + ")";
    }

    private static bool SameDecisions(MachineModel a, MachineModel b, int state, int evt, IReadOnlyList<ExclusiveGuards> exclusive, HashSet<ExclusiveGuards> used)
    {
        var rowsA = a.Cell(state, evt).Rows.Select(a.Row).ToList();
        var rowsB = b.Cell(state, evt).Rows.Select(b.Row).ToList();
        var guards = rowsA.Select(r => (a, r)).Concat(rowsB.Select(r => (a: b, r)))
            .SelectMany(x => x.r.Guard.Select(t => x.a.Guards[t.Guard].Name)).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        if (guards.Count > MaxGuards) return false;
        for (long v = 0; v < 1L << guards.Count; v++)
        {
            var impossible = Impossible(guards, v, exclusive);
            if (Decide(a, rowsA, state, guards, v) == Decide(b, rowsB, state, guards, v)) continue;
            if (impossible is null) return false;
            used.Add(impossible); // the cells differ only where both guards of a fact would hold
        }
        return true;
    }

    /// <summary>The fact that rules valuation <paramref name="v"/> out (both its guards hold), or null.</summary>
    private static ExclusiveGuards? Impossible(List<string> guards, long v, IReadOnlyList<ExclusiveGuards> exclusive)
    {
        foreach (var f in exclusive)
        {
            int i = guards.IndexOf(f.A), j = guards.IndexOf(f.B);
            if (i >= 0 && j >= 0 && ((v >> i) & 1) == 1 && ((v >> j) & 1) == 1) return f;
        }
        return null;
    }

    /// <summary>The first row that holds under valuation <paramref name="v"/>, as its actions and effective next state ("none" when no row holds).</summary>
    private static string Decide(MachineModel m, List<RowModel> rows, int state, List<string> guards, long v)
    {
        foreach (var row in rows)
        {
            bool holds = row.Guard.All(t => (((v >> guards.IndexOf(m.Guards[t.Guard].Name)) & 1) == 1) != t.Negated);
            if (!holds) continue;
            return SameEffect.Normalize(row.Actions.Select(x => m.Actions[x].Name)) + "→" + m.States[m.NextOf(row, state)].Name;
        }
        return "none";
    }
}
