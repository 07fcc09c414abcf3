using System.Collections.Concurrent;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Mutation;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Checker.Tests.Broken;
using TcpSpec.Engines;
using TcpSpec.Language;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests.Properties;

/// <summary>
/// A property's <see cref="IProperty.Interest"/> only spares the search calls that would hold:
/// every broken table and a sample of mutants get the same verdicts, counterexamples and state
/// counts with the declared interests as with every property judged on every move, and no
/// property ever reports a violation on a move whose facts miss its interest.
/// </summary>
public class PropertyInterestTests
{
    private static readonly string Text = File.ReadAllText(Repo.SpecFile);

    private static readonly IReadOnlyList<Scenario> Cheap =
        [ScenarioCatalog.ClosedPort, ScenarioCatalog.LostFinalAck, ScenarioCatalog.ZeroWindow, ScenarioCatalog.BlindAttack, ScenarioCatalog.PeerCrash];

    /// <summary>The property, judged on every move, recording any violation it reports on a move its interest would have skipped.</summary>
    private sealed class Audited(IProperty inner, ConcurrentBag<string> breaches) : IProperty
    {
        public string Name => inner.Name;
        public string Description => inner.Description;
        public StepFacts Interest => StepFacts.Any;

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            var message = inner.CheckStep(model, before, move, after, log);
            var facts = Facts.Of(before, move, after, log);
            if (message is not null && (inner.Interest & facts) == 0)
                breaches.Add($"{inner.Name} (interest {inner.Interest}) reported on a move with facts {facts}: {message}");
            return message;
        }

        public string? CheckEnding(TwoHostModel model, in World world) => inner.CheckEnding(model, world);
    }

    /// <summary>Checks the scenario both ways and asserts the two results agree (a crash of the table too); returns the declared-interest result, or null when the table crashed.</summary>
    private static CheckResult? SameBothWays(Scenario scenario, IEngine engine, ModelOptions? timing, string what)
    {
        var breaches = new ConcurrentBag<string>();
        var properties = ScenarioCatalog.PropertiesOf(scenario);
        var audited = properties.Select(p => (IProperty)new Audited(p, breaches)).ToList();
        var (declared, declaredCrash) = Run(scenario, engine, timing, properties);
        var (every, everyCrash) = Run(scenario, engine, timing, audited);
        Assert.True(breaches.IsEmpty, $"{what}, {scenario.Name}: {string.Join("\n", breaches.Take(3))}");
        Assert.Equal(everyCrash, declaredCrash);
        if (declared is null || every is null) return null;
        Assert.Equal(every.Stats.States, declared.Stats.States);
        Assert.Equal(every.Stats.Transitions, declared.Stats.Transitions);
        Assert.Equal(Describe(every), Describe(declared));
        return declared;
    }

    private static (CheckResult?, string?) Run(Scenario scenario, IEngine engine, ModelOptions? timing, IReadOnlyList<IProperty> properties)
    {
        try
        {
            return (ModelChecker.Check(scenario, new CheckOptions
            {
                Engine = engine,
                Model = timing,
                Properties = properties,
                Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = 1, MaxStates = 400_000 }),
            }), null);
        }
        catch (Exception ex)
        {
            return (null, ex.GetType().Name + ": " + ex.Message);
        }
    }

    private static string Describe(CheckResult r) =>
        string.Join("\n", r.Violations.Select(v => $"{v.Property}: {v.Message} [{string.Join(" ", v.Path)}] loop {v.LoopStart}"));

    [Theory]
    [MemberData(nameof(BrokenTablesTests.Files), MemberType = typeof(BrokenTablesTests))]
    public void A_broken_table_gets_the_same_verdict_with_and_without_interests(string file)
    {
        var broken = BrokenTableCatalog.All.Single(b => b.File == file);
        var engine = InterpretedEngine.FromText(file, broken.Apply(Text), out _)!;
        var result = SameBothWays(ScenarioCatalog.Find(broken.Scenario)!, engine, new ModelOptions { UntimedTimers = broken.UntimedTimers }, file);
        Assert.NotNull(result);
        Assert.Contains(result.Violations, v => v.Property == broken.Property);
    }

    [Fact]
    public void Mutants_get_the_same_verdicts_with_and_without_interests()
    {
        // Every 23rd mutant (about 70), on the five cheapest default scenarios: mostly killed, by many properties.
        var killedBy = new HashSet<string>();
        foreach (var mutant in MutantGenerator.Generate("spec/tcp.spec.md", Text).Where(m => m.Id % 23 == 5))
        {
            MachineModel model;
            try { model = SpecAnalyzer.Compile("spec/tcp.spec.md", mutant.Apply(Text)); }
            catch (Exception) { continue; }
            if (InterpretedEngine.FromModel("spec/tcp.spec.md", model, out _) is not { } engine) continue;
            foreach (var scenario in Cheap)
            {
                if (SameBothWays(scenario, engine, null, $"mutant #{mutant.Id}") is not { } r) continue;
                foreach (var v in r.Violations) killedBy.Add(v.Property);
            }
        }
        Assert.True(killedBy.Count >= 8, "the sample must exercise many properties: " + string.Join(", ", killedBy));
    }

    [Fact]
    public void The_real_table_holds_the_same_way_on_every_default_scenario()
    {
        foreach (var scenario in ScenarioCatalog.All)
            Assert.True(SameBothWays(scenario, GeneratedEngine.Instance, null, "the real table")?.Holds, scenario.Name);
    }
}
