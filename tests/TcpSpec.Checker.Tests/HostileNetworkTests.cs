using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests;

/// <summary>The hostile network: the blind attacker's guesses (--attack), the network's memory of old segments (--stale), and the RFC 5961 properties.</summary>
public class HostileNetworkTests
{
    /// <summary>A target in ESTABLISHED: RCV.NXT=1000, RCV.WND=4, SND.UNA=500, SND.NXT=502, MAX.SND.WND=10.</summary>
    private static Endpoint Target()
    {
        var ep = new Endpoint { RcvNxt = 1000, RcvWnd = 4, SndUna = 500, SndNxt = 502, MaxSndWnd = 10 };
        ep.Flags |= EndpointFlags.SynReceived;
        return ep;
    }

    private static Flight Guess(string name)
    {
        int index = Enumerable.Range(0, Forgery.Count).Single(i => Forgery.Name(i) == name);
        return Forgery.Build(1, Target(), index, 8);
    }

    [Theory]
    [InlineData("RST at RCV.NXT", 1000u)]
    [InlineData("RST inside the window", 1001u)]
    [InlineData("RST left of the window", 999u)]
    [InlineData("RST right of the window", 1004u)]
    [InlineData("SYN inside the window", 1001u)]
    [InlineData("SYN right of the window", 1004u)]
    public void Forged_sequence_numbers_sit_at_the_named_offsets_of_the_receive_window(string name, uint seq)
    {
        var f = Guess(name);
        Assert.Equal(seq, f.Seg.Seq);
        Assert.Equal((byte)0, f.From); // pretends to be the target's peer
        Assert.Equal(Forgery.Incarnation, f.Incarnation); // and is marked as forged
    }

    [Theory]
    [InlineData("ACK of SND.UNA-1", 499u, true)]
    [InlineData("ACK of SND.UNA", 500u, true)]
    [InlineData("ACK of SND.NXT", 502u, true)]
    [InlineData("ACK of SND.NXT+1", 503u, false)]
    [InlineData("ACK below SND.UNA-MAX.SND.WND", 489u, false)]
    public void Forged_acknowledgments_sit_at_the_named_offsets_of_the_send_window(string name, uint ack, bool inRange)
    {
        var f = Guess(name);
        Assert.Equal(ack, f.Seg.Ack);
        Assert.True(f.Seg.IsAck);
        Assert.Equal(inRange, Acceptability.AckInRange(Target(), f.Seg)); // RFC 5961 §5.2: SND.UNA − MAX.SND.WND =< SEG.ACK =< SND.NXT
    }

    [Fact]
    public void Only_the_reset_at_exactly_RCV_NXT_is_exact_and_only_in_window_ones_pass_the_sequence_test()
    {
        var ep = Target();
        Assert.True(Acceptability.ExactReset(ep, Guess("RST at RCV.NXT").Seg));
        Assert.False(Acceptability.ExactReset(ep, Guess("RST inside the window").Seg));
        Assert.True(Acceptability.Sequence(ep, Guess("RST inside the window").Seg));
        Assert.False(Acceptability.Sequence(ep, Guess("RST left of the window").Seg));
        Assert.False(Acceptability.Sequence(ep, Guess("RST right of the window").Seg));
        Assert.False(Acceptability.Sequence(ep, Guess("data right of the window").Seg));
        Assert.False(Acceptability.Sequence(ep, Guess("data left of the window").Seg)); // one octet at RCV.NXT−1: already received
    }

    [Fact]
    public void The_network_remembers_the_first_segment_of_each_kind_per_sender_in_a_canonical_order()
    {
        var syn = new Flight(new Segment(100, 0, TcpFlags.Syn, 8, 0), 0, 0);
        var ack1 = new Flight(new Segment(101, 301, TcpFlags.Ack, 8, 0), 0, 0);
        var ack2 = new Flight(new Segment(101, 302, TcpFlags.Ack, 8, 0), 0, 0);
        var synAck = new Flight(new Segment(300, 101, TcpFlags.Syn | TcpFlags.Ack, 8, 0), 1, 0);

        var a = new OldSegments();
        a.Remember(syn);
        a.Remember(ack1);
        a.Remember(ack2); // a later bare ACK of A: the first, most stale one is kept
        a.Remember(synAck);
        var b = new OldSegments();
        b.Remember(synAck);
        b.Remember(ack1);
        b.Remember(syn);

        Assert.Equal(3, a.Count);
        Assert.Equal(3, b.Count);
        for (int i = 0; i < a.Count; i++) Assert.Equal(a[i], b[i]); // the order of sending makes no second state
        Assert.DoesNotContain(ack2, Enumerable.Range(0, a.Count).Select(i => a[i]));
    }

    [Fact]
    public void The_blind_attacker_can_reset_a_connection_only_by_guessing_RCV_NXT_exactly()
    {
        // RFC 5961 §3.2 (1): an exact guess wins. The checker must explore it (the attack is not vacuous).
        var hijacked = Property.Invariant("hijacked", "a forged reset ended a connection",
            (_, w) => w.A.Has(HostMarks.Hijacked) || w.B.Has(HostMarks.Hijacked) ? "hijacked" : null);
        var result = ModelChecker.Check(ScenarioCatalog.BlindAttack, new CheckOptions { Properties = [hijacked] });
        var v = Assert.Single(result.Violations);
        var inject = v.Path[^1];
        Assert.Equal(MoveKind.Inject, inject.Kind);
        Assert.Equal("RST at RCV.NXT", Forgery.Name(inject.Index));
    }

    [Fact]
    public void Without_an_attack_budget_no_segment_is_forged()
    {
        var with = ModelChecker.Check(ScenarioCatalog.BlindAttack);
        var without = ModelChecker.Check(ScenarioCatalog.BlindAttack, new CheckOptions { Budgets = ScenarioCatalog.BlindAttack.Defaults with { Attack = 0 } });
        Assert.True(with.Holds);
        Assert.True(without.Holds);
        Assert.True(without.Stats.States < with.Stats.States, $"{without.Stats.States} states without the attacker, {with.Stats.States} with it");
    }

    [Theory]
    [InlineData("peer-crash")]
    [InlineData("blind-attack")]
    public void The_real_table_holds_when_the_network_also_delivers_an_old_segment_again(string name)
    {
        var scenario = ScenarioCatalog.Find(name)!;
        var result = ModelChecker.Check(scenario, new CheckOptions { Budgets = scenario.Defaults with { Stale = 1 } });
        ModelChecker.AssertHolds(result);
        Assert.False(result.Stats.Truncated);
    }

    [Fact]
    public void An_old_SYN_ACK_delivered_again_exposes_a_table_that_resets_on_a_SYN()
    {
        var engine = Engines.InterpretedEngine.Load(Repo.Path("spec", "broken", "09-syn-in-established-resets.spec.md"), out _)!;
        var scenario = ScenarioCatalog.ClientClosesFirst;
        var result = ModelChecker.Check(scenario, new CheckOptions { Engine = engine, Budgets = scenario.Defaults with { Stale = 1 } });
        var v = Assert.Single(result.Violations, v => v.Property == "syn-challenged");
        Assert.Equal(MoveKind.Stale, v.Path[^1].Kind);
    }
}
