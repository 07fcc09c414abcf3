namespace TcpSpec.Language;

/// <summary>Which declaration table an entry comes from.</summary>
public enum DeclKind
{
    State,
    Event,
    Guard,
    Action,
}

/// <summary>A name as written in the table, with where it was written.</summary>
public sealed record NameRef(string Name, SpecLocation Location);

/// <summary>One conjunct of a guard: <c>Name</c> or <c>!Name</c>.</summary>
public sealed record GuardTerm(string Name, bool Negated, SpecLocation Location)
{
    public override string ToString() => Negated ? "!" + Name : Name;
}

/// <summary>
/// A row of a declaration table: name | meaning | RFC. <paramref name="ForProfiles"/>: declared in a
/// <c>| profile-guard | meaning | RFC |</c> table, for profile overlays' rows; the table's own rows
/// need not use it (no TSPEC012).
/// </summary>
public sealed record DeclSyntax(DeclKind Kind, string Name, string Meaning, string Rfc, SpecLocation Location, bool ForProfiles = false);

/// <summary>
/// A row of a Transitions table: state | event | guard | actions | next | RFC, as written.
/// <see cref="Next"/> is null when the row says <c>same</c>.
/// </summary>
public sealed record RowSyntax(
    int Ordinal,
    SpecLocation Location,
    EquatableArray<NameRef> States,
    EquatableArray<NameRef> Events,
    EquatableArray<GuardTerm> Guard,
    EquatableArray<NameRef> Actions,
    NameRef? Next,
    SpecLocation NextLocation,
    string Rfc,
    string Section)
{
    /// <summary>In a profile overlay's Rows table: <c>replace</c> or <c>add</c>; null in a table's own Transitions.</summary>
    public RowEditKind? Edit { get; init; }

    /// <summary>In a profile overlay: the deviation the row belongs to (its <c>deviation</c> cell).</summary>
    public NameRef? Deviation { get; init; }

    /// <summary>After a merge: the line of the base table's row this row stands beside (0: none).</summary>
    public int BaseLine { get; init; }
}

/// <summary>What an overlay row does to the base table's rows with its (state, event, guard) key.</summary>
public enum RowEditKind
{
    /// <summary>Stands in for the base row with the same key, in each (state, event) cell the row names.</summary>
    Replace,

    /// <summary>A new row, tried before the base rows of each cell it names.</summary>
    Add,
}

/// <summary>
/// A row of a profile overlay's Deviations table: id | observer | what the stack does | where in
/// its source | what RFC 9293 says instead. <see cref="Observer"/> is null (<c>—</c>) when rows
/// model the deviation, else the name of the observer relaxation it needs.
/// </summary>
public sealed record DeviationSyntax(string Id, NameRef? Observer, string What, string Where, string Rfc, SpecLocation Location)
{
    /// <summary>One line: what, then where and the RFC in parentheses.</summary>
    public string Description => $"{What} ({Where}; {Rfc})";
}

/// <summary>
/// A row of the optional Paths table: a named sequence of states that is a usual way through
/// the machine (the client's and the server's paths of RFC 9293 Figure 5). Only the docs use it.
/// </summary>
public sealed record PathSyntax(string Name, EquatableArray<NameRef> States, string Rfc, SpecLocation Location);

/// <summary>What the parser makes of a spec file: its tables and the problems found in their shape.</summary>
public sealed record SpecDocument(
    string Path,
    string MachineName,
    EquatableArray<DeclSyntax> Declarations,
    EquatableArray<RowSyntax> Rows,
    EquatableArray<string> TablesFound,
    EquatableArray<SpecDiagnostic> Diagnostics)
{
    /// <summary>The optional Paths table's rows.</summary>
    public EquatableArray<PathSyntax> Paths { get; init; } = EquatableArray<PathSyntax>.Empty;

    /// <summary>A profile overlay's Deviations table.</summary>
    public EquatableArray<DeviationSyntax> Deviations { get; init; } = EquatableArray<DeviationSyntax>.Empty;

    /// <summary>A profile overlay's Rows table: edits of a base table's rows (see <see cref="SpecOverlay"/>).</summary>
    public EquatableArray<RowSyntax> Edits { get; init; } = EquatableArray<RowSyntax>.Empty;
}
