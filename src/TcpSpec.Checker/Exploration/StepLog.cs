namespace TcpSpec.Checker.Exploration;

/// <summary>One engine step inside a move: which host, which event, which row, which states.</summary>
public readonly record struct EngineStep(int Host, TcpEvent Event, int Row, TcpState From, TcpState To, Segment? Segment);

/// <summary>A notice a host received during a move.</summary>
public readonly record struct HostNotice(int Host, Notice Notice);

/// <summary>
/// What happened during one move, for properties, coverage and traces. One instance per worker,
/// cleared before each move.
/// </summary>
public sealed class StepLog
{
    public List<EngineStep> Steps { get; } = new(4);
    public List<HostNotice> Notices { get; } = new(4);
    public List<Model.Flight> Sent { get; } = new(4);

    /// <summary>Findings of the ghost bookkeeping (text out of order, from an old incarnation...), for the data property.</summary>
    public List<string> DataAnomalies { get; } = new(1);

    /// <summary>A host whose phantom-connection check failed: it became ESTABLISHED with a peer incarnation that never opened it.</summary>
    public List<string> PhantomAnomalies { get; } = new(1);

    /// <summary>Set when a cell was undecided (no row fired).</summary>
    public EngineStep? Undecided { get; set; }

    public void Clear()
    {
        Steps.Clear();
        Notices.Clear();
        Sent.Clear();
        DataAnomalies.Clear();
        PhantomAnomalies.Clear();
        Undecided = null;
    }
}
