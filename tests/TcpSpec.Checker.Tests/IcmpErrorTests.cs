using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Output;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Tests.Broken;
using TcpSpec.Engines;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests;

/// <summary>ICMP errors in the model (--icmp, RFC 9293 §3.9.2.2): the moves, the icmp-errors scenario and the IcmpErrors properties.</summary>
public class IcmpErrorTests
{
    private static readonly Scenario Scenario = ScenarioCatalog.IcmpFamily.IcmpErrors;

    [Fact]
    public void The_scenario_passes_on_the_real_table_within_thirty_thousand_states()
    {
        var result = ModelChecker.Check(Scenario, new CheckOptions());
        Assert.True(result.Holds, string.Join("; ", result.Violations.Select(v => $"{v.Property}: {v.Message}")));
        Assert.InRange(result.Stats.States, 1_000, 30_000);
        Assert.Contains(ScenarioCatalog.All, s => s.Name == "icmp-errors");
        foreach (var p in IcmpErrors.All) Assert.Contains(result.Properties, q => q.Name == p.Name);
    }

    [Fact]
    public void The_scenario_meets_every_icmp_row_and_cell_of_the_table()
    {
        var result = ModelChecker.Check(Scenario, new CheckOptions());
        var icmpRows = GeneratedEngine.Instance.Rows.Where(r => r.Description.Contains("ICMP-")).ToList();
        Assert.Equal(6, icmpRows.Count);
        Assert.All(icmpRows, r => Assert.True(result.Coverage.Rows[r.Id], $"row at line {r.Line} ({r.Description}) never fires"));
        foreach (var state in Enum.GetValues<TcpState>())
            foreach (var ev in new[] { TcpEvent.IcmpSoft, TcpEvent.IcmpHard })
                Assert.True(result.Coverage.Cells[(int)state * result.Coverage.EventCount + (int)ev], $"{state} × {ev} is never met");
    }

    [Fact]
    public void Errors_are_moves_only_while_the_budget_lasts_two_per_segment_in_flight_to_its_sender()
    {
        var none = new Stepper(new TwoHostModel(GeneratedEngine.Instance, Scenario, Scenario.Defaults with { Icmp = 0 }));
        var one = new Stepper(new TwoHostModel(GeneratedEngine.Instance, Scenario, Scenario.Defaults));
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        var w = one.Model.Initial;
        Assert.Equal(2, w.Net.Count); // the two old RSTs
        int n0 = none.Enumerate(none.Model.Initial, moves);
        Assert.DoesNotContain(moves[..n0].ToArray(), m => m.Kind == MoveKind.Icmp);
        int n1 = one.Enumerate(w, moves);
        var errors = moves[..n1].ToArray().Where(m => m.Kind == MoveKind.Icmp).ToList();
        Assert.Equal(2 * w.Net.Count, errors.Count);
        Assert.All(errors, m => Assert.Equal(w.Net[m.Index / 2].From, m.Host));
        Assert.Equal(n0 + errors.Count, n1);
        Assert.NotEqual(none.Model.Initial.Hash64(), w.Hash64());

        // A hard error about A's old RST: the segment is gone, the budget spent, A (CLOSED) unchanged and told nothing.
        var hard = errors.First(m => m.Host == 0 && Stepper.IcmpKind(m) == IcmpClass.Hard);
        var before = w;
        one.Apply(ref w, hard);
        Assert.Equal(0, w.IcmpLeft);
        Assert.Equal(1, w.Net.Count);
        Assert.Equal(before.A.Ep, w.A.Ep);
        Assert.Empty(one.Log.Notices);
        Assert.Contains(one.Log.Steps, s => s.Host == 0 && s.Event == TcpEvent.IcmpHard && s.Row != 0);
        Assert.DoesNotContain(moves[..one.Enumerate(w, moves)].ToArray(), m => m.Kind == MoveKind.Icmp);
    }

    [Fact]
    public void A_hard_error_about_the_syn_aborts_the_attempt_and_the_user_learns_unreachable()
    {
        var stepper = new Stepper(new TwoHostModel(GeneratedEngine.Instance, Scenario, Scenario.Defaults));
        var w = stepper.Model.Initial;
        stepper.Apply(ref w, new Move(MoveKind.App, 0, 0)); // A: OPEN, its SYN in flight
        Assert.Equal(TcpState.SynSent, w.A.Ep.State);
        int syn = -1;
        for (int i = 0; i < w.Net.Count; i++)
            if (w.Net[i].From == 0 && w.Net[i].Seg.IsSyn) syn = i;
        Assert.True(syn >= 0);
        Assert.Equal($"A: ICMP HARD error (port unreachable) instead of A→B {w.Net[syn].Seg}", Replay.Describe(stepper.Model, w, new Move(MoveKind.Icmp, 0, (byte)(2 * syn + 1))));
        stepper.Apply(ref w, new Move(MoveKind.Icmp, 0, (byte)(2 * syn + 1)));
        Assert.Equal(TcpState.Closed, w.A.Ep.State);
        Assert.Contains(stepper.Log.Notices, n => n.Host == 0 && n.Notice.Kind == NoticeKind.Unreachable);
        Assert.True(w.A.Has(HostMarks.Reset));
    }

