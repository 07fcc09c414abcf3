namespace TcpSpec.Language;

public enum SpecSeverity
{
    Warning,
    Error,
}

/// <summary>A place in a spec file. Line and column are 1-based; Start is the 0-based character offset.</summary>
public sealed record SpecLocation(string Path, int Line, int Column, int Start, int Length)
{
    public override string ToString() => $"{Path}({Line},{Column})";
}

/// <summary>One descriptor of the table below: stable ID, severity, title and message format.</summary>
public sealed record SpecRule(string Id, SpecSeverity Severity, string Title, string MessageFormat, string Help);

/// <summary>A problem found in a spec file, as plain data (no Roslyn types) so models stay value-equal.</summary>
public sealed record SpecDiagnostic(string Id, SpecSeverity Severity, string Message, SpecLocation Location)
{
    /// <summary>The MSBuild-style rendering: <c>spec/tcp.spec.md(42,3): error TSPEC003: ...</c>.</summary>
    public override string ToString() =>
        $"{Location}: {(Severity == SpecSeverity.Error ? "error" : "warning")} {Id}: {Message}";
}

/// <summary>
/// The one descriptor table. IDs are stable: never renumber, only append. The README lists them.
/// </summary>
public static class SpecRules
{
    public static readonly SpecRule InternalError = new("TSPEC000", SpecSeverity.Error,
        "Internal error", "The spec compiler failed unexpectedly: {0}",
        "A bug in TcpSpec, not in the table. The build continues without generated code; please report it.");

    public static readonly SpecRule Malformed = new("TSPEC001", SpecSeverity.Error,
        "Malformed table or row", "{0}",
        "A table header, delimiter or row does not have the expected shape (wrong column count, missing name, bad guard syntax).");

    public static readonly SpecRule UnknownState = new("TSPEC002", SpecSeverity.Error,
        "Unknown state", "Unknown state '{0}'{1}: declare it in the States table",
        "A transition names a state (in `state` or `next`) that the States table does not declare.");

    public static readonly SpecRule UnknownEvent = new("TSPEC003", SpecSeverity.Error,
        "Unknown event", "Unknown event '{0}'{1}: declare it in the Events table",
        "A transition names an event that the Events table does not declare.");

    public static readonly SpecRule UnknownGuard = new("TSPEC004", SpecSeverity.Error,
        "Unknown guard", "Unknown guard '{0}'{1}: declare it in the Guards table",
        "A transition's guard names a predicate that the Guards table does not declare.");

    public static readonly SpecRule UnknownAction = new("TSPEC005", SpecSeverity.Error,
        "Unknown action", "Unknown action '{0}'{1}: declare it in the Actions table",
        "A transition names an action that the Actions table does not declare.");

    public static readonly SpecRule DuplicateDeclaration = new("TSPEC006", SpecSeverity.Error,
        "Duplicate declaration", "{0} '{1}' is declared more than once (first at line {2})",
        "A state, event, guard or action is declared twice, or two names map to the same C# identifier.");

    public static readonly SpecRule DuplicateRow = new("TSPEC007", SpecSeverity.Error,
        "Duplicate row", "Duplicate row for ({0}, {1}) with guard '{2}': the row at line {3} already has it",
        "Two rows have the same state, event and guard.");

    public static readonly SpecRule ShadowedRow = new("TSPEC008", SpecSeverity.Error,
        "Row can never fire", "Row can never fire for ({0}, {1}): the earlier row(s) at line {2} already decide every case its guard admits",
        "Rows of a cell are tried top to bottom; this row's guard only admits cases that earlier rows already take.");

    public static readonly SpecRule UndecidedCell = new("TSPEC009", SpecSeverity.Error,
        "Undecided cell", "({0}, {1}) is undecided{2}: add a row for it, or an explicit ignore/drop row",
        "Every (state, event) pair must be decided for every guard outcome, by a specific row or a `*` row.");

    public static readonly SpecRule UnreachableState = new("TSPEC010", SpecSeverity.Error,
        "Unreachable state", "State '{0}' is unreachable from the initial state '{1}'",
        "No chain of transitions leads from the initial (first declared) state to this state.");

