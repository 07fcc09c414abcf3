namespace TcpSpec.Tests.Engine;

/// <summary>
/// Finds table rows through the metadata the generator emits, so tests name a row by what it
/// is (state, event, guard text as the table writes it) rather than by its id, and survive rows
/// being inserted above it.
/// </summary>
public static class TableRows
{
    public static string Name(TcpState state) => TcpMachine.StateNames[(int)state];

    public static string Name(TcpEvent @event) => TcpMachine.EventNames[(int)@event];

    /// <summary>The ids of the rows of the (state, event) cell, in the order the engine tries them.</summary>
    public static IReadOnlyList<int> Cell(TcpState state, TcpEvent @event) =>
        TcpMachine.CellRows[(int)state * TcpMachine.EventNames.Count + (int)@event];

    public static TcpMachine.Row ById(int id) => TcpMachine.Rows[id - 1];

    /// <summary>
    /// The row of the (state, event) cell whose guard reads exactly <paramref name="guard"/>
    /// ("" for the unguarded row, "!SeqAcceptable", "AckBit &amp; !AckAcceptable"...). Throws,
    /// listing the cell, if there is no such row: the table changed under the test.
    /// </summary>
    public static TcpMachine.Row Find(TcpState state, TcpEvent @event, string guard = "")
    {
        var cell = Cell(state, @event);
        var matches = cell.Select(ById).Where(r => Normalize(r.Guard) == Normalize(guard)).ToList();
        if (matches.Count == 1) return matches[0];
        var listing = string.Join("\n", cell.Select(id => "  " + Describe(id)));
        throw new InvalidOperationException(
            $"The cell {Name(state)} × {Name(@event)} has {matches.Count} rows guarded [{guard}]; its rows are:\n{listing}");
    }

    public static string Describe(int id) =>
        id <= 0 || id > TcpMachine.RowCount ? $"row {id} (none: the cell was undecided)" : Describe(ById(id));

    public static string Describe(TcpMachine.Row r) => $"row {r.Id} (line {r.Line}: {r.Description})";

    private static string Normalize(string guard) => string.Join(" ", guard.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
