namespace TcpSpec.Language;

/// <summary>A declared state, event, guard or action with its C# identifier and documentation.</summary>
public sealed record DeclModel(string Name, string Identifier, string Meaning, string Rfc, int Line);

/// <summary>A resolved guard conjunct: index into <see cref="MachineModel.Guards"/>, possibly negated.</summary>
public sealed record GuardTermModel(int Guard, bool Negated);

/// <summary>
/// A resolved transition row. <see cref="States"/> is empty when the row is a <c>*</c> row.
/// <see cref="Next"/> is <see cref="MachineModel.SameState"/> for rows that stay where they are.
/// </summary>
public sealed record RowModel(
    int Id,
    int Line,
    int Column,
    bool AnyState,
    EquatableArray<int> States,
    EquatableArray<int> Events,
    EquatableArray<GuardTermModel> Guard,
    EquatableArray<int> Actions,
    int Next,
    string Rfc,
    string Section)
{
    public string Key => "R" + Id;
}

/// <summary>A usual path through the machine, as state indices.</summary>
public sealed record PathModel(string Name, EquatableArray<int> States, string Rfc);

/// <summary>The ordered rows that decide one (state, event) cell, after <c>*</c> rows are expanded.</summary>
public sealed record CellModel(int State, int Event, EquatableArray<int> Rows, bool FromAnyState);

/// <summary>
/// Stage 2's output: the analysed machine, with every name resolved to an index. The first
/// declared state is the initial state. Value-equal, so the generator caches on it.
/// </summary>
public sealed record MachineModel(
    string Path,
    string Name,
    EquatableArray<DeclModel> States,
    EquatableArray<DeclModel> Events,
    EquatableArray<DeclModel> Guards,
    EquatableArray<DeclModel> Actions,
    EquatableArray<RowModel> Rows,
    EquatableArray<CellModel> Cells,
    EquatableArray<SpecDiagnostic> Diagnostics)
{
    public const int SameState = -1;

    /// <summary>The optional Paths table, resolved: the usual ways through the machine, for the docs.</summary>
    public EquatableArray<PathModel> Paths { get; init; } = EquatableArray<PathModel>.Empty;

    public bool HasErrors => Diagnostics.Any(d => d.Severity == SpecSeverity.Error);

    /// <summary>The roles of state <paramref name="state"/> (see <see cref="StateRoles"/>).</summary>
    public StateRole RoleOf(int state) => state >= 0 && state < States.Count ? StateRoles.Of(States[state].Name, state) : StateRole.None;

    /// <summary>Whether state <paramref name="state"/> has every role in <paramref name="role"/>.</summary>
    public bool Is(int state, StateRole role) => (RoleOf(state) & role) == role;

    /// <summary>The first state with <paramref name="role"/>, or -1 if the table has none.</summary>
    public int StateWith(StateRole role)
    {
        for (int s = 0; s < States.Count; s++) if (Is(s, role)) return s;
        return -1;
    }

    /// <summary>The index of the state named <paramref name="name"/>, or -1.</summary>
    public int StateIndex(string name) => IndexOf(States, name);

    /// <summary>The index of the event named <paramref name="name"/>, or -1.</summary>
    public int EventIndex(string name) => IndexOf(Events, name);

    /// <summary>The index of the guard named <paramref name="name"/>, or -1.</summary>
    public int GuardIndex(string name) => IndexOf(Guards, name);

    private static int IndexOf(EquatableArray<DeclModel> decls, string name)
    {
        for (int i = 0; i < decls.Count; i++) if (decls[i].Name == name) return i;
        return -1;
    }

    public CellModel Cell(int state, int evt) => Cells[state * Events.Count + evt];

    /// <summary>The row with the given 1-based id.</summary>
    public RowModel Row(int id) => Rows[id - 1];

    /// <summary>The state a row leads to from <paramref name="state"/>.</summary>
    public int NextOf(RowModel row, int state) => row.Next == SameState ? state : row.Next;

    public string GuardText(RowModel row) => row.Guard.Count == 0
        ? "—"
        : string.Join(" & ", row.Guard.Select(g => (g.Negated ? "!" : "") + Guards[g.Guard].Name));

    public string ActionsText(RowModel row) => row.Actions.Count == 0
        ? "—"
        : string.Join(", ", row.Actions.Select(a => Actions[a].Name));

    public string StatesText(RowModel row) => row.AnyState ? Naming.AnyState : string.Join(", ", row.States.Select(s => States[s].Name));

    public string EventsText(RowModel row) => string.Join(", ", row.Events.Select(e => Events[e].Name));

    public string NextText(RowModel row) => row.Next == SameState ? Naming.Same : States[row.Next].Name;

    /// <summary>One line: <c>SYN-SENT × SYN-ACK [AckAcceptable] / SendAck → ESTABLISHED</c>.</summary>
    public string Describe(RowModel row) =>
        $"{StatesText(row)} × {EventsText(row)}{(row.Guard.Count == 0 ? "" : " [" + GuardText(row) + "]")} / {ActionsText(row)} → {NextText(row)}";
}
