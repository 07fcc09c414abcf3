namespace TcpSpec.Checker.Model;

/// <summary>
/// The blind attacker of RFC 5961 §1.1: an off-path host that cannot read the traffic but spoofs
/// the peer's address and guesses numbers. The model enumerates "some guess" as the offsets that
/// matter around the target's windows (RFC 5961 §3–§5): each forgery is a template whose SEQ and
/// ACK are placed relative to the target's RCV.NXT, RCV.WND, SND.UNA, SND.NXT and MAX.SND.WND.
/// The attacker reads the target's TCB only to place the guess; it never reads a segment.
/// </summary>
public static class Forgery
{
    /// <summary>The incarnation a forged segment carries: the ghost mark that tells it from every genuine one.</summary>
    public const byte Incarnation = 254;

    /// <summary>The stream tag of forged text: no host's tag (those are 0x1i and 0x2i), so the data property knows it.</summary>
    public const byte StreamTag = 0xEE;

    /// <summary>Where a forged number is placed.</summary>
    private enum Seq : byte { RcvNxt, InWindow, LeftOfWindow, RightOfWindow }

    private enum Ack : byte { None, SndUnaMinus1, SndUna, SndNxt, SndNxtPlus1, TooOld }

    /// <summary>
    /// The target states a guess is aimed at: a listener (§3.10.7.2), a host in SYN-SENT
    /// (§3.10.7.3), one that has its peer's sequence space (SYN-RECEIVED and the synchronized
    /// states, §3.10.7.4), or TIME-WAIT only. Each world offers only the guesses of its targets'
    /// states, so the list grows without every guess costing a move in every world. TIME-WAIT is
    /// synchronized too: it meets the synchronized guesses and its own.
    /// </summary>
    public enum Aim : byte { Listen, SynSent, Synchronized, TimeWait }

    private readonly record struct Template(string Name, TcpFlags Flags, Seq Seq, Ack Ack, ushort Length, Aim Aim = Aim.Synchronized);

    /// <summary>
    /// The guesses, in a fixed order (a move's index). Forged text that is fully acceptable (SEQ =
    /// RCV.NXT and an acceptable ACK) is left out on purpose: the RFC accepts it (a guess that hits
    /// wins, RFC 5961 §1) and the desynchronized hosts then exchange ACKs for ever (the classic
    /// ACK storm), which says nothing about the table.
    /// </summary>
    private static readonly Template[] Templates =
    [
        new("RST at RCV.NXT", TcpFlags.Rst, Seq.RcvNxt, Ack.None, 0),                        // §3.2 (1): exact: reset
        new("RST inside the window", TcpFlags.Rst, Seq.InWindow, Ack.None, 0),               // §3.2 (3): challenge ACK
        new("RST left of the window", TcpFlags.Rst, Seq.LeftOfWindow, Ack.None, 0),          // §3.2 (2): drop
        new("RST right of the window", TcpFlags.Rst, Seq.RightOfWindow, Ack.None, 0),        // §3.2 (2): drop
        new("SYN inside the window", TcpFlags.Syn, Seq.InWindow, Ack.None, 0),               // §4.2: challenge ACK
        new("SYN right of the window", TcpFlags.Syn, Seq.RightOfWindow, Ack.None, 0),        // §4.2: challenge ACK
        new("ACK of SND.UNA-1", TcpFlags.Ack, Seq.RcvNxt, Ack.SndUnaMinus1, 0),             // duplicate: ignored
        new("ACK of SND.UNA", TcpFlags.Ack, Seq.RcvNxt, Ack.SndUna, 0),                      // unacceptable in SYN-RECEIVED
        new("ACK of SND.NXT", TcpFlags.Ack, Seq.RcvNxt, Ack.SndNxt, 0),                      // acceptable: offered only when it acknowledges nothing new
        new("ACK of SND.NXT+1", TcpFlags.Ack, Seq.RcvNxt, Ack.SndNxtPlus1, 0),               // acknowledges the unsent
        new("ACK below SND.UNA-MAX.SND.WND", TcpFlags.Ack, Seq.RcvNxt, Ack.TooOld, 0),       // §5.2: challenge ACK
        new("ACK right of the window", TcpFlags.Ack, Seq.RightOfWindow, Ack.SndNxt, 0),      // 9293 §3.10.7.4 first: unacceptable
        new("data acknowledging SND.NXT+1", TcpFlags.Ack, Seq.RcvNxt, Ack.SndNxtPlus1, 1),  // §5.2: discarded
        new("data below SND.UNA-MAX.SND.WND", TcpFlags.Ack, Seq.RcvNxt, Ack.TooOld, 1),     // §5.2: challenge ACK, discarded
        new("data left of the window", TcpFlags.Ack, Seq.LeftOfWindow, Ack.SndNxt, 1),      // old text: unacceptable
        new("data right of the window", TcpFlags.Ack, Seq.RightOfWindow, Ack.SndNxt, 1),    // beyond the window: unacceptable
        new("SYN,FIN inside the window", TcpFlags.Syn | TcpFlags.Fin, Seq.InWindow, Ack.None, 0),           // 9293 §3.10.7.4 fourth: challenge ACK (SYN-RECEIVED: back to LISTEN)
        new("FIN without ACK at RCV.NXT", TcpFlags.Fin, Seq.RcvNxt, Ack.None, 0),                           // 9293 §3.10.7.4 fifth: ACK bit off, drop
        new("text without ACK right of the window", TcpFlags.None, Seq.RightOfWindow, Ack.None, 1),         // 9293 §3.10.7.4 first: unacceptable, ACK
        new("FIN,ACK at RCV.NXT in TIME-WAIT", TcpFlags.Fin | TcpFlags.Ack, Seq.RcvNxt, Ack.SndNxt, 0, Aim.TimeWait), // 9293 §3.10.7.4 eighth TIME-WAIT: ACK, restart 2 MSL
        new("SYN,FIN,ACK at a listener", TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Ack, Seq.RcvNxt, Ack.SndNxtPlus1, 0, Aim.Listen), // 9293 §3.10.7.2 second: <SEQ=SEG.ACK><CTL=RST>
        new("FIN without ACK at a listener", TcpFlags.Fin, Seq.RcvNxt, Ack.None, 0, Aim.Listen),              // 9293 §3.10.7.2 fourth: drop
        new("text without ACK at a listener", TcpFlags.None, Seq.RcvNxt, Ack.None, 1, Aim.Listen),            // 9293 §3.10.7.2 fourth: drop
        new("SYN,FIN,ACK of SND.NXT+1 in SYN-SENT", TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Ack, Seq.RcvNxt, Ack.SndNxtPlus1, 0, Aim.SynSent), // 9293 §3.10.7.3 first: <SEQ=SEG.ACK><CTL=RST>
        // 9293 §3.10.7.3 fourth, eighth: the exact guess of SND.NXT wins, and the SYN,ACK's FIN takes the client to CLOSE-WAIT.
        // No genuine peer sends a SYN,ACK with a FIN here (a CLOSE in SYN-RECEIVED waits for ESTABLISHED), so only a forger reaches that row.
        new("SYN,FIN,ACK of SND.NXT in SYN-SENT", TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Ack, Seq.RcvNxt, Ack.SndNxt, 0, Aim.SynSent),
    ];

