using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Scenarios;

public static partial class ScenarioCatalog
{
    /// <summary>
    /// The receive buffers hold two octets, so the client's send window takes two of its three
    /// octets: the third waits in the send queue until an ACK opens the window again. The server
    /// sends one octet, and both hosts close whenever they like, so that ACK may come on the
    /// server's FIN — in order, or inside the window ahead of the server's octet (§3.10.7.4 first:
    /// the FIN waits for its retransmission) — or reach the client already in FIN-WAIT-1, CLOSING,
    /// CLOSE-WAIT or LAST-ACK with its FIN still queued behind the text. Each of those ACK-processing
    /// rows must then send what the window takes (RFC 9293 §3.10.7.4 fifth, "the send window should
    /// be updated", and §3.10.2 SEND); the property send-progress judges it.
    /// <para>
    /// With a one-octet window and two octets each way, both hosts may send their FIN right of the
    /// peer's window: each FIN is dropped, and the two hosts' ACKs, whose SEQ (SND.NXT, past the
    /// FIN) is then right of the peer's window too, answer each other for ever — an ACK storm that
    /// keeps the retransmission timers, which fire only when the network is empty, from ever
    /// resending the FINs (no-livelock). The engine sends a FIN whatever the window (Linux holds it
    /// until the window takes it); a finding left to the lead, not met at these budgets.
    /// </para>
    /// </summary>
    public static Scenario NarrowWindowClose => NarrowWindowCloseFamily.NarrowWindowClose;

    /// <summary>Its own class, so that the scenario exists before <see cref="All"/> (in another file) lists it.</summary>
    private static class NarrowWindowCloseFamily
    {
        public static readonly Scenario NarrowWindowClose = new()
        {
            Name = "narrow-window-close",
            Description = "From ESTABLISHED, the client sends three octets through a two-octet window, the server one octet; both close whenever they like: the client's third octet, and the FIN queued behind it, leave when an ACK, possibly on the server's FIN (even one ahead of the server's octet), opens the window (RFC 9293 §3.10.7.4 first, fifth; §3.10.2, §3.10.4).",
            ScriptA = [Op(OpKind.Send, When.Always, 3), Op(OpKind.Close)],
            ScriptB = [Op(OpKind.Send, When.Always, 1), Op(OpKind.Close)],
            StartEstablished = true,
            ReceiveBuffer = 2,
            Defaults = new Budgets { Loss = 0, Dup = 0, Data = 1, MaxInFlight = 3 },
        };
    }
}
