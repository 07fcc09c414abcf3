namespace TcpSpec.Checker.Exploration;

/// <summary>Which rows fired and which (state, event) cells were met.</summary>
public sealed class Coverage
{
    public Coverage(int rows, int states, int events)
    {
        Rows = new bool[rows + 1];
        Cells = new bool[states * events];
        EventCount = events;
    }

    /// <summary>Empty coverage of the model's table.</summary>
    public static Coverage Of(TwoHostModel model) => new(model.Engine.Rows.Count, model.Engine.StateNames.Count, TcpMachine.EventNames.Count);

    /// <summary>Indexed by row id (1-based; index 0 unused).</summary>
    public bool[] Rows { get; }

    /// <summary>Indexed by state × EventCount + event.</summary>
    public bool[] Cells { get; }

    public int EventCount { get; }

    public void Record(in EngineStep step)
    {
        // Written only when it changes: the workers' coverages may share cache lines, and a store to a line another core
        // writes too takes it from that core every time (false sharing), while a read of a line both only read does not.
        if (step.Row > 0 && step.Row < Rows.Length && !Rows[step.Row]) Rows[step.Row] = true;
        int cell = (int)step.From * EventCount + (int)step.Event;
        if (cell >= 0 && cell < Cells.Length && !Cells[cell]) Cells[cell] = true;
    }

    public void Merge(Coverage other)
    {
        for (int i = 0; i < Rows.Length; i++) Rows[i] |= other.Rows[i];
        for (int i = 0; i < Cells.Length; i++) Cells[i] |= other.Cells[i];
    }

    public void Clear()
    {
        Array.Clear(Rows);
        Array.Clear(Cells);
    }

    public int RowsCovered => Rows.Skip(1).Count(r => r);

    public int CellsCovered => Cells.Count(c => c);
}