    [Fact]
    public void The_icmp_budget_round_trips_through_a_replay_file_and_is_left_out_when_zero()
    {
        var dto = ReplayFile.BudgetsDto.From(new Budgets { Icmp = 2 });
        Assert.Equal(2, dto.ToBudgets().Icmp);
        Assert.Contains("icmp=2", new Budgets { Icmp = 2 }.ToString());
        Assert.DoesNotContain("icmp", new Budgets().ToString());
        Assert.Throws<ReplayException>(() => (dto with { Icmp = -1 }).ToBudgets());
        Assert.Throws<ReplayException>(() => (dto with { Icmp = 256 }).ToBudgets());
    }

    public static TheoryData<string, string, string?, string> Mutants() => new()
    {
        // A soft error no longer reported (SHLD-25).
        { IcmpErrors.SoftErrorReported.Name, "| * | ICMP-SOFT | — | SignalSoftError | same |", "| * | ICMP-SOFT | — | — | same |", "did not tell its user of the soft error once" },
        // A soft error that aborts (MUST-56).
        { IcmpErrors.SoftErrorReported.Name, "| * | ICMP-SOFT | — | SignalSoftError | same |", "| * | ICMP-SOFT | — | SignalUnreachable, DeleteTcb | CLOSED |", "a soft error never aborts the connection" },
        // SHLD-26 taken in every state: a hard error resets a synchronized connection (RFC 5461 §4 advises against it).
        { IcmpErrors.HardErrorAbortsAttempt.Name, "| * | ICMP-HARD | — | SignalSoftError | same |", "| * | ICMP-HARD | — | SignalUnreachable, DeleteTcb | CLOSED |", "past SYN-SENT a hard error does not end the connection" },
        // The attempt aborted without a word to the user.
        { IcmpErrors.HardErrorAbortsAttempt.Name, "| SYN-SENT | ICMP-HARD | — | SignalUnreachable, DeleteTcb | CLOSED |", "| SYN-SENT | ICMP-HARD | — | DeleteTcb | CLOSED |", "aborted without telling its user \"unreachable\"" },
        // No RFC 5927 check: an error quoting an ACK or an old incarnation's segment is reported.
        { IcmpErrors.NotForConnectionIgnored.Name, "| * | ICMP-SOFT, ICMP-HARD | !IcmpSeqAcceptable | — | same |", null, "which is for no connection of it, and told its user SoftError" },
        // A stale hard error aborts a connection attempt.
        { IcmpErrors.NotForConnectionIgnored.Name, "| SYN-SENT | ICMP-HARD | !IcmpSeqAcceptable | — | same |", null, "which is for no connection of it, and its TCB changed (now CLOSED" },
        // An error reported where no connection is.
        { IcmpErrors.NotForConnectionIgnored.Name, "| CLOSED, LISTEN, TIME-WAIT | ICMP-SOFT, ICMP-HARD | — | — | same |", "| CLOSED, LISTEN, TIME-WAIT | ICMP-SOFT, ICMP-HARD | — | SignalSoftError | same |", "told its user SoftError" },
    };

    [Theory]
    [MemberData(nameof(Mutants))]
    public void A_mutant_of_an_icmp_row_is_caught_by_its_property_alone(string property, string row, string? with, string message)
    {
        RowEdit edit = with is null ? new RowEdit.Delete(row) : new RowEdit.Replace(row, with);
        var table = new BrokenTable("mutant.spec.md", "mutant", "an ICMP row edited", Scenario.Name, property, edit).Apply(File.ReadAllText(Repo.SpecFile));
        var engine = InterpretedEngine.FromText("mutant.spec.md", table, out var diagnostics);
        Assert.True(engine is not null, string.Join("; ", diagnostics));
        var p = IcmpErrors.All.Single(x => x.Name == property);
        var result = ModelChecker.Check(Scenario, new CheckOptions { Engine = engine, Properties = [p] });
        var v = Assert.Single(result.Violations, v => v.Property == property);
        Assert.Contains(message, v.Message);
    }

    [Fact]
    public void The_real_table_holds_every_icmp_property_with_more_errors_and_faults()
    {
        var budgets = Scenario.Defaults with { Icmp = 2, Loss = 1 };
        var result = ModelChecker.Check(Scenario, new CheckOptions { Budgets = budgets, Properties = [.. IcmpErrors.All] });
        Assert.True(result.Holds, string.Join("; ", result.Violations.Select(v => $"{v.Property}: {v.Message}")));
    }
}
