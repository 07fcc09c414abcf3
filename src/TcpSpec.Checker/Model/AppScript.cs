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
            OpKind.PauseReceive => "PAUSE-RECEIVE",
            OpKind.ResumeReceive => "RESUME-RECEIVE",
            _ => Kind.ToString().ToUpperInvariant(),
        } + (When == When.Always ? "" : $" when {When}");
}
