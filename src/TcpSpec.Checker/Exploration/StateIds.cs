using TcpSpec.Engines;
using TcpSpec.Language;

namespace TcpSpec.Checker.Exploration;

/// <summary>
/// The states the model reasons about, found by their roles in the engine's table
/// (<see cref="StateRoles"/>; an edited table may order or name its states differently; a
/// missing one is -1).
/// </summary>
public sealed class StateIds
{
    public StateIds(IEngine engine)
    {
        var t = engine.Table;
        var names = t.States.Select(s => s.Name).ToList();
        Names = names;
        Closed = t.StateWith(StateRole.Closed);
        Listen = t.StateWith(StateRole.Listening);
        SynSent = t.StateWith(StateRole.SynSent);
        SynReceived = t.StateWith(StateRole.SynReceived);
        Established = t.StateWith(StateRole.Established);
        CloseWait = t.StateWith(StateRole.CloseWait);
        TimeWait = t.StateWith(StateRole.TimeWait);
        FinWait2 = t.StateWith(StateRole.FinWait2);
        // The three states with no role of their own, by the RFC's names (-1 in a table without them).
        FinWait1 = names.IndexOf("FIN-WAIT-1");
        Closing = names.IndexOf("CLOSING");
        LastAck = names.IndexOf("LAST-ACK");
    }

    public IReadOnlyList<string> Names { get; }
    public int Closed { get; }
    public int Listen { get; }
    public int SynSent { get; }
    public int SynReceived { get; }
    public int Established { get; }
    public int CloseWait { get; }
    public int TimeWait { get; }
    public int FinWait2 { get; }
    public int FinWait1 { get; }
    public int Closing { get; }
    public int LastAck { get; }

    public string Name(TcpState s) => (int)s < Names.Count ? Names[(int)s] : $"#{(int)s}";

    public bool Is(TcpState s, int id) => (int)s == id;

    /// <summary>CLOSED or LISTEN: no connection in progress.</summary>
    public bool Idle(TcpState s) => (int)s == Closed || (int)s == Listen;

    /// <summary>An open or closing connection whose reset is news to the user: not CLOSED, LISTEN, SYN-SENT, SYN-RECEIVED or TIME-WAIT.</summary>
    public bool Connected(TcpState s) =>
        !Idle(s) && (int)s != SynSent && (int)s != SynReceived && (int)s != TimeWait;

    /// <summary>A synchronized state (RFC 9293 §3.5.2): ESTABLISHED and every state after it.</summary>
    public bool Synchronized(TcpState s) => !Idle(s) && (int)s != SynSent && (int)s != SynReceived;

    /// <summary>ESTABLISHED or CLOSE-WAIT: the connection is open for the application.</summary>
    public bool Open(TcpState s) => (int)s == Established || (int)s == CloseWait;
}
