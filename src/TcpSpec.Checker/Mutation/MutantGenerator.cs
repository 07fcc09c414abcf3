using TcpSpec.Language;

namespace TcpSpec.Checker.Mutation;

/// <summary>
/// Every single-edit mutant of a table (issue 11), as text edits of its Transitions rows, read
/// from the table as the Language parser and analyzer (shared with the source generator) see it:
/// <list type="bullet">
/// <item><c>remove-term</c>: drop one guard term (the guard becomes '—' when it was the only one).</item>
/// <item><c>negate-term</c>: <c>G</c> ↔ <c>!G</c> for one term.</item>
/// <item><c>remove-action</c>: drop one action (the actions become '—' when it was the only one).</item>
/// <item><c>replace-action</c>: one action by each other declared action of its <see cref="ActionKinds">kind</see>.</item>
/// <item><c>change-next</c>: a row's next state to each other declared state (rows that say <c>same</c> have none).</item>
/// <item><c>delete-row</c>: delete the row.</item>
/// <item><c>move-row</c>: move the row's line above the row tried just before it in one of its cells.</item>
/// </list>
/// Mutants are numbered from 1 by row, then by operator in this order.
/// </summary>
public static class MutantGenerator
{
    public static readonly IReadOnlyList<string> Operators =
        ["remove-term", "negate-term", "remove-action", "replace-action", "change-next", "delete-row", "move-row"];

    private const int GuardCell = 2;
    private const int ActionsCell = 3;

    public static IReadOnlyList<Mutant> Generate(string path, string text, IReadOnlyCollection<string>? operators = null)
    {
        var doc = SpecParser.Parse(path, text);
        var ops = operators ?? Operators;
        var states = doc.Declarations.Where(d => d.Kind == DeclKind.State).Select(d => d.Name).ToList();
        var actions = doc.Declarations.Where(d => d.Kind == DeclKind.Action).Select(d => d.Name).ToList();
        var previous = ops.Contains("move-row") ? PreviousInCell(path, text) : new Dictionary<int, int>();
        var rowsByLine = doc.Rows.ToDictionary(r => r.Location.Line);
        var result = new List<Mutant>();

        void Add(string op, SpecLocation where, string description, int start, int length, string replacement, int rowLine, int insertAt = -1) =>
            result.Add(new Mutant(result.Count + 1, op, where, description, start, length, replacement) { RowLine = rowLine, InsertAt = insertAt });

        foreach (var row in doc.Rows)
        {
            int line = row.Location.Line;
            string cell = $"{string.Join(",", row.States.Select(s => s.Name))} × {string.Join(",", row.Events.Select(e => e.Name))}";
            int lineStart = LineStart(text, row.Location.Start);
            var cells = CellSpans(text, lineStart);
            var terms = row.Guard.ToList();
            var acts = row.Actions.ToList();

            if (ops.Contains("remove-term") && cells.Count > GuardCell)
            {
                for (int i = 0; i < terms.Count; i++)
                {
                    var rest = terms.Where((_, j) => j != i).Select(t => t.ToString()).ToList();
                    var (s, l) = cells[GuardCell];
                    Add("remove-term", terms[i].Location, $"remove guard term '{terms[i]}' from {cell}", s, l, Cell(rest.Count == 0 ? "—" : string.Join(" & ", rest)), line);
                }
            }
            if (ops.Contains("negate-term") && cells.Count > GuardCell)
            {
                for (int i = 0; i < terms.Count; i++)
                {
                    var flipped = terms.Select((t, j) => j == i ? t with { Negated = !t.Negated } : t).Select(t => t.ToString());
                    var (s, l) = cells[GuardCell];
                    Add("negate-term", terms[i].Location, $"negate guard term '{terms[i]}' → '{terms[i] with { Negated = !terms[i].Negated }}' in {cell}", s, l, Cell(string.Join(" & ", flipped)), line);
                }
            }
            if (ops.Contains("remove-action") && cells.Count > ActionsCell)
            {
                for (int i = 0; i < acts.Count; i++)
                {
                    var rest = acts.Where((_, j) => j != i).Select(a => a.Name).ToList();
                    var (s, l) = cells[ActionsCell];
                    Add("remove-action", acts[i].Location, $"remove action '{acts[i].Name}' from {cell}", s, l, Cell(rest.Count == 0 ? "—" : string.Join(", ", rest)), line);
                }
            }
            if (ops.Contains("replace-action") && cells.Count > ActionsCell)
            {
                for (int i = 0; i < acts.Count; i++)
                {
                    var kind = ActionKinds.Of(acts[i].Name);
                    if (kind is null) continue;
                    foreach (var other in actions.Where(a => a != acts[i].Name && ActionKinds.Of(a) == kind && acts.All(x => x.Name != a)))
                    {
                        var replaced = acts.Select((a, j) => j == i ? other : a.Name);
                        var (s, l) = cells[ActionsCell];
                        Add("replace-action", acts[i].Location, $"replace action '{acts[i].Name}' by '{other}' in {cell}", s, l, Cell(string.Join(", ", replaced)), line);
                    }
                }
            }
            if (ops.Contains("change-next") && row.Next is { } next)
            {
                foreach (var s in states.Where(s => s != next.Name))
                    Add("change-next", next.Location, $"next state '{next.Name}' → '{s}' in {cell}", next.Location.Start, next.Location.Length, s, line);
            }
            if (ops.Contains("delete-row"))
            {
                int lineEnd = LineEnd(text, lineStart);
                Add("delete-row", row.Location, $"delete row of {cell}", lineStart, lineEnd - lineStart, "", line);
            }
            if (ops.Contains("move-row") && previous.TryGetValue(line, out int prevLine) && rowsByLine.TryGetValue(prevLine, out var prev))
            {
                int lineEnd = LineEnd(text, lineStart);
                int insertAt = LineStart(text, prev.Location.Start);
                Add("move-row", row.Location, $"move row of {cell} above the row at line {prevLine}", lineStart, lineEnd - lineStart, "", line, insertAt);
            }
        }
        return result;
    }

