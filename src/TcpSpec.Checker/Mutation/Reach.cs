using TcpSpec.Checker.Exploration;
using TcpSpec.Engines;
using TcpSpec.Language;

namespace TcpSpec.Checker.Mutation;

/// <summary>
/// What the real table's run of the default scenarios reached (the checker's <see cref="Coverage"/>,
/// merged over the scenarios): the rows that fired and the (state, event) cells that were met,
/// and from them which mutants provably run exactly as the table does there, so need no search:
/// <list type="bullet">
/// <item>an edit of a row none of whose cells is ever met: the mutant's search meets the same cells (by induction over its
/// states, each is one of the table's, where the same row decides), so it never consults the row;</item>
/// <item>an edit of a row that never fires that leaves its guard and its place alone (remove-action, replace-action,
/// change-next, delete-row): wherever the row is tried its guard is false, so the same row as in the table decides.</item>
/// </list>
/// Both are survivors "never reached", without running the search.
/// </summary>
public sealed class Reach
{
    private static readonly HashSet<string> GuardKeeping = ["remove-action", "replace-action", "change-next", "delete-row"];

    private readonly HashSet<int> _firedLines = [];
    private readonly HashSet<(string State, string Event)> _metCells = [];
    private readonly Dictionary<int, List<(string State, string Event)>> _cellsOfLine = [];

    public Reach(MachineModel table)
    {
        foreach (var cell in table.Cells)
        {
            foreach (int id in cell.Rows)
            {
                int line = table.Row(id).Line;
                if (!_cellsOfLine.TryGetValue(line, out var cells)) _cellsOfLine[line] = cells = [];
                cells.Add((table.States[cell.State].Name, table.Events[cell.Event].Name));
            }
        }
    }

    /// <summary>Adds one scenario's coverage of <paramref name="engine"/>'s rows and cells.</summary>
    public void Add(Coverage coverage, IEngine engine)
    {
        for (int id = 1; id < coverage.Rows.Length && id <= engine.Rows.Count; id++)
            if (coverage.Rows[id]) _firedLines.Add(engine.Rows[id - 1].Line);
        for (int i = 0; i < coverage.Cells.Length; i++)
        {
            int s = i / coverage.EventCount, e = i % coverage.EventCount;
            if (coverage.Cells[i] && s < engine.StateNames.Count && e < TcpMachine.EventNames.Count)
                _metCells.Add((engine.StateNames[s], TcpMachine.EventNames[e]));
        }
    }

    /// <summary>Whether the row at <paramref name="line"/> fires in some default scenario.</summary>
    public bool Fired(int line) => _firedLines.Contains(line);

    /// <summary>Whether some cell the row at <paramref name="line"/> belongs to is met in some default scenario.</summary>
    public bool CellMet(int line) => _cellsOfLine.TryGetValue(line, out var cells) && cells.Any(_metCells.Contains);

    /// <summary>Why <paramref name="mutant"/> provably runs as the table in every default scenario, or null.</summary>
    public string? Unobservable(Mutant mutant)
    {
        if (!CellMet(mutant.RowLine))
            return "no default scenario ever meets its row's (state, event) cells (coverage of the table), so no search consults the row";
        if (!Fired(mutant.RowLine) && GuardKeeping.Contains(mutant.Operator))
            return "its row never fires in any default scenario (coverage of the table) and the edit keeps its guard and place, so the same rows decide";
        return null;
    }
}
