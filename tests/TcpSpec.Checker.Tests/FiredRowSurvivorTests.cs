using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Engines;
using TcpSpec.Language;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests;

/// <summary>
/// Rows whose mutants survived although default scenarios fired them (issue 11): a SYN in
/// SYN-RECEIVED after an active OPEN (simultaneous-open-attacked), the Transmit of the
/// ACK-processing rows once a narrow window holds text back (narrow-window-close), and the reset
/// of a host giving up in SYN-RECEIVED after an active OPEN. Each mistake is caught by the
/// property written for it, alone.
/// </summary>
public class FiredRowSurvivorTests
{
    private const string SynRcvdSyn = "| SYN-RECEIVED | SYN, SYN-ACK, SYN-FIN |";

    private static int Row(string prefix)
    {
        var lines = File.ReadAllLines(Repo.SpecFile);
        int line = Enumerable.Range(0, lines.Length).Single(i => lines[i].StartsWith(prefix, StringComparison.Ordinal)) + 1;
        return TcpMachine.Rows.Single(r => r.Line == line).Id;
    }

    [Fact]
    public void The_attacked_simultaneous_open_holds_cheaply_and_meets_the_challenge_row_of_syn_received()
    {
        var result = ModelChecker.Check(ScenarioCatalog.SimultaneousOpenAttacked);
        ModelChecker.AssertHolds(result);
        Assert.True(result.Stats.States < 10_000, $"{result.Stats.States} states");
        Assert.True(result.Coverage.Rows[Row(SynRcvdSyn + " — | SendChallengeAck |")], "no run fired SYN-RECEIVED × SYN after an active OPEN");
    }

    [Fact]
    public void The_attacker_of_the_simultaneous_open_forges_only_its_syns()
    {
        var model = new Exploration.TwoHostModel(GeneratedEngine.Instance, ScenarioCatalog.SimultaneousOpenAttacked, ScenarioCatalog.SimultaneousOpenAttacked.Defaults);
        var offered = Enumerable.Range(0, Forgery.Count).Where(i => (model.AttackGuesses & (1u << i)) != 0).Select(Forgery.Name).ToArray();
        Assert.Equal(["SYN inside the window", "SYN right of the window", "SYN,FIN inside the window"], offered);
        var all = new Exploration.TwoHostModel(GeneratedEngine.Instance, ScenarioCatalog.BlindAttack, ScenarioCatalog.BlindAttack.Defaults);
        Assert.Equal((1u << Forgery.Count) - 1, all.AttackGuesses);
    }

    [Fact]
    public void An_unknown_guess_name_is_refused()
    {
        var s = ScenarioCatalog.SimultaneousOpenAttacked with { AttackGuesses = ["SYN somewhere"] };
        Assert.Throws<ArgumentException>(() => new Exploration.TwoHostModel(GeneratedEngine.Instance, s, s.Defaults));
    }

    [Fact]
    public void The_narrow_window_scenario_holds_and_meets_every_transmit_after_an_ack()
    {
        var result = ModelChecker.Check(ScenarioCatalog.NarrowWindowClose);
        ModelChecker.AssertHolds(result);
        Assert.True(result.Stats.States < 25_000, $"{result.Stats.States} states");
        foreach (var row in new[]
        {
            "| ESTABLISHED | FIN-ACK | !InOrder |",
            "| ESTABLISHED | FIN-ACK | — |",
            "| FIN-WAIT-1 | FIN-ACK | !InOrder |",
            "| FIN-WAIT-1 | FIN-ACK | — |",
            "| CLOSE-WAIT | ACK, FIN-ACK | — |",
            "| CLOSING | ACK, FIN-ACK | — |",
            "| LAST-ACK | ACK, FIN-ACK | — |",
        })
            Assert.True(result.Coverage.Rows[Row(row)], $"no run fired {row}");
    }

    [Fact]
    public void The_aimed_attacks_hold_cheaply_and_meet_their_rows()
    {
        var synSent = ModelChecker.Check(ScenarioCatalog.SynSentAttacked);
        ModelChecker.AssertHolds(synSent);
        Assert.True(synSent.Stats.States < 1_000, $"{synSent.Stats.States} states");
        Assert.True(synSent.Coverage.Rows[Row("| SYN-SENT | SYN-FIN | AckBit |")], "no run fired SYN-SENT × SYN-FIN");
        var timeWait = ModelChecker.Check(ScenarioCatalog.TimeWaitAttacked);
        ModelChecker.AssertHolds(timeWait);
        Assert.True(timeWait.Stats.States < 1_000, $"{timeWait.Stats.States} states");
        Assert.True(timeWait.Coverage.Rows[Row("| TIME-WAIT | FIN-ACK | — |")], "no run fired TIME-WAIT × FIN-ACK (a new FIN)");
    }

