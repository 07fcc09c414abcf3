using TcpSpec.Checker.Mutation;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Engines;
using TcpSpec.Language;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests.Mutation;

/// <summary>
/// <see cref="SameEffect"/>'s claim, checked on the runtime: the real table with every alias
/// replaced and every no-op removed in its transition rows explores exactly the worlds the table
/// does (the same states, transitions and endings) in scenarios that fire those actions, so a
/// mutant that differs from the table only by them is rightly equivalent.
/// </summary>
public class SameEffectTests
{
    private static readonly string Text = File.ReadAllText(Repo.SpecFile);

    /// <summary>The table with the actions column of every transition row normalized.</summary>
    private static string Normalized()
    {
        var lines = Text.Split('\n');
        bool transitions = false;
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("## ", StringComparison.Ordinal)) transitions = lines[i].StartsWith("## Transitions", StringComparison.Ordinal);
            var cells = lines[i].Split('|');
            if (!transitions || cells.Length != 8 || cells[1].Trim() is "state" || cells[1].TrimStart().StartsWith("---", StringComparison.Ordinal)) continue;
            var actions = cells[4].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(a => a != "—").ToList();
            string normalized = SameEffect.Normalize(actions);
            cells[4] = $" {(normalized.Length == 0 ? "—" : normalized.Replace(",", ", ", StringComparison.Ordinal))} ";
            lines[i] = string.Join('|', cells);
        }
        return string.Join('\n', lines);
    }

    [Fact]
    public void The_table_with_aliases_replaced_explores_the_same_worlds()
    {
        string normalized = Normalized();
        Assert.NotEqual(Text, normalized);
        Assert.DoesNotContain("SendChallengeAck,", normalized.Split("## Transitions")[1], StringComparison.Ordinal);
        var engine = InterpretedEngine.FromText("normalized.spec.md", normalized, out var diags);
        Assert.True(engine is not null, string.Join("\n", diags.Select(d => d.ToString())));
        var real = InterpretedEngine.FromText("spec/tcp.spec.md", Text, out _)!;
        foreach (var scenario in new[] { ScenarioCatalog.BlindAttack, ScenarioCatalog.LostFinalAck, ScenarioCatalog.ClosedPort, ScenarioCatalog.PeerCrash })
        {
            var a = ModelChecker.Check(scenario, new CheckOptions { Engine = real, Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = 1 }) });
            var b = ModelChecker.Check(scenario, new CheckOptions { Engine = engine!, Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = 1 }) });
            Assert.True(a.Holds && b.Holds, scenario.Name);
            Assert.Equal((a.Stats.States, a.Stats.Transitions, a.Stats.Endings), (b.Stats.States, b.Stats.Transitions, b.Stats.Endings));
        }
    }

    [Fact]
    public void A_mutant_that_swaps_a_challenge_ack_for_an_ack_is_equivalent_and_one_that_swaps_it_for_a_reset_is_not()
    {
        var original = SpecAnalyzer.Compile("spec/tcp.spec.md", Text);
        var swaps = MutantGenerator.Generate("spec/tcp.spec.md", Text, ["replace-action"])
            .Where(m => m.Description.Contains("'SendChallengeAck' by", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(swaps);
        foreach (var m in swaps)
        {
            var why = Equivalence.Why(original, SpecAnalyzer.Compile("spec/tcp.spec.md", m.Apply(Text)));
            if (m.Description.Contains("by 'SendAck'", StringComparison.Ordinal)) Assert.NotNull(why);
            else if (m.Description.Contains("by 'SendReset'", StringComparison.Ordinal) || m.Description.Contains("by 'ReplyReset'", StringComparison.Ordinal)) Assert.Null(why);
        }
    }
}
