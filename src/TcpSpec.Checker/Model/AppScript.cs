namespace TcpSpec.Checker.Model;

/// <summary>A call the application makes.</summary>
public enum OpKind : byte
{
    OpenActive,
    OpenPassive,
    /// <summary>SEND of <see cref="AppOp.Amount"/> octets, or the --data budget when Amount is 0.</summary>
    Send,
    Close,
    Abort,
    /// <summary>The application stops calling RECEIVE: what arrives stays in the receive buffer and the window it offers closes (RFC 9293 §3.8.6).</summary>
    PauseReceive,
    /// <summary>The application reads again: a RECEIVE of all that is buffered (RFC 9293 §3.10.3), then it reads as text arrives.</summary>
    ResumeReceive,
    /// <summary>One RECEIVE call (RFC 9293 §3.10.3) of all that is buffered, whatever the state: the reply is the table's (queued, delivered, "connection closing", …).</summary>
    Receive,
    /// <summary>A passive OPEN with the foreign socket specified (RFC 9293 §3.10.1): the listener knows its peer, so a SEND in LISTEN turns it active (§3.10.2).</summary>
    OpenPassiveForeign,
}

/// <summary>When an application step is enabled (the application waits for it).</summary>
public enum When : byte
{
    /// <summary>At any time: the model explores every moment.</summary>
    Always,
    /// <summary>Once the connection is open: ESTABLISHED or CLOSE-WAIT.</summary>
    Open,
    /// <summary>Once the peer's FIN has arrived ("connection closing").</summary>
    PeerClosed,
    /// <summary>Once the host is synchronized (past SYN-SENT and SYN-RECEIVED), whatever came after.</summary>
    Synchronized,
    /// <summary>Once the peer's SYN has arrived: SYN-RECEIVED or any state after it (a script acts in the middle of a handshake).</summary>
    PeerSynArrived,
}

/// <summary>One step of an application script.</summary>
public sealed record AppOp(OpKind Kind, When When = When.Always, uint Amount = 0)
{
    public override string ToString() =>
        Kind switch
        {
            OpKind.Send => $"SEND({(Amount == 0 ? "data" : Amount.ToString())})",
            OpKind.OpenActive => "OPEN(active)",
            OpKind.OpenPassive => "OPEN(passive)",
            OpKind.OpenPassiveForeign => "OPEN(passive, foreign socket)",
            OpKind.PauseReceive => "PAUSE-RECEIVE",
            OpKind.ResumeReceive => "RESUME-RECEIVE",
            _ => Kind.ToString().ToUpperInvariant(),
        } + (When == When.Always ? "" : $" when {When}");
}

/// <summary>
/// The calls an application may make at any moment beyond its script (--calls, a "stray call"):
/// the user interface of RFC 9293 §3.10.1-§3.10.5, one octet per SEND.
/// </summary>
public static class StrayCalls
{
    /// <summary>The calls, in the order the stepper offers them (a stray call's move index is its position here).</summary>
    public static readonly OpKind[] Kinds = [OpKind.OpenActive, OpKind.OpenPassive, OpKind.Send, OpKind.Receive, OpKind.Close, OpKind.Abort];

    /// <summary>How many: the length of <see cref="Kinds"/> (a constant for the stepper's move buffer).</summary>
    public const int Count = 6;

    /// <summary>
    /// Whether stray call <paramref name="index"/> is offered: every call in every state, except an
    /// OPEN in CLOSED — a new connection is the script's to open (and to close), not a stray call's.
    /// </summary>
    public static bool Offered(int index, bool closed) => !closed || Kinds[index] is not (OpKind.OpenActive or OpKind.OpenPassive);

    /// <summary>The call a stray-call move makes, as a script step.</summary>
    public static AppOp Op(int index) => Ops[index];

    private static readonly AppOp[] Ops = [.. Kinds.Select(k => new AppOp(k, When.Always, k == OpKind.Send ? 1u : 0u))];
}