    /// <summary>How many guesses the attacker has against one target (the length of the template list).</summary>
    public const int Count = 25;

    static Forgery()
    {
        if (Templates.Length != Count) throw new InvalidOperationException($"Forgery.Count is {Count} but there are {Templates.Length} templates");
    }

    public static string Name(int index) => Templates[index].Name;

    /// <summary>
    /// Is guess <paramref name="index"/> offered against <paramref name="target"/>, a host the
    /// attacker aims at as <paramref name="aim"/> (the move relation says which state is which: a
    /// listener, SYN-SENT, or a host that has its peer's sequence space to guess in, SYN-RECEIVED
    /// and the synchronized states, where RFC 5961's rules apply; a host without a TCB is no
    /// target)? The guesses of its aim are, but an
    /// ACK at RCV.NXT that acknowledges new data (SND.UNA &lt; SEG.ACK =&lt; SND.NXT): the RFC must
    /// accept it, and it makes the target forget data its peer never received (or, in
    /// SYN-RECEIVED, a SYN,ACK the peer never got) — an attack that succeeds, which the table cannot
    /// prevent and which tells nothing about it. The same guess acknowledging nothing new (a
    /// duplicate ACK that may move the window) is offered.
    /// </summary>
    public static bool Offered(in Endpoint target, Aim aim, int index)
    {
        var t = Templates[index];
        if (t.Aim != aim && !(aim == Aim.TimeWait && t.Aim == Aim.Synchronized)) return false;
        if (t.Aim == Aim.SynSent) return true; // the exact guess of SYN-SENT is offered: the row it reaches has no other way in
        return t.Ack != Ack.SndNxt || t.Seq != Seq.RcvNxt || target.SndUna == target.SndNxt || t.Aim == Aim.TimeWait;
    }

    /// <summary>The forged segment of guess <paramref name="index"/> against <paramref name="target"/>: it pretends to come from the target's peer.</summary>
    public static Flight Build(int targetHost, in Endpoint target, int index, ushort window)
    {
        var t = Templates[index];
        uint wnd = Math.Max((uint)target.RcvWnd, 1u);
        uint seq = t.Seq switch
        {
            Seq.RcvNxt => target.RcvNxt,
            Seq.InWindow => wnd > 1 ? target.RcvNxt + 1 : target.RcvNxt, // a one-octet window has no inside but RCV.NXT
            Seq.LeftOfWindow => target.RcvNxt - 1,
            _ => target.RcvNxt + wnd,
        };
        uint ack = t.Ack switch
        {
            Ack.SndUnaMinus1 => target.SndUna - 1,
            Ack.SndUna => target.SndUna,
            Ack.SndNxt => target.SndNxt,
            Ack.SndNxtPlus1 => target.SndNxt + 1,
            Ack.TooOld => target.SndUna - target.MaxSndWnd - 1,
            _ => 0,
        };
        uint payload = t.Length > 0 ? (uint)StreamTag << 24 : 0;
        var seg = new Segment(seq, ack, t.Flags, window, t.Length, payload);
        return new Flight(seg, (byte)(1 - targetHost), Incarnation);
    }
}
