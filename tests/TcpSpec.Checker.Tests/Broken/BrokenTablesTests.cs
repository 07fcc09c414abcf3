using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Engines;
using TcpSpec.Language;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests.Broken;

/// <summary>
/// The checker must catch broken tables: each file of spec/broken/ is checked with the
/// interpreted engine, as `tcpspec check --spec FILE` does, and must break its property with a
/// shortest trace that replays.
/// </summary>
public class BrokenTablesTests
{
    private static readonly string Dir = Repo.Path("spec", "broken");

    public static TheoryData<string> Files() => new(BrokenTableCatalog.All.Select(b => b.File));

    [Fact]
    public void There_are_at_least_twelve_broken_tables()
    {
        Assert.True(BrokenTableCatalog.All.Count >= 12);
        Assert.Equal(BrokenTableCatalog.All.Count, BrokenTableCatalog.All.Select(b => b.File).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Broken_table_file_is_current_with_the_real_table(string file)
    {
        var broken = BrokenTableCatalog.All.Single(b => b.File == file);
        var expected = broken.Apply(File.ReadAllText(Repo.SpecFile));
        var path = Path.Combine(Dir, file);
        if (Environment.GetEnvironmentVariable(Approvals.ApproveVariable) is "1" or "true")
        {
            Directory.CreateDirectory(Dir);
            File.WriteAllText(path, expected);
            return;
        }
        Assert.True(File.Exists(path), $"{path} is missing: run TCPSPEC_APPROVE=1 dotnet test --filter BrokenTables");
        Assert.True(expected == File.ReadAllText(path).Replace("\r\n", "\n"),
            $"spec/broken/{file} is stale (spec/tcp.spec.md changed): run TCPSPEC_APPROVE=1 dotnet test --filter BrokenTables");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Broken_table_is_caught_with_a_shortest_trace_that_replays(string file)
    {
        var broken = BrokenTableCatalog.All.Single(b => b.File == file);
        var path = Path.Combine(Dir, file);
        var engine = InterpretedEngine.FromText(path, broken.Apply(File.ReadAllText(Repo.SpecFile)), out var diagnostics);
        Assert.True(engine is not null, "the broken table must still compile: " + string.Join("; ", diagnostics.Where(d => d.Severity == SpecSeverity.Error)));

        var scenario = ScenarioCatalog.Find(broken.Scenario)!;
        var timing = new ModelOptions { UntimedTimers = broken.UntimedTimers };
        var result = ModelChecker.Check(scenario, new CheckOptions { Engine = engine, Model = timing });
        var model = result.Model;
        var violation = Assert.Single(result.Violations, v => v.Property == broken.Property);

        // It replays: the same moves, re-executed, show the same violation.
        var trace = Trace.Of(model, result.Properties, violation.Path);
        if (!violation.IsLasso)
        {
            bool atStep = trace.Count > 0 && trace[^1].Violations.Any(v => v.StartsWith(broken.Property + ":", StringComparison.Ordinal));
            var prop = result.Properties.Single(p => p.Name == broken.Property);
            bool atEnding = prop.CheckEnding(model, Replay.WorldAfter(model, violation.Path)) is not null;
            Assert.True(atStep || atEnding, "the replayed trace must show the violation");

            // It is a shortest trace: no run with fewer moves violates the property.
            var shorter = ModelChecker.Check(scenario, new CheckOptions
            {
                Engine = engine,
                Model = timing,
                Strategy = new ExhaustiveSearch(new ExhaustiveOptions { MaxDepth = violation.Path.Count - 1 }),
            });
            Assert.DoesNotContain(shorter.Violations, v => v.Property == broken.Property);
        }

        else
        {
            // A lasso: the moves from LoopStart on lead back to the world they started from.
            int loop = violation.LoopStart!.Value;
            Assert.True(loop < trace.Count, "the loop has at least one move");
            var start = loop == 0 ? model.Initial : trace[loop - 1].After;
            Assert.Equal(start.Hash64(), trace[^1].After.Hash64());
        }

        // And the real table passes the same scenario.
        var real = ModelChecker.Check(scenario, new CheckOptions { Model = timing });
        Assert.True(real.Holds);
    }
}
