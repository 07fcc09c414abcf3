using System.Text;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Checker.Tests.Broken;
using TcpSpec.Engines;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests.Exhaustive;

/// <summary>
/// Pins what the exhaustive search finds — states, transitions, depth, endings, bounded worlds,
/// and each counterexample's property, length and loop start — for every default scenario at
/// small budgets (with and without the liveness pass) and for every broken table, so a change
/// of the search's storage cannot change what it explores or the shortest counterexamples.
/// </summary>
public class StateSpaceCountsTests
{
    private static readonly string Here = Repo.Path("tests", "TcpSpec.Checker.Tests", "Exhaustive");

    internal static string Line(string name, CheckResult r)
    {
        var s = r.Stats;
        var line = new StringBuilder($"{name}: states={s.States} transitions={s.Transitions} depth={s.MaxDepth} endings={s.Endings} bounded={s.Bounded} truncated={s.Truncated}");
        foreach (var v in r.Violations) line.Append($" | {v.Property} length={v.Path.Count}{(v.LoopStart is int l ? $" loop-at={l}" : "")} moves={Digest(v.Path)}");
        return line.ToString();
    }

    /// <summary>A short deterministic digest of a path (FNV-1a over the moves), so the same shortest counterexample is pinned, not only its length.</summary>
    private static string Digest(IReadOnlyList<Exploration.Move> path)
    {
        ulong h = 14695981039346656037UL;
        foreach (var m in path)
        {
            foreach (byte b in new[] { (byte)m.Kind, m.Host, m.Index }) h = (h ^ b) * 1099511628211UL;
        }
        return h.ToString("x16");
    }

    [Fact]
    public void Default_scenarios_at_small_budgets_have_the_pinned_counts()
    {
        var text = new StringBuilder();
        foreach (var scenario in ScenarioCatalog.All)
        {
            var budgets = scenario.Defaults with { Loss = Math.Min(scenario.Defaults.Loss, 2), Dup = Math.Min(scenario.Defaults.Dup, 1) };
            foreach (bool liveness in new[] { true, false })
            {
                var r = ModelChecker.Check(scenario, new CheckOptions { Budgets = budgets, Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = 2, Liveness = liveness }) });
                text.AppendLine(Line($"{scenario.Name} {budgets} liveness={liveness}", r));
            }
        }
        Approvals.Verify(text.ToString(), Here, "default-scenarios");
    }

    [Fact]
    public void Broken_tables_have_the_pinned_counts_and_counterexample_lengths()
    {
        var text = new StringBuilder();
        foreach (var broken in BrokenTableCatalog.All)
        {
            var path = Repo.Path("spec", "broken", broken.File);
            var engine = InterpretedEngine.FromText(path, broken.Apply(File.ReadAllText(Repo.SpecFile)), out _)!;
            var scenario = ScenarioCatalog.Find(broken.Scenario)!;
            var r = ModelChecker.Check(scenario, new CheckOptions { Engine = engine, Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = 2 }) });
            text.AppendLine(Line($"{broken.File} ({scenario.Name})", r));
        }
        Approvals.Verify(text.ToString(), Here, "broken-tables");
    }
}
