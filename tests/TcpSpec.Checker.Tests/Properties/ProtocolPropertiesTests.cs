using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Tests.Broken;
using TcpSpec.Engines;
using TcpSpec.Testing;

namespace TcpSpec.Checker.Tests.Properties;

/// <summary>
/// Each protocol property (Properties/ProtocolProperties.cs) catches a mutant of the table that
/// the other properties let through (a survivor of docs/mutation.md), and holds on the real table.
/// </summary>
public class ProtocolPropertiesTests
{
    private const string Synchronized = "| ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT";

    /// <summary>A mutant (one row edited), the cheap default scenario that exposes it, and the property that must report it.</summary>
    private static readonly (string Name, string Scenario, string Property, RowEdit Edit)[] Mutants =
    [
        ("FIN-WAIT-2 answers an out-of-order FIN with a SYN,ACK", "simultaneous-close", "segment-shape",
            new RowEdit.Replace("| FIN-WAIT-2 | FIN-ACK | !InOrder | ProcessAck, ReceiveText, SendAck | same |", "| FIN-WAIT-2 | FIN-ACK | !InOrder | ProcessAck, ReceiveText, SendSynAck | same |")),
        ("LISTEN answers an ACK with <SEQ=SND.NXT><CTL=RST>", "blind-attack", "segment-shape",
            new RowEdit.Replace("| LISTEN | SYN-ACK, ACK, FIN-ACK | — | ReplyReset | same |", "| LISTEN | SYN-ACK, ACK, FIN-ACK | — | SendReset | same |")),
        ("FIN-WAIT-2 does not acknowledge an out-of-order FIN", "simultaneous-close", "arrival-answered",
            new RowEdit.Replace("| FIN-WAIT-2 | FIN-ACK | !InOrder | ProcessAck, ReceiveText, SendAck | same |", "| FIN-WAIT-2 | FIN-ACK | !InOrder | ProcessAck, ReceiveText | same |")),
        ("FIN-WAIT-1 does not process the ACK of its FIN", "server-closes-first", "ack-and-fin-processing",
            new RowEdit.Replace("| FIN-WAIT-1 | ACK | FinAcked | ProcessAck, ReceiveText | FIN-WAIT-2 |", "| FIN-WAIT-1 | ACK | FinAcked | ReceiveText | FIN-WAIT-2 |")),
        ("FIN-WAIT-1 stays put when an out-of-order FIN acknowledges its FIN", "simultaneous-close", "ack-and-fin-processing",
            new RowEdit.Replace("| FIN-WAIT-1 | FIN-ACK | !InOrder & FinAcked | ProcessAck, ReceiveText, SendAck | FIN-WAIT-2 |", "| FIN-WAIT-1 | FIN-ACK | !InOrder & FinAcked | ProcessAck, ReceiveText, SendAck | FIN-WAIT-1 |")),
        ("ESTABLISHED takes an out-of-order FIN without updating the send window", "simultaneous-close", "ack-and-fin-processing",
            new RowEdit.Replace("| ESTABLISHED | FIN-ACK | !InOrder | ProcessAck, ReceiveText, SendAck, Transmit | same |", "| ESTABLISHED | FIN-ACK | !InOrder | ReceiveText, SendAck, Transmit | same |")),
        ("a reset in ESTABLISHED does not tell the user", "peer-crash", "reset-processing",
            new RowEdit.Replace($"{Synchronized} | RST, RST-ACK | — | SignalReset, DeleteTcb | CLOSED |", $"{Synchronized} | RST, RST-ACK | — | DeleteTcb | CLOSED |")),
        ("a refused active open is reported as a reset", "simultaneous-open-abandoned", "reset-processing",
            new RowEdit.Replace("| SYN-RECEIVED | RST, RST-ACK | — | SignalRefused, DeleteTcb | CLOSED |", "| SYN-RECEIVED | RST, RST-ACK | — | SignalReset, DeleteTcb | CLOSED |")),
        ("FIN-WAIT-1 retransmits on an out-of-order FIN", "simultaneous-close", "retransmission",
            new RowEdit.Replace("| FIN-WAIT-1 | FIN-ACK | !InOrder | ProcessAck, ReceiveText, SendAck, Transmit | same |", "| FIN-WAIT-1 | FIN-ACK | !InOrder | ProcessAck, ReceiveText, SendAck, Retransmit | same |")),
        ("SEND in ESTABLISHED queues the text and does not send it", "server-closes-first", "send-progress",
            new RowEdit.Replace("| ESTABLISHED, CLOSE-WAIT | SEND | — | QueueData, Transmit | same |", "| ESTABLISHED, CLOSE-WAIT | SEND | — | QueueData | same |")),
        ("CLOSE in CLOSE-WAIT goes to CLOSING", "server-closes-first", "figure-5-edges",
            new RowEdit.Replace("| CLOSE-WAIT | CLOSE | — | QueueFin, Transmit | LAST-ACK |", "| CLOSE-WAIT | CLOSE | — | QueueFin, Transmit | CLOSING |")),
        ("a SYN in SYN-SENT is answered with a bare ACK", "simultaneous-open", "arrival-answered",
            new RowEdit.Replace("| SYN-SENT | SYN, SYN-FIN | — | AcceptSyn, HoldText, SendSynAck | SYN-RECEIVED |", "| SYN-SENT | SYN, SYN-FIN | — | AcceptSyn, HoldText, SendAck | SYN-RECEIVED |")),
        ("CLOSE in SYN-SENT keeps the TCB", "close-before-handshake", "no-tcb-when-idle",
            new RowEdit.Replace("| LISTEN, SYN-SENT | CLOSE | — | DeleteTcb | CLOSED |", "| LISTEN, SYN-SENT | CLOSE | — | — | CLOSED |")),
        ("the delayed-ACK timer fires and sends nothing", "delayed-ack", "delayed-ack-bounded",
            new RowEdit.Replace("| ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2 | DELAYED-ACK-TIMEOUT | — | SendAck | same |", "| ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2 | DELAYED-ACK-TIMEOUT | — | — | same |")),
    ];

    public static TheoryData<string> Names() => new(Mutants.Select(m => m.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void The_property_catches_a_mutant_the_others_let_through(string name)
    {
        var m = Mutants.Single(x => x.Name == name);
        var text = new BrokenTable("mutant.spec.md", name, name, m.Scenario, m.Property, m.Edit).Apply(File.ReadAllText(Repo.SpecFile));
        var engine = InterpretedEngine.FromText("mutant.spec.md", text, out _);
        Assert.NotNull(engine);
        var scenario = ScenarioCatalog.Find(m.Scenario)!;

        var result = ModelChecker.Check(scenario, new CheckOptions { Engine = engine });
        Assert.Contains(result.Violations, v => v.Property == m.Property);

        var real = ModelChecker.Check(scenario, new CheckOptions());
        Assert.True(real.Holds);
    }

    [Fact]
    public void Every_scenario_is_checked_against_the_protocol_properties()
    {
        foreach (var scenario in ScenarioCatalog.Named)
        {
            var names = ScenarioCatalog.PropertiesOf(scenario).Select(p => p.Name).ToHashSet();
            Assert.All(ProtocolProperties.All, p => Assert.Contains(p.Name, names));
        }
    }

    [Fact]
    public void Every_protocol_property_cites_the_rfc()
    {
        Assert.All(ProtocolProperties.All, p => Assert.Contains("RFC", p.Description));
        Assert.Equal(ProtocolProperties.All.Count, ProtocolProperties.All.Select(p => p.Name).Distinct().Count());
    }
}
