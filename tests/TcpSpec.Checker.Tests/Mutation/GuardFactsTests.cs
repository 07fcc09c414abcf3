using TcpSpec.Checker.Mutation;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Engines;
using TcpSpec.Language;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests.Mutation;

/// <summary>
/// <see cref="GuardFacts"/> and the ACK that <c>ReceiveFin</c> owes anyway (<see cref="SameEffect"/>):
/// the mutants they prove equivalent explore, on the runtime, exactly the worlds of the table.
/// </summary>
public class GuardFactsTests
{
    private static readonly string Text = File.ReadAllText(Repo.SpecFile);

    /// <summary>The mutant of <paramref name="op"/> whose description has <paramref name="descriptionPart"/>; "@N" at its end picks the one of the row at table line N.</summary>
    private static Mutant One(string op, string descriptionPart)
    {
        int at = descriptionPart.LastIndexOf('@');
        int line = at < 0 ? 0 : int.Parse(descriptionPart[(at + 1)..]);
        string part = at < 0 ? descriptionPart : descriptionPart[..at];
        return MutantGenerator.Generate("spec/tcp.spec.md", Text, [op]).Single(m => m.Description.Contains(part, StringComparison.Ordinal) && (line == 0 || m.RowLine == line));
    }

    private static readonly Mutant MoveR1AboveR2 = One("move-row", "move row of SYN-RECEIVED × RETRANSMIT-TIMEOUT above the row at line 289");

    [Fact]
    public void R1_and_R2_are_exclusive_only_when_every_configuration_reaches_R1_first()
    {
        static bool R1R2(IEnumerable<TcpConfig> configs) => GuardFacts.Exclusive(configs).Any(f => f.A == "ReachesR1" && f.B == "RetriesExhausted");
        Assert.True(R1R2([new TcpConfig { R1Retransmissions = 3, MaxRetransmissions = 3, SynMaxRetransmissions = 4 }]));
        Assert.False(R1R2([new TcpConfig(), new TcpConfig { R1Retransmissions = 5, MaxRetransmissions = 4 }]));
        Assert.False(R1R2([new TcpConfig { R1Retransmissions = 5, SynMaxRetransmissions = 4 }]));
        Assert.False(R1R2([]));
        Assert.Contains(GuardFacts.Exclusive([]), f => f.A == "FinAcked" && f.B == "AckTooOld"); // a fact of the runtime, whatever the configuration
    }

    [Fact]
    public void Moving_the_R1_row_above_the_R2_row_is_equivalent_only_with_the_fact()
    {
        var original = SpecAnalyzer.Compile("spec/tcp.spec.md", Text);
        var moved = SpecAnalyzer.Compile("spec/tcp.spec.md", MoveR1AboveR2.Apply(Text));
        Assert.Null(Equivalence.Why(original, moved));
        var why = Equivalence.Why(original, moved, GuardFacts.Exclusive([new TcpConfig()]));
        Assert.NotNull(why);
        Assert.Contains("R1 ≤ R2", why, StringComparison.Ordinal);
        // The fact does not make a real difference equivalent: R2's row above R2-after-a-passive-OPEN's is not.
        var swapped = SpecAnalyzer.Compile("spec/tcp.spec.md", One("move-row", "move row of SYN-RECEIVED × RETRANSMIT-TIMEOUT above the row at line 288").Apply(Text));
        Assert.Null(Equivalence.Why(original, swapped, GuardFacts.Exclusive([new TcpConfig()])));
    }

    [Fact]
    public void An_ack_next_to_ReceiveFin_is_one_ack_and_one_after_Transmit_is_not()
    {
        Assert.Equal("ReceiveFin,Transmit", SameEffect.Normalize(["ReceiveFin", "SendAck", "Transmit"]));
        Assert.Equal("ReceiveFin", SameEffect.Normalize(["SendChallengeAck", "Drop", "ReceiveFin"]));
        Assert.Equal("ReceiveFin,Transmit,SendAck", SameEffect.Normalize(["ReceiveFin", "Transmit", "SendAck"]));
        Assert.Equal("DeleteTcb", SameEffect.Normalize(["ProcessAck", "DeleteTcb"]));
        Assert.Equal("ProcessAck,Transmit,DeleteTcb", SameEffect.Normalize(["ProcessAck", "Transmit", "DeleteTcb"]));
        var original = SpecAnalyzer.Compile("spec/tcp.spec.md", Text);
        var noAck = One("remove-action", "remove action 'SendAck' from SYN-SENT × SYN-FIN");
        Assert.NotNull(Equivalence.Why(original, SpecAnalyzer.Compile("spec/tcp.spec.md", noAck.Apply(Text))));
    }

    public static TheoryData<string, string, string> SameWorlds() => new()
    {
        { "move-row", "move row of SYN-RECEIVED × RETRANSMIT-TIMEOUT above the row at line 289", "simultaneous-open-one-way" },
        { "move-row", "move row of SYN-SENT × RETRANSMIT-TIMEOUT above the row at line 285", "unreachable-peer" },
        { "move-row", "move row of * × RETRANSMIT-TIMEOUT above the row at line 292", "path-down" },
        { "remove-action", "remove action 'SendAck' from SYN-SENT × SYN-FIN", "blind-attack" },
        { "move-row", "move row of LAST-ACK × ACK,FIN-ACK above the row at line 259", "blind-attack" },
        { "remove-action", "remove action 'ProcessAck' from LAST-ACK × ACK,FIN-ACK@275", "lost-final-ack" },
        { "remove-action", "remove action 'ProcessAck' from LAST-ACK × ACK,FIN-ACK@275", "peer-crash" },
        { "move-row", "move row of FIN-WAIT-1 × ACK above the row at line 259", "blind-attack" },
    };

    [Theory]
    [MemberData(nameof(SameWorlds))]
    public void The_table_with_the_proved_edit_explores_the_same_worlds(string op, string edit, string scenario)
    {
        var mutant = InterpretedEngine.FromText("mutant.spec.md", One(op, edit).Apply(Text), out var diags);
        Assert.True(mutant is not null, string.Join("\n", diags.Select(d => d.ToString())));
        var real = InterpretedEngine.FromText("spec/tcp.spec.md", Text, out _)!;
        var s = ScenarioCatalog.Find(scenario)!;
        var a = ModelChecker.Check(s, new CheckOptions { Engine = real, Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = 1 }) });
        var b = ModelChecker.Check(s, new CheckOptions { Engine = mutant!, Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = 1 }) });
        Assert.True(a.Holds && b.Holds, scenario);
        Assert.Equal((a.Stats.States, a.Stats.Transitions, a.Stats.Endings), (b.Stats.States, b.Stats.Transitions, b.Stats.Endings));
    }
}
