using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Scenarios;

public static partial class ScenarioCatalog
{
    /// <summary>
    /// The receive buffers hold one octet, so A's send window takes one of its two octets at a
    /// time: the second waits in the send queue until an ACK opens the window again. Both hosts
    /// close whenever they like, so that ACK may come on B's FIN, or reach A already in FIN-WAIT-1,
    /// CLOSING, CLOSE-WAIT or LAST-ACK with its FIN still queued behind the text: each of those
    /// ACK-processing rows must then send what the window takes (RFC 9293 §3.10.7.4 fifth, "the
    /// send window should be updated", and §3.10.2 SEND); the property send-progress judges it.
    /// B sends no text: when both do, each FIN sent right of the peer's one-octet window is dropped
    /// and the two hosts' ACKs, whose SEQ is then right of the peer's window too, answer each other
    /// for ever (an ACK storm that keeps the retransmission timers, which fire only when the
    /// network is empty, from ever resending the FINs).
    /// </summary>
    public static Scenario NarrowWindowClose => NarrowWindowCloseFamily.NarrowWindowClose;

    /// <summary>
    /// <see cref="NarrowWindowClose"/> with text both ways and a two-octet window, so that the
    /// server's FIN may reach the client inside the window ahead of the server's octet (out of
    /// order, §3.10.7.4 first) while the client's third octet waits for the ACK it carries. The
    /// client closes only after that FIN, so no FIN is ever sent right of both windows at once
    /// (see above).
    /// </summary>
    public static Scenario NarrowWindowServerCloses => NarrowWindowCloseFamily.NarrowWindowServerCloses;

    /// <summary>Its own class, so that the scenario exists before <see cref="All"/> (in another file) lists it.</summary>
    private static class NarrowWindowCloseFamily
    {
        public static readonly Scenario NarrowWindowClose = new()
        {
            Name = "narrow-window-close",
            Description = "From ESTABLISHED, the client sends two octets through a one-octet window; both hosts close whenever they like: the second octet, and the FIN queued behind it, leave when an ACK, possibly on the server's FIN, opens the window (RFC 9293 §3.10.7.4 fifth, §3.10.2, §3.10.4).",
            ScriptA = [Op(OpKind.Send), Op(OpKind.Close)],
            ScriptB = [Op(OpKind.Close)],
            StartEstablished = true,
            ReceiveBuffer = 1,
            Defaults = new Budgets { Loss = 0, Dup = 0, Data = 2, MaxInFlight = 4 },
        };

        public static readonly Scenario NarrowWindowServerCloses = new()
        {
            Name = "narrow-window-server-closes",
            Description = "From ESTABLISHED, the client sends three octets through a two-octet window, the server one octet, and the server closes whenever it likes, the client after the server's FIN: that FIN may arrive inside the window ahead of the server's octet, and the ACK on it opens the client's window (RFC 9293 §3.10.7.4 first, fifth, §3.10.2).",
            ScriptA = [Op(OpKind.Send, When.Always, 3), Op(OpKind.Close, When.PeerClosed)],
            ScriptB = [Op(OpKind.Send, When.Always, 1), Op(OpKind.Close)],
            StartEstablished = true,
            ReceiveBuffer = 2,
            Defaults = new Budgets { Loss = 0, Dup = 0, Data = 2, MaxInFlight = 4 },
        };
    }
}
