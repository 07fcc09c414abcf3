using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Engines;
using TcpSpec.Language;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests;

/// <summary>
/// The rows of segments no genuine peer sends (SYN,FIN, FIN or text without ACK, a new FIN in
/// TIME-WAIT) and of a CLOSE queued in SYN-RECEIVED: the default suite reaches them (blind-attack,
/// queued-close-in-syn-received) and its properties catch concrete mistakes in them.
/// </summary>
public class HandshakeForgeryTests
{
    private const string Sync = "| ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT";

    /// <summary>The id of the row of the real table whose line starts with <paramref name="prefix"/>.</summary>
    private static int Row(string prefix)
    {
        var lines = File.ReadAllLines(Repo.SpecFile);
        int line = Enumerable.Range(0, lines.Length).Single(i => lines[i].StartsWith(prefix, StringComparison.Ordinal)) + 1;
        return TcpMachine.Rows.Single(r => r.Line == line).Id;
    }

    private static int Guess(string name) => Enumerable.Range(0, Forgery.Count).Single(i => Forgery.Name(i) == name);

    [Theory]
    [InlineData("SYN,FIN,ACK at a listener", Forgery.Aim.Listen, true)]
    [InlineData("SYN,FIN,ACK at a listener", Forgery.Aim.Synchronized, false)]
    [InlineData("text without ACK at a listener", Forgery.Aim.SynSent, false)]
    [InlineData("SYN,FIN,ACK of SND.NXT in SYN-SENT", Forgery.Aim.SynSent, true)]
    [InlineData("SYN,FIN,ACK of SND.NXT in SYN-SENT", Forgery.Aim.Listen, false)]
    [InlineData("FIN,ACK at RCV.NXT in TIME-WAIT", Forgery.Aim.TimeWait, true)]
    [InlineData("FIN,ACK at RCV.NXT in TIME-WAIT", Forgery.Aim.Synchronized, false)]
    [InlineData("FIN without ACK at RCV.NXT", Forgery.Aim.TimeWait, true)] // TIME-WAIT is synchronized too
    [InlineData("RST at RCV.NXT", Forgery.Aim.Listen, false)]
    public void Each_guess_is_offered_only_against_the_states_it_is_aimed_at(string name, Forgery.Aim aim, bool offered)
    {
        var target = new Endpoint { RcvNxt = 1000, RcvWnd = 4, SndUna = 500, SndNxt = 500 };
        Assert.Equal(offered, Forgery.Offered(target, aim, Guess(name)));
    }

    [Fact]
    public void The_exact_guess_in_SYN_SENT_acknowledges_SND_NXT_and_carries_SYN_FIN_and_ACK()
    {
        var target = new Endpoint { SndUna = 100, SndNxt = 101 };
        var f = Forgery.Build(0, target, Guess("SYN,FIN,ACK of SND.NXT in SYN-SENT"), 8);
        Assert.Equal(101u, f.Seg.Ack);
        Assert.Equal(TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Ack, f.Seg.Flags);
        Assert.Equal(102u, Forgery.Build(0, target, Guess("SYN,FIN,ACK of SND.NXT+1 in SYN-SENT"), 8).Seg.Ack);
    }

    [Fact]
    public void The_queued_close_scenario_holds_and_meets_the_rows_of_a_close_queued_in_syn_received()
    {
        var result = ModelChecker.Check(ScenarioCatalog.QueuedCloseInSynReceived);
        ModelChecker.AssertHolds(result);
        Assert.True(result.Stats.States < 60_000, $"{result.Stats.States} states: a default scenario costs at most ~60 k");
        foreach (var row in new[]
        {
            "| SYN-RECEIVED | SYN-ACK | CompletesSimultaneousOpen & CloseQueued |",
            "| SYN-RECEIVED | ACK | CloseQueued |",
            "| SYN-RECEIVED | FIN-ACK | CloseQueued |",
        })
            Assert.True(result.Coverage.Rows[Row(row)], $"no run fired {row}");
    }