    public static readonly SpecRule NoPathHome = new("TSPEC011", SpecSeverity.Error,
        "No path to the initial state", "State '{0}' has no path back to '{1}'",
        "A connection in this state could never be closed: no chain of transitions leads to the initial state.");

    public static readonly SpecRule UnusedGuard = new("TSPEC012", SpecSeverity.Warning,
        "Unused guard", "Guard '{0}' is declared but no row uses it",
        "A declared guard that no transition uses.");

    public static readonly SpecRule UnusedAction = new("TSPEC013", SpecSeverity.Warning,
        "Unused action", "Action '{0}' is declared but no row uses it",
        "A declared action that no transition uses.");

    public static readonly SpecRule MissingTable = new("TSPEC014", SpecSeverity.Error,
        "Missing table", "The spec has no {0} table",
        "A spec needs a States, an Events and a Transitions table (Guards and Actions may be empty).");

    public static readonly SpecRule MissingRfc = new("TSPEC015", SpecSeverity.Error,
        "Missing RFC reference", "Every row and declaration cites its RFC section: the RFC cell is empty",
        "The RFC column of a transition or declaration is empty.");

    public static readonly SpecRule BadName = new("TSPEC016", SpecSeverity.Error,
        "Invalid name", "'{0}' is not a valid {1} name: {2}",
        "State and event names use letters, digits, '-' and '_'; guard and action names are C# identifiers; 'same' and '*' are reserved.");

    public static readonly SpecRule NoImplementation = new("TSPEC017", SpecSeverity.Error,
        "No implementation in the runtime", "{0} '{1}' has no implementation in the runtime (it knows: {2})",
        "Reported when the interpreted engine loads a table (tcpspec check/table --spec): an edited table can recombine the runtime's guards, actions and events, not invent new ones.");

    public static readonly SpecRule NoRowToReplace = new("TSPEC018", SpecSeverity.Error,
        "No row to replace", "Nothing to replace: the base table has no row for ({0}, {1}) with guard '{2}'",
        "A profile overlay's `replace` row stands in for the base table's row with the same (state, event, guard) in each cell it names; there is none (write `add` for a new row).");

    public static readonly SpecRule UndeclaredDeviation = new("TSPEC019", SpecSeverity.Error,
        "Undeclared deviation", "Unknown deviation '{0}': declare it in the overlay's Deviations table",
        "Every row of a profile overlay names the deviation it belongs to, declared in the overlay's Deviations table.");

    public static readonly SpecRule HidesBaseRow = new("TSPEC020", SpecSeverity.Error,
        "Overlay row hides a base row", "This row hides the base table's row at {0} for ({1}, {2}): that row can never fire after the merge; replace it instead",
        "A profile overlay's `add` row is tried before the base rows of its cells; here it takes every case of a base row, which is what `replace` is for.");

    public static readonly SpecRule UnusedDeviation = new("TSPEC021", SpecSeverity.Error,
        "Deviation that changes nothing", "Deviation '{0}' changes nothing: no row names it and it names no observer relaxation",
        "A deviation of a profile overlay is modelled by the rows that name it, or by the observer relaxation in its `observer` cell.");

    public static readonly SpecRule UnknownRelaxation = new("TSPEC022", SpecSeverity.Error,
        "Unknown observer relaxation", "Unknown observer relaxation '{0}' (the observer knows: {1})",
        "Reported when a profile is loaded (tcpspec conform/pkt --profile): a deviation's `observer` cell names what the conformance observer allows beyond the rows.");

    public static readonly IReadOnlyList<SpecRule> All = new[]
    {
        InternalError, Malformed, UnknownState, UnknownEvent, UnknownGuard, UnknownAction,
        DuplicateDeclaration, DuplicateRow, ShadowedRow, UndecidedCell, UnreachableState,
        NoPathHome, UnusedGuard, UnusedAction, MissingTable, MissingRfc, BadName, NoImplementation,
        NoRowToReplace, UndeclaredDeviation, HidesBaseRow, UnusedDeviation, UnknownRelaxation,
    };

    public static SpecDiagnostic Create(SpecRule rule, SpecLocation location, params object[] args) =>
        new(rule.Id, rule.Severity, args.Length == 0 ? rule.MessageFormat : string.Format(rule.MessageFormat, args), location);
}
