using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Scenarios;

public static partial class ScenarioCatalog
{
    /// <summary>
    /// A simultaneous open in which both applications CLOSE before they are established, A after a
    /// SEND: in SYN-RECEIVED both are queued (RFC 9293 §3.10.2, §3.10.4 SYN-RECEIVED), and the
    /// SYN,ACK, ACK or FIN that synchronizes a host must send the text and then the FIN. B sends no
    /// text, so its FIN can reach A in order while A is still in SYN-RECEIVED (an A whose peer sent
    /// text first would be established by that text). Loss 0: reordering alone meets these rows;
    /// one loss triples the states.
    /// </summary>
    public static readonly Scenario QueuedCloseInSynReceived = new()
    {
        Name = "queued-close-in-syn-received",
        Description = "Both hosts open actively and CLOSE once the peer's SYN has arrived, A after a SEND at any moment: in SYN-RECEIVED the text and FIN wait for ESTABLISHED and then follow in order (RFC 9293 §3.10.2, §3.10.4 SYN-RECEIVED); B's FIN may reach A still in SYN-RECEIVED.",
        ScriptA = [Op(OpKind.OpenActive), Op(OpKind.Send), Op(OpKind.Close, When.PeerSynArrived)],
        ScriptB = [Op(OpKind.OpenActive), Op(OpKind.Close, When.PeerSynArrived)],
        Prelude = [1, 1],
        Defaults = new Budgets { Loss = 0, Dup = 0, Data = 1, MaxInFlight = 4 },
    };
}
