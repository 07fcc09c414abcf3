using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Output;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Tests.Broken;
using TcpSpec.Engines;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests;

/// <summary>The user calls of RFC 9293 §3.10 in every state: stray calls (--calls), the user-calls and listen-foreign scenarios, and calls-answered-per-rfc.</summary>
public class UserCallTests
{
    [Theory]
    [InlineData("user-calls")]
    [InlineData("listen-foreign")]
    public void The_scenario_passes_on_the_real_table_within_sixty_thousand_states(string name)
    {
        var result = ModelChecker.Check(ScenarioCatalog.Find(name)!, new CheckOptions());
        Assert.True(result.Holds, string.Join("; ", result.Violations.Select(v => $"{v.Property}: {v.Message}")));
        Assert.InRange(result.Stats.States, 1_000, 60_000);
        Assert.Contains(ScenarioCatalog.All, s => s.Name == name);
        Assert.Contains(result.Properties, p => p.Name == "calls-answered-per-rfc");
    }

    [Fact]
    public void The_two_scenarios_reach_every_user_call_row_of_the_table()
    {
        // The rows of the table's "### User calls" section, found by its heading (rows elsewhere may shift its lines).
        var lines = File.ReadAllLines(Repo.SpecFile);
        int first = Array.IndexOf(lines, "### User calls") + 1, last = Array.FindIndex(lines, first, l => l.StartsWith("### ")) + 1;
        var rows = GeneratedEngine.Instance.Rows.Where(r => r.Line > first && r.Line < last).Select(r => r.Id).ToHashSet();
        Assert.Equal(24, rows.Count);
        foreach (var name in new[] { "user-calls", "listen-foreign" })
        {
            var fired = ModelChecker.Check(ScenarioCatalog.Find(name)!, new CheckOptions()).Coverage.Rows;
            rows.RemoveWhere(id => fired[id]);
        }
        Assert.Empty(rows);
    }

    public static TheoryData<string, string, string, string> Mutants() => new()
    {
        // row 172: LISTEN × SEND without a foreign socket queues silently instead of "error: foreign socket unspecified".
        { "user-calls", "| LISTEN | SEND | — | ErrorForeignUnspecified | same |", "| LISTEN | SEND | — | QueueData | same |", "was not answered \"error: foreign socket unspecified\"" },
        // row 188: ABORT from ESTABLISHED deletes the TCB without <SEQ=SND.NXT><CTL=RST>.
        { "user-calls", "| SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT | ABORT | — | SendReset, DeleteTcb | CLOSED |",
            "| SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT | ABORT | — | DeleteTcb | CLOSED |", "the RFC sends exactly <SEQ=" },
        // row 183 deleted: CLOSE in SYN-RECEIVED with a SEND queued sends its FIN at once.
        { "user-calls", "| SYN-RECEIVED | CLOSE | SendsQueued | QueueFin | same |", null!, "the FIN must wait for ESTABLISHED and the 1 queued octet(s)" },
        // row 171: SEND in LISTEN with the foreign socket specified stays passive.
        { "listen-foreign", "| LISTEN | SEND | ForeignSpecified | BecomeActive, SelectIss, QueueData, SendSyn | SYN-SENT |",
            "| LISTEN | SEND | ForeignSpecified | SelectIss, QueueData, SendSyn | SYN-SENT |", "did not change the connection from passive to active" },
        // row 179: RECEIVE in CLOSE-WAIT with text buffered says "connection closing" instead of delivering it.
        { "listen-foreign", "| CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT | RECEIVE | DataAvailable | Deliver | same |",
            "| CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT | RECEIVE | DataAvailable | ErrorClosing | same |", "answered \"error: connection closing\" with 1 octet(s) to deliver" },
    };

    [Theory]
    [MemberData(nameof(Mutants))]
    public void A_mutant_of_a_user_call_row_is_caught_by_calls_answered_per_rfc(string scenario, string row, string? with, string message)
    {
        RowEdit edit = with is null ? new RowEdit.Delete(row) : new RowEdit.Replace(row, with);
        var table = new BrokenTable("mutant.spec.md", "mutant", "a user-call row edited", scenario, CallReplies.Instance.Name, edit).Apply(File.ReadAllText(Repo.SpecFile));
        var engine = InterpretedEngine.FromText("mutant.spec.md", table, out var diagnostics);
        Assert.True(engine is not null, string.Join("; ", diagnostics));
        // Judged by the property alone: another may see the mutant first.
        var result = ModelChecker.Check(ScenarioCatalog.Find(scenario)!, new CheckOptions { Engine = engine, Properties = [CallReplies.Instance] });
        var v = Assert.Single(result.Violations, v => v.Property == CallReplies.Instance.Name);
        Assert.Contains(message, v.Message);
    }

    [Fact]
    public void Stray_calls_are_moves_only_while_the_budget_lasts_and_never_open_a_closed_host()
    {
        Assert.Equal(StrayCalls.Count, StrayCalls.Kinds.Length);
        var scenario = ScenarioCatalog.UserCalls;
        var none = new Stepper(new TwoHostModel(GeneratedEngine.Instance, scenario, scenario.Defaults with { Calls = 0 }));
        var one = new Stepper(new TwoHostModel(GeneratedEngine.Instance, scenario, scenario.Defaults));
        Span<Move> moves = stackalloc Move[Stepper.MaxMoves];
        int n0 = none.Enumerate(none.Model.Initial, moves);
        Assert.DoesNotContain(moves[..n0].ToArray(), m => m.Kind == MoveKind.Call);
        int n1 = one.Enumerate(one.Model.Initial, moves);
        var calls = moves[..n1].ToArray().Where(m => m.Kind == MoveKind.Call).ToList();
        // Both hosts CLOSED: SEND, RECEIVE, CLOSE and ABORT each, but no OPEN.
        Assert.Equal(8, calls.Count);
        Assert.DoesNotContain(calls, m => StrayCalls.Op(m.Index).Kind is OpKind.OpenActive or OpKind.OpenPassive);
        Assert.NotEqual(none.Model.Initial.Hash64(), one.Model.Initial.Hash64());

        var w = one.Model.Initial;
        one.Apply(ref w, calls.First(m => m.Host == 0 && StrayCalls.Op(m.Index).Kind == OpKind.Send));
        Assert.Equal(0, w.CallsLeft);
        Assert.Contains(one.Log.Notices, x => x.Host == 0 && x.Notice.Kind == NoticeKind.ErrorNoConnection);
        Assert.Equal(n0, one.Enumerate(w, moves)); // the budget spent, the world is like one without it
    }

    [Fact]
    public void The_calls_budget_round_trips_through_a_replay_file_and_is_left_out_when_zero()
    {
        var dto = ReplayFile.BudgetsDto.From(new Budgets { Calls = 2 });
        Assert.Equal(2, dto.ToBudgets().Calls);
        Assert.Contains("calls=2", new Budgets { Calls = 2 }.ToString());
        Assert.DoesNotContain("calls", new Budgets().ToString());
        Assert.Throws<ReplayException>(() => (dto with { Calls = 256 }).ToBudgets());
    }
}
