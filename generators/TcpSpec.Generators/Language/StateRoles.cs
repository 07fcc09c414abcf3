namespace TcpSpec.Language;

/// <summary>
/// What a state of the table is to the code around the engine (the checker's properties, the
/// observer, the docs). A state may have several roles: CLOSED is the initial and the closed state.
/// </summary>
[Flags]
public enum StateRole
{
    None = 0,
    /// <summary>The first declared state, where an endpoint starts.</summary>
    Initial = 1 << 0,
    /// <summary>CLOSED: no TCB (RFC 9293 §3.3.2).</summary>
    Closed = 1 << 1,
    /// <summary>LISTEN: waiting for a connection request (§3.3.2).</summary>
    Listening = 1 << 2,
    /// <summary>SYN-SENT (§3.3.2).</summary>
    SynSent = 1 << 3,
    /// <summary>SYN-RECEIVED (§3.3.2).</summary>
    SynReceived = 1 << 4,
    /// <summary>ESTABLISHED (§3.3.2).</summary>
    Established = 1 << 5,
    /// <summary>CLOSE-WAIT (§3.3.2).</summary>
    CloseWait = 1 << 6,
    /// <summary>TIME-WAIT (§3.3.2).</summary>
    TimeWait = 1 << 7,
    /// <summary>FIN-WAIT-2 (§3.3.2).</summary>
    FinWait2 = 1 << 8,
    /// <summary>
    /// A synchronized state: ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING, LAST-ACK or
    /// TIME-WAIT (RFC 9293 §3.5.2, §3.10.7.4).
    /// </summary>
    Synchronized = 1 << 9,
}

/// <summary>
/// The one place that knows which state is CLOSED, LISTEN, ...: roles follow from the RFC 9293
/// state names (§3.3.2), so an edited table that keeps the RFC's names keeps its roles, and a
/// state with another name has none (beyond <see cref="StateRole.Initial"/> for the first).
/// </summary>
public static class StateRoles
{
    /// <summary>The roles of the state named <paramref name="name"/>, declared at <paramref name="index"/>.</summary>
    public static StateRole Of(string name, int index)
    {
        var role = index == 0 ? StateRole.Initial : StateRole.None;
        return role | name switch
        {
            "CLOSED" => StateRole.Closed,
            "LISTEN" => StateRole.Listening,
            "SYN-SENT" => StateRole.SynSent,
            "SYN-RECEIVED" => StateRole.SynReceived,
            "ESTABLISHED" => StateRole.Established | StateRole.Synchronized,
            "CLOSE-WAIT" => StateRole.CloseWait | StateRole.Synchronized,
            "TIME-WAIT" => StateRole.TimeWait | StateRole.Synchronized,
            "FIN-WAIT-2" => StateRole.FinWait2 | StateRole.Synchronized,
            "FIN-WAIT-1" or "CLOSING" or "LAST-ACK" => StateRole.Synchronized,
            _ => StateRole.None,
        };
    }
}