    public static TheoryData<string, string, string, string> Mistakes() => new()
    {
        // §3.10.7.4 fourth: after an active OPEN, a SYN in SYN-RECEIVED is challenged as in a synchronized state.
        { "simultaneous-open-attacked", "syn-challenged", SynRcvdSyn + " — | SendChallengeAck | same |", SynRcvdSyn + " — | Drop | same |" },
        { "simultaneous-open-attacked", "syn-challenged", SynRcvdSyn + " — | SendChallengeAck | same |", SynRcvdSyn + " — | SendSynAck | same |" },
        { "simultaneous-open-attacked", "syn-challenged", SynRcvdSyn + " — | SendChallengeAck | same |", SynRcvdSyn + " — | SendReset | same |" },
        { "simultaneous-open-attacked", "syn-challenged", SynRcvdSyn + " PassiveOpen | ReturnToListen | LISTEN |", SynRcvdSyn + " !PassiveOpen | ReturnToListen | LISTEN |" },
        // ... and after a passive OPEN it returns to LISTEN.
        { "blind-attack", "syn-challenged", SynRcvdSyn + " PassiveOpen | ReturnToListen | LISTEN |", SynRcvdSyn + " PassiveOpen | SendChallengeAck | same |" },
        // The ACK that opens the window must send what it takes (§3.10.7.4 fifth, §3.10.2).
        { "narrow-window-close", "send-progress", "| ESTABLISHED | FIN-ACK | !InOrder | ProcessAck, ReceiveText, SendAck, Transmit | same |", "| ESTABLISHED | FIN-ACK | !InOrder | ProcessAck, ReceiveText, SendAck | same |" },
        { "narrow-window-close", "send-progress", "| ESTABLISHED | FIN-ACK | — | ProcessAck, ReceiveText, ReceiveFin, Transmit | CLOSE-WAIT |", "| ESTABLISHED | FIN-ACK | — | ProcessAck, ReceiveText, ReceiveFin | CLOSE-WAIT |" },
        { "narrow-window-close", "send-progress", "| FIN-WAIT-1 | FIN-ACK | !InOrder | ProcessAck, ReceiveText, SendAck, Transmit | same |", "| FIN-WAIT-1 | FIN-ACK | !InOrder | ProcessAck, ReceiveText, SendAck | same |" },
        { "narrow-window-close", "send-progress", "| CLOSE-WAIT | ACK, FIN-ACK | — | ProcessAck, Transmit | same |", "| CLOSE-WAIT | ACK, FIN-ACK | — | ProcessAck | same |" },
        { "narrow-window-close", "send-progress", "| CLOSING | ACK, FIN-ACK | — | ProcessAck, Transmit | same |", "| CLOSING | ACK, FIN-ACK | — | ProcessAck, SendAck | same |" },
        { "narrow-window-close", "send-progress", "| LAST-ACK | ACK, FIN-ACK | — | ProcessAck, Transmit | same |", "| LAST-ACK | ACK, FIN-ACK | — | ProcessAck | same |" },
        // The text queued in SYN-SENT goes out once a (forged) SYN,FIN,ACK synchronizes the client (§3.10.7.3 fourth, §3.10.2).
        { "syn-sent-attacked", "send-progress", "| SYN-SENT | SYN-FIN | AckBit | AcceptSyn, ProcessAck, ReceiveText, ReceiveFin, SendAck, Transmit | CLOSE-WAIT |", "| SYN-SENT | SYN-FIN | AckBit | AcceptSyn, ProcessAck, ReceiveText, ReceiveFin, SendAck | CLOSE-WAIT |" },
        // A new FIN in TIME-WAIT restarts the 2 MSL timeout, also after time has passed there (§3.10.7.4 eighth).
        { "time-wait-attacked", "time-wait-fin-acked", "| TIME-WAIT | FIN-ACK | — | SendAck, RestartTimeWait | same |", "| TIME-WAIT | FIN-ACK | — | SendAck | same |" },
        // ABORT in SYN-RECEIVED sends a reset (§3.10.5): so does giving up there after an active OPEN.
        { "simultaneous-open-one-way", "give-up-resets", "| SYN-RECEIVED | RETRANSMIT-TIMEOUT | RetriesExhausted | SignalTimeout, SendReset, DeleteTcb | CLOSED |", "| SYN-RECEIVED | RETRANSMIT-TIMEOUT | RetriesExhausted | SignalTimeout, DeleteTcb | CLOSED |" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_mistake_in_these_rows_is_caught_by_the_property_written_for_it(string scenario, string property, string row, string mistake)
    {
        string table = File.ReadAllText(Repo.SpecFile);
        int at = table.IndexOf(row, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the real table has no row {row}");
        string edited = table[..at] + mistake + table[(at + row.Length)..];
        var engine = InterpretedEngine.FromText("mistake.spec.md", edited, out var diagnostics);
        Assert.True(engine is not null, string.Join("; ", diagnostics.Where(d => d.Severity == SpecSeverity.Error)));
        var s = ScenarioCatalog.Find(scenario)!;
        var alone = ScenarioCatalog.PropertiesOf(s).Single(p => p.Name == property);
        var result = ModelChecker.Check(s, new CheckOptions { Engine = engine, Properties = [alone] });
        Assert.Contains(result.Violations, v => v.Property == property);
    }
}
