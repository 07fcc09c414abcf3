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

/// <summary>A row of a declaration table: name | meaning | RFC.</summary>
public sealed record DeclSyntax(DeclKind Kind, string Name, string Meaning, string Rfc, SpecLocation Location);

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
    string Section);

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
}
