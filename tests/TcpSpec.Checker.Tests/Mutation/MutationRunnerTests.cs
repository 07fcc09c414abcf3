using System.Text;
using TcpSpec.Checker.Mutation;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Language;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests.Mutation;

/// <summary>
/// Verdicts on mutants of the real table, judged by the five cheapest default scenarios (a few
/// thousand states each) so the tests take seconds; the full suite is <c>tcpspec mutate</c>'s.
/// </summary>
public class MutationRunnerTests
{
    private static readonly string Here = Repo.Path("tests", "TcpSpec.Checker.Tests", "Mutation");
    private static readonly string Text = File.ReadAllText(Repo.SpecFile);

    private static readonly IReadOnlyList<Scenario> Cheap =
        [ScenarioCatalog.ClosedPort, ScenarioCatalog.LostFinalAck, ScenarioCatalog.ZeroWindow, ScenarioCatalog.BlindAttack, ScenarioCatalog.PeerCrash];

    private static readonly Lazy<MutationRunner> Runner = new(() => new MutationRunner("spec/tcp.spec.md", Text, new MutationOptions { Scenarios = Cheap, Workers = 1 }));

    private static readonly IReadOnlyList<Mutant> All = MutantGenerator.Generate("spec/tcp.spec.md", Text);

    /// <summary>A fixed sample: every 53rd mutant (by id), about 30 of them.</summary>
    private static IReadOnlyList<Mutant> Sample => All.Where(m => m.Id % 53 == 1).ToList();

    [Fact]
    public void The_fixed_sample_keeps_its_verdicts()
    {
        var results = Runner.Value.Run(Sample);
        var text = new StringBuilder();
        text.AppendLine($"scenarios, in the order run: {string.Join(", ", Runner.Value.Order.Select(s => s.Name))}");
        foreach (var r in results) text.AppendLine(MutationText.Line(r));
        Approvals.Verify(text.ToString(), Here, "fixed-sample");
    }

    [Fact]
    public void Verdicts_do_not_depend_on_the_workers()
    {
        var one = Runner.Value.Run(Sample);
        var two = new MutationRunner("spec/tcp.spec.md", Text, new MutationOptions { Scenarios = Cheap, Workers = 2 }).Run(Sample);
        Assert.Equal(one.Select(MutationText.Line), two.Select(MutationText.Line));
    }

    [Fact]
    public void Skipping_the_scenarios_that_never_consult_a_row_changes_no_verdict()
    {
        var every = new MutationRunner("spec/tcp.spec.md", Text, new MutationOptions { Scenarios = Cheap, Workers = 2, SkipUnconsulted = false }).Run(Sample);
        var skipping = Runner.Value.Run(Sample);
        Assert.Equal(every.Select(MutationText.Line), skipping.Select(MutationText.Line));
        // ... and it does skip: some searched mutant ran fewer scenarios than the suite has.
        Assert.Contains(skipping, r => r.ScenariosRun > 0 && r.ScenariosRun < Cheap.Count && r.Verdict == Verdict.Survived);
        Assert.True(skipping.Sum(r => r.States) < every.Sum(r => r.States));
    }

    [Fact]
    public void Scenarios_run_cheapest_first()
    {
        var order = Runner.Value.Order;
        var states = order.Select(s => Runner.Value.BaselineStates[s.Name]).ToList();
        Assert.Equal(states.Order(), states);
        Assert.Equal("closed-port", order[0].Name);
    }

    [Fact]
    public void Every_verdict_carries_its_evidence()
    {
        foreach (var r in Runner.Value.Run(Sample))
        {
            switch (r.Verdict)
            {
                case Verdict.Killed:
                    Assert.NotNull(r.Scenario);
                    Assert.NotNull(r.Property);
                    if (r.Property is not ("cannot-start" or "engine-crash")) Assert.True(r.CounterexampleLength > 0, MutationText.Line(r));
                    break;
                case Verdict.CaughtStatically:
                    Assert.NotEmpty(r.DiagnosticIds);
                    Assert.All(r.DiagnosticIds, id => Assert.StartsWith("TSPEC", id));
                    break;
                case Verdict.Survived:
                    Assert.False(string.IsNullOrEmpty(r.Detail));
                    break;
            }
        }
    }

    [Fact]
    public void Deleting_the_row_that_answers_a_closed_port_is_killed()
    {
        // CLOSED × SYN answers with a reset (RFC 9293 §3.10.7.1); without it the client's SYN gets no answer.
        var row = All.First(m => m.Operator == "delete-row" && m.Description.Contains("CLOSED × ", StringComparison.Ordinal) && Runner.Value.Reached(m.RowLine));
        var r = Runner.Value.Judge(row);
        Assert.True(r.Verdict is Verdict.Killed or Verdict.CaughtStatically, MutationText.Line(r));
    }

    [Fact]
    public void An_edit_no_scenario_can_see_survives_without_a_search()
    {
        var m = All.First(x => x.Operator == "change-next" && !Runner.Value.Reached(x.RowLine));
        var r = Runner.Value.Judge(m);
        Assert.Equal(Verdict.Survived, r.Verdict);
        Assert.Equal(0, r.States);
        Assert.False(r.Reached);
    }

    [Fact]
    public void A_mutant_that_does_not_compile_is_caught_statically_with_its_ids()
    {
        // Some next-state changes break a rule of the analyzer (e.g. a state no path reaches).
        var broken = All.First(m => m.Operator == "change-next" && SpecAnalyzer.Compile("spec/tcp.spec.md", m.Apply(Text)).HasErrors);
        var r = Runner.Value.Judge(broken);
        Assert.Equal(Verdict.CaughtStatically, r.Verdict);
        Assert.NotEmpty(r.DiagnosticIds);
        Assert.Equal(string.Join(", ", r.DiagnosticIds), r.Detail);
        Assert.Equal(0, r.States);
    }

    [Fact]
    public void A_search_cut_by_the_state_cap_is_out_of_budget_never_survived()
    {
        var runner = new MutationRunner("spec/tcp.spec.md", Text, new MutationOptions { Scenarios = [ScenarioCatalog.PeerCrash], Workers = 1, MaxStates = 100 });
        var results = All.Where(m => m.Operator == "remove-action" && runner.Reached(m.RowLine)).Take(15).Select(runner.Judge).ToList();
        Assert.DoesNotContain(results, r => r.Verdict == Verdict.Survived);
        var capped = results.Where(r => r.Verdict == Verdict.OutOfBudget).ToList();
        Assert.NotEmpty(capped);
        Assert.All(capped, r => Assert.Equal("peer-crash reached the cap of 100 states", r.Detail));
    }
}