    private static string Cell(string content) => " " + content + " ";

    /// <summary>
    /// For each row (by line), the line of the row tried just before it in the first (state,
    /// event) cell where one is, from the analysed cells; only rows written above it (a move
    /// up the text).
    /// </summary>
    private static Dictionary<int, int> PreviousInCell(string path, string text)
    {
        var model = SpecAnalyzer.Compile(path, text);
        var result = new Dictionary<int, int>();
        foreach (var cell in model.Cells)
        {
            for (int i = 1; i < cell.Rows.Count; i++)
            {
                var row = model.Row(cell.Rows[i]);
                var prev = model.Row(cell.Rows[i - 1]);
                if (prev.Line < row.Line && !result.ContainsKey(row.Line)) result[row.Line] = prev.Line;
            }
        }
        return result;
    }

    /// <summary>The (offset, length) of each cell's text between the pipes of the table line starting at <paramref name="lineStart"/>.</summary>
    private static List<(int Start, int Length)> CellSpans(string text, int lineStart)
    {
        int end = text.IndexOf('\n', lineStart);
        if (end < 0) end = text.Length;
        if (end > lineStart && text[end - 1] == '\r') end--;
        var pipes = new List<int>();
        for (int i = lineStart; i < end; i++)
            if (text[i] == '|') pipes.Add(i);
        var spans = new List<(int, int)>();
        for (int k = 0; k + 1 < pipes.Count; k++) spans.Add((pipes[k] + 1, pipes[k + 1] - pipes[k] - 1));
        return spans;
    }

    private static int LineStart(string text, int offset)
    {
        int i = text.LastIndexOf('\n', Math.Max(0, offset - 1));
        return i < 0 ? 0 : i + 1;
    }

    private static int LineEnd(string text, int lineStart)
    {
        int lineEnd = text.IndexOf('\n', lineStart);
        return lineEnd < 0 ? text.Length : lineEnd + 1;
    }
}
