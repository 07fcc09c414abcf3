using TcpSpec.Language;

namespace TcpSpec;

/// <summary>
/// Views of the compiled table for traces, coverage and tests, all read from
/// <see cref="Table"/> (the analysed model the generator emitted): the names the table writes,
/// and each row as display text. The interpreted engine builds its rows with the same
/// <see cref="Row.From"/>, so both engines describe a row alike.
/// </summary>
public static partial class TcpMachine
{
    /// <summary>One row of the Transitions table as text. <see cref="Next"/> is null for rows that keep the state.</summary>
    public sealed record Row(int Id, int Line, string Rfc, string Section, string States, string Events, string Guard, string Actions, string? Next, string Description)
    {
        /// <summary>The text of <paramref name="row"/> of <paramref name="table"/>.</summary>
        public static Row From(MachineModel table, RowModel row) => new(row.Id, row.Line, row.Rfc, row.Section, table.StatesText(row), table.EventsText(row),
            row.Guard.Count == 0 ? "" : table.GuardText(row), row.Actions.Count == 0 ? "" : table.ActionsText(row),
            row.Next == MachineModel.SameState ? null : table.States[row.Next].Name, table.Describe(row));

        /// <summary>Every row of <paramref name="table"/>, by id: <c>[id - 1]</c>.</summary>
        public static Row[] AllOf(MachineModel table) => table.Rows.Select(r => From(table, r)).ToArray();
    }

    /// <summary>The spec file the machine was compiled from.</summary>
    public static string SpecFile => Table.Path;

    /// <summary>The number of rows; row ids run from 1 to RowCount.</summary>
    public static int RowCount => Table.Rows.Count;

    /// <summary>The state names as the table writes them, by index.</summary>
    public static IReadOnlyList<string> StateNames => Views.States;

    /// <summary>The event names as the table writes them, by index.</summary>
    public static IReadOnlyList<string> EventNames => Views.Events;

    /// <summary>The guard names as the table writes them, by index.</summary>
    public static IReadOnlyList<string> GuardNames => Views.Guards;

    /// <summary>The action names as the table writes them, by index.</summary>
    public static IReadOnlyList<string> ActionNames => Views.Actions;

    /// <summary>Every row, by id: <c>Rows[id - 1]</c>.</summary>
    public static IReadOnlyList<Row> Rows => Views.Rows;

    /// <summary>The rows of each (state, event) cell in the order they are tried: <c>CellRows[state * EventNames.Count + event]</c>.</summary>
    public static IReadOnlyList<int[]> CellRows => Views.Cells;

    private static class Views
    {
        public static readonly string[] States = Table.States.Select(d => d.Name).ToArray();
        public static readonly string[] Events = Table.Events.Select(d => d.Name).ToArray();
        public static readonly string[] Guards = Table.Guards.Select(d => d.Name).ToArray();
        public static readonly string[] Actions = Table.Actions.Select(d => d.Name).ToArray();
        public static readonly Row[] Rows = Row.AllOf(Table);
        public static readonly int[][] Cells = Table.Cells.Select(c => c.Rows.ToArray()).ToArray();
    }
}
