using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Exploration;

/// <summary>A property that fails, and the run that shows it: the moves from the initial world.</summary>
/// <param name="LoopStart">For a liveness violation (a lasso): the index in <paramref name="Path"/> where the endlessly repeated part begins; null for a finite counterexample.</param>
public sealed record Violation(string Property, string Message, IReadOnlyList<Move> Path, int? LoopStart = null)
{
    public bool IsLasso => LoopStart is not null;
}

/// <summary>The numbers of a run.</summary>
public sealed record CheckStats
{
    public long States { get; init; }
    public long Transitions { get; init; }
    public int MaxDepth { get; init; }
    public long Endings { get; init; }
    /// <summary>Worlds beyond the in-flight bound, counted but not explored.</summary>
    public long Bounded { get; init; }
    public double Seconds { get; init; }
    public long PeakMemoryBytes { get; init; }
    public int Workers { get; init; }
    /// <summary>Stopped by --max-states before the state space was exhausted.</summary>
    public bool Truncated { get; init; }
    /// <summary>For randomized strategies: runs made.</summary>
    public long Iterations { get; init; }

    public double StatesPerSecond => Seconds > 0 ? States / Seconds : 0;
}

/// <summary>Which rows fired and which (state, event) cells were met.</summary>
public sealed class Coverage
{
    public Coverage(int rows, int states, int events)
    {
        Rows = new bool[rows + 1];
        Cells = new bool[states * events];
        EventCount = events;
    }

    /// <summary>Indexed by row id (1-based; index 0 unused).</summary>
    public bool[] Rows { get; }

    /// <summary>Indexed by state × EventCount + event.</summary>
    public bool[] Cells { get; }

    public int EventCount { get; }

    public void Record(EngineStep step)
    {
        if (step.Row > 0 && step.Row < Rows.Length) Rows[step.Row] = true;
        int cell = (int)step.From * EventCount + (int)step.Event;
        if (cell >= 0 && cell < Cells.Length) Cells[cell] = true;
    }

    public void Merge(Coverage other)
    {
        for (int i = 0; i < Rows.Length; i++) Rows[i] |= other.Rows[i];
        for (int i = 0; i < Cells.Length; i++) Cells[i] |= other.Cells[i];
    }

    public int RowsCovered => Rows.Skip(1).Count(r => r);

    public int CellsCovered => Cells.Count(c => c);
}

/// <summary>The outcome of checking one scenario.</summary>
public sealed record CheckResult(Scenario Scenario, Budgets Budgets, string Strategy, CheckStats Stats, IReadOnlyList<Violation> Violations, Coverage Coverage)
{
    public bool Holds => Violations.Count == 0;
}
