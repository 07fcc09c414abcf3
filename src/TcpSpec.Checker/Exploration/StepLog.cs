namespace TcpSpec.Checker.Exploration;

/// <summary>One engine step inside a move: which host, which event, which row, which states.</summary>
public readonly record struct EngineStep(int Host, TcpEvent Event, int Row, TcpState From, TcpState To, Segment? Segment);

/// <summary>A notice a host received during a move.</summary>
public readonly record struct HostNotice(int Host, Notice Notice);

/// <summary>
/// Text a host's application received: which stream (the sender incarnation's tag) and offset the
/// octets carry, and the ghost variable <see cref="Model.HostState.Expected"/> before they arrived.
/// <see cref="PeerStream"/> is the stream of the peer's current incarnation.
/// </summary>
public readonly record struct TextArrival(int Host, byte Stream, uint Offset, uint Length, uint Expected, byte PeerStream);

/// <summary>
/// A host entered ESTABLISHED on a segment: the incarnation of the peer that sent it (or
/// <see cref="Model.Flight.PreviousLife"/>), the IRS it took, and the peer as it is now.
/// </summary>
public readonly record struct Establishment(int Host, byte SenderIncarnation, uint Irs, byte PeerIncarnation, uint PeerNextIss, TcpState PeerState);

/// <summary>
/// What happened during one move, for properties, coverage and traces. One instance per worker,
/// cleared before each move.
/// </summary>
public sealed class StepLog
{
    public List<EngineStep> Steps { get; } = new(4);
    public List<HostNotice> Notices { get; } = new(4);
    public List<Model.Flight> Sent { get; } = new(4);

    /// <summary>Text delivered to the applications, in order: the data property judges it.</summary>
    public List<TextArrival> Text { get; } = new(1);

    /// <summary>Connections a segment established: the phantom-connection property judges them.</summary>
    public List<Establishment> Established { get; } = new(1);

    /// <summary>Set when a cell was undecided (no row fired).</summary>
    public EngineStep? Undecided { get; set; }

    public void Clear()
    {
        Steps.Clear();
        Notices.Clear();
        Sent.Clear();
        Text.Clear();
        Established.Clear();
        Undecided = null;
    }
}