    [Fact]
    public void The_blind_attack_meets_the_rows_of_segments_no_genuine_peer_sends()
    {
        var result = ModelChecker.Check(ScenarioCatalog.BlindAttack);
        ModelChecker.AssertHolds(result);
        foreach (var row in new[]
        {
            "| LISTEN | SYN-FIN | AckBit |",
            "| LISTEN | FIN, BARE | — |",
            "| SYN-SENT | SYN-FIN | AckBit & !AckAcceptable |",
            "| SYN-SENT | SYN-FIN | AckBit |",
            "| SYN-RECEIVED | FIN, BARE | !SeqAcceptable |",
            "| SYN-RECEIVED | FIN, BARE | — |",
            Sync + " | FIN, BARE | !SeqAcceptable |",
            Sync + " | FIN, BARE | — |",
            "| TIME-WAIT | FIN-ACK | — |",
        })
            Assert.True(result.Coverage.Rows[Row(row)], $"no run fired {row}");
    }

    public static TheoryData<string, string, string, string> Mistakes() => new()
    {
        { "blind-attack", "listen-rejects", "| LISTEN | SYN-FIN | AckBit | ReplyReset | same |", "| LISTEN | SYN-FIN | AckBit | Drop | same |" },
        { "blind-attack", "listen-rejects", "| LISTEN | FIN, BARE | — | Drop | same |", "| LISTEN | FIN, BARE | — | ReplyReset | same |" },
        { "blind-attack", "syn-sent-rejects", "| SYN-SENT | SYN-FIN | AckBit & !AckAcceptable | ReplyReset | same |", "| SYN-SENT | SYN-FIN | AckBit & !AckAcceptable | Drop | same |" },
        { "blind-attack", "syn-sent-synchronizes", "| SYN-SENT | SYN-FIN | AckBit | AcceptSyn, ProcessAck, ReceiveText, ReceiveFin, SendAck, Transmit | CLOSE-WAIT |", "| SYN-SENT | SYN-FIN | AckBit | AcceptSyn, ProcessAck, ReceiveText, SendAck, Transmit | ESTABLISHED |" },
        { "blind-attack", "unacceptable-acked", "| SYN-RECEIVED | FIN, BARE | !SeqAcceptable | SendAck | same |", "| SYN-RECEIVED | FIN, BARE | !SeqAcceptable | Drop | same |" },
        { "blind-attack", "unacceptable-dropped", "| SYN-RECEIVED | FIN, BARE | — | Drop | same |", "| SYN-RECEIVED | FIN, BARE | — | ProcessAck, ReceiveText, Transmit | ESTABLISHED |" },
        { "blind-attack", "unacceptable-acked", Sync + " | FIN, BARE | !SeqAcceptable | SendAck | same |", Sync + " | FIN, BARE | !SeqAcceptable | Drop | same |" },
        { "blind-attack", "unacceptable-dropped", Sync + " | FIN, BARE | — | Drop | same |", Sync + " | FIN, BARE | — | ReceiveFin | same |" },
        { "blind-attack", "time-wait-fin-acked", "| TIME-WAIT | FIN-ACK | — | SendAck, RestartTimeWait | same |", "| TIME-WAIT | FIN-ACK | — | RestartTimeWait | same |" },
        { "queued-close-in-syn-received", "queued-in-syn-received", "| SYN-RECEIVED | ACK | CloseQueued | ProcessAck, ReceiveText, Transmit | FIN-WAIT-1 |", "| SYN-RECEIVED | ACK | CloseQueued | ProcessAck, ReceiveText, Transmit | ESTABLISHED |" },
        { "queued-close-in-syn-received", "queued-in-syn-received", "| SYN-RECEIVED | SYN-ACK | CompletesSimultaneousOpen & CloseQueued | ProcessAck, ReceiveText, Transmit | FIN-WAIT-1 |", "| SYN-RECEIVED | SYN-ACK | CompletesSimultaneousOpen & CloseQueued | ProcessAck, ReceiveText | FIN-WAIT-1 |" },
        { "queued-close-in-syn-received", "queued-in-syn-received", "| SYN-RECEIVED | FIN-ACK | CloseQueued | ProcessAck, ReceiveText, ReceiveFin, Transmit | LAST-ACK |", "| SYN-RECEIVED | FIN-ACK | CloseQueued | ProcessAck, ReceiveText, ReceiveFin, Transmit | CLOSE-WAIT |" },
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
        var alone = ScenarioCatalog.PropertiesOf(s).Single(p => p.Name == property); // this property by itself sees the mistake
        var result = ModelChecker.Check(s, new CheckOptions { Engine = engine, Properties = [alone] });
        Assert.Contains(result.Violations, v => v.Property == property);
    }
}
