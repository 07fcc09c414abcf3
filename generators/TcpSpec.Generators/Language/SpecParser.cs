using System.Text;

namespace TcpSpec.Language;

/// <summary>
/// Stage 1: Markdown text → <see cref="SpecDocument"/>. Finds the pipe tables of a spec file,
/// recognises the declaration tables and the Transitions tables by their header row, and
/// splits each row into names with their line and column. Never throws: every problem
/// becomes a TSPEC001/TSPEC015/TSPEC016 diagnostic.
/// </summary>
public static partial class SpecParser
{
    private static readonly string[] TransitionHeader = { "state", "event", "guard", "actions", "next", "rfc" };

    public static SpecDocument Parse(string path, string? text)
    {
        try
        {
            return new ParsePass(path, text ?? "").Parse();
        }
        catch (Exception ex)
        {
            var diag = SpecRules.Create(SpecRules.InternalError, new SpecLocation(path, 1, 1, 0, 0), ex.GetType().Name + ": " + ex.Message);
            return new SpecDocument(path, MachineNameFromPath(path), EquatableArray<DeclSyntax>.Empty,
                EquatableArray<RowSyntax>.Empty, EquatableArray<string>.Empty, new EquatableArray<SpecDiagnostic>(new[] { diag }));
        }
    }

    /// <summary><c>spec/tcp.spec.md</c> → <c>Tcp</c>; the prefix of the generated type names.</summary>
    public static string MachineNameFromPath(string path)
    {
        var file = path.Replace('\\', '/');
        int slash = file.LastIndexOf('/');
        if (slash >= 0) file = file.Substring(slash + 1);
        int dot = file.IndexOf('.');
        if (dot >= 0) file = file.Substring(0, dot);
        // Any character that cannot be in an identifier separates words: "door(1)" → Door1, "tcp+ext" → TcpExt.
        var id = Naming.ToIdentifier(new string(file.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()));
        return id.TrimStart('@', '_').Length == 0 ? "Spec" : id.TrimStart('@');
    }

    /// <summary>A cell of a table row: its raw text and where it starts.</summary>
    private readonly struct Cell
    {
        public Cell(string raw, string text, int column) { Raw = raw; Text = text.Trim(); Column = column; }

        /// <summary>The cell as written, with each <c>\|</c> as " |" so that offsets match the source.</summary>
        public string Raw { get; }

        /// <summary>0-based column of the first character of <see cref="Raw"/> in its line.</summary>
        public int Column { get; }

        /// <summary>The trimmed text, with each <c>\|</c> unescaped to "|".</summary>
        public string Text { get; }
    }

    /// <summary>One pass over one file's text: its state (lines, tables seen, diagnostics) lives only while it parses.</summary>
    private sealed partial class ParsePass
    {
        private readonly string _path;
        private readonly string _text;
        private readonly List<int> _lineStarts = new();
        private readonly List<string> _lines = new();
        private readonly List<SpecDiagnostic> _diags = new();
        private readonly List<DeclSyntax> _decls = new();
        private readonly List<RowSyntax> _rows = new();
        private readonly List<string> _tables = new();
        private readonly List<PathSyntax> _paths = new();
        private string _section = "";

        public ParsePass(string path, string text)
        {
            _path = path;
            _text = text;
            int start = 0;
            for (int i = 0; i <= text.Length; i++)
            {
                if (i == text.Length || text[i] == '\n')
                {
                    int end = i;
                    if (end > start && text[end - 1] == '\r') end--;
                    _lineStarts.Add(start);
                    _lines.Add(text.Substring(start, end - start));
                    start = i + 1;
                }
            }
        }

        public SpecDocument Parse()
        {
            bool inFence = false;
            string fence = "";
            for (int i = 0; i < _lines.Count; i++)
            {
                string line = _lines[i];
                string trimmed = line.TrimStart();
                if (inFence)
                {
                    if (trimmed.StartsWith(fence, StringComparison.Ordinal)) inFence = false;
                    continue;
                }
                if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
                {
                    inFence = true;
                    fence = trimmed.Substring(0, 3);
                    continue;
                }
                if (trimmed.StartsWith("#", StringComparison.Ordinal))
                {
                    _section = trimmed.TrimStart('#').Trim();
                    continue;
                }
                if (IsTableLine(line))
                {
                    int first = i;
                    while (i + 1 < _lines.Count && IsTableLine(_lines[i + 1])) i++;
                    ParseTable(first, i);
                }
            }

            return new SpecDocument(_path, MachineNameFromPath(_path), _decls.ToEquatableArray(), _rows.ToEquatableArray(),
                _tables.ToEquatableArray(), _diags.ToEquatableArray())
            {
                Paths = _paths.ToEquatableArray(), Deviations = _deviations.ToEquatableArray(), Edits = _edits.ToEquatableArray(),
            };
        }

        private static bool IsTableLine(string line)
        {
            int indent = 0;
            while (indent < line.Length && line[indent] == ' ') indent++;
            return indent <= 3 && indent < line.Length && line[indent] == '|';
        }

        private void ParseTable(int first, int last)
        {
            var header = SplitCells(first);
            var names = header.Select(c => Normalize(c.Text)).ToArray();
            string? kind = ClassifyHeader(names);
            if (kind is null) return; // a prose table: documentation, not machine

            _tables.Add(kind);
            if (first == last || !IsDelimiterRow(_lines[first + 1]))
            {
                Report(SpecRules.Malformed, first, 0, _lines[first].Length, $"The {kind} table's header must be followed by a delimiter row such as |---|---|");
                return;
            }

            int expected = ColumnsOf(kind);
            if (header.Count != expected)
            {
                string want = kind switch
                {
                    "Transitions" => "| state | event | guard | actions | next | RFC |",
                    "Paths" => "| path | states | RFC |",
                    "Deviations" or "Rows" => OverlayHeader(kind),
                    ProfileGuards => "| profile-guard | meaning | RFC |",
                    _ => $"| {kind.ToLowerInvariant().TrimEnd('s')} | meaning | RFC |",
                };
                Report(SpecRules.Malformed, first, 0, _lines[first].Length, $"The {kind} table has {header.Count} columns; expected {want}");
                return;
            }

            for (int i = first + 2; i <= last; i++)
            {
                var cells = SplitCells(i);
                if (cells.Count == 0 || cells.All(c => c.Text.Length == 0)) continue;
                if (cells.Count != expected)
                {
                    Report(SpecRules.Malformed, i, 0, _lines[i].Length, $"Row has {cells.Count} cells; the {kind} table has {expected} columns");
                    continue;
                }
                if (kind == "Transitions") ParseRow(i, cells);
                else if (kind == "Paths") ParsePath(i, cells);
                else if (kind == "Deviations") ParseDeviation(i, cells);
                else if (kind == "Rows") ParseEdit(i, cells);
                else ParseDeclaration(KindOf(kind), i, cells, kind == ProfileGuards);
            }
        }

        /// <summary>Lower-case, no markup, first word only: "RFC ref" → "rfc", "**State**" → "state".</summary>
        private static string Normalize(string header)
        {
            var s = StripMarkup(header).Trim().ToLowerInvariant();
            int space = s.IndexOf(' ');
            return space > 0 ? s.Substring(0, space) : s;
        }

        private static string StripMarkup(string s) => s.Replace("`", "").Replace("**", "");

        private static bool IsDelimiterRow(string line)
        {
            var t = line.Trim();
            if (!t.StartsWith("|", StringComparison.Ordinal)) return false;
            bool dash = false;
            foreach (char c in t)
            {
                if (c == '-') dash = true;
                else if (c != '|' && c != ':' && c != ' ' && c != '\t') return false;
            }
            return dash;
        }

        /// <summary>Splits a pipe-table line into cells, honouring <c>\|</c> escapes.</summary>
        private List<Cell> SplitCells(int lineIndex)
        {
            string line = _lines[lineIndex];
            var cells = new List<Cell>();
            int i = line.IndexOf('|');
            if (i < 0) return cells;
            i++;
            var sb = new StringBuilder();
            var text = new StringBuilder();
            int cellStart = i;
            for (; i < line.Length; i++)
            {
                char c = line[i];
                if (c == '\\' && i + 1 < line.Length && line[i + 1] == '|')
                {
                    sb.Append(' ').Append('|'); // keep columns aligned with the source
                    text.Append('|');
                    i++;
                    continue;
                }
                if (c == '|')
                {
                    cells.Add(new Cell(sb.ToString(), text.ToString(), cellStart));
                    sb.Clear();
                    text.Clear();
                    cellStart = i + 1;
                    continue;
                }
                sb.Append(c);
                text.Append(c);
            }
            if (sb.ToString().Trim().Length > 0) cells.Add(new Cell(sb.ToString(), text.ToString(), cellStart));
            return cells;
        }

        private void ParseDeclaration(DeclKind kind, int lineIndex, List<Cell> cells, bool forProfiles)
        {
            var nameCell = cells[0];
            var (name, column) = CleanName(nameCell.Raw, nameCell.Column);
            var loc = Loc(lineIndex, column, Math.Max(1, name.Length));
            if (name.Length == 0)
            {
                _diags.Add(SpecRules.Create(SpecRules.Malformed, loc, $"A {kind.ToString().ToLowerInvariant()} declaration needs a name"));
                return;
            }
            string why;
            bool ok = kind is DeclKind.State or DeclKind.Event
                ? Naming.IsValidTableName(name, out why)
                : Naming.IsValidIdentifier(name, out why);
            if (!ok)
            {
                _diags.Add(SpecRules.Create(SpecRules.BadName, loc, name, kind.ToString().ToLowerInvariant(), why));
                return;
            }
            string rfc = cells[2].Text;
            if (rfc.Length == 0 || IsDash(rfc))
            {
                _diags.Add(SpecRules.Create(SpecRules.MissingRfc, Loc(lineIndex, cells[2].Column, 1)));
            }
            _decls.Add(new DeclSyntax(kind, name, cells[1].Text, rfc, loc, forProfiles));
        }

        private void ParsePath(int lineIndex, List<Cell> cells)
        {
            var (name, column) = CleanName(cells[0].Raw, cells[0].Column);
            var loc = Loc(lineIndex, column, Math.Max(1, name.Length));
            if (!Naming.IsValidTableName(name, out var why))
            {
                _diags.Add(SpecRules.Create(SpecRules.BadName, loc, name, "path", why));
                return;
            }
            bool ok = true;
            var states = SplitNames(lineIndex, cells[1], "states", ref ok);
            if (!ok) return;
            if (states.Count < 2)
            {
                _diags.Add(SpecRules.Create(SpecRules.Malformed, loc, $"The path '{name}' needs at least two states"));
                return;
            }
            string rfc = cells[2].Text;
            if (rfc.Length == 0 || IsDash(rfc)) _diags.Add(SpecRules.Create(SpecRules.MissingRfc, Loc(lineIndex, cells[2].Column, 1)));
            _paths.Add(new PathSyntax(name, states.ToEquatableArray(), rfc, loc));
        }

        private void ParseRow(int lineIndex, List<Cell> cells)
        {
            if (RowOf(lineIndex, cells, _rows.Count + 1) is { } row) _rows.Add(row);
        }

        /// <summary>A transition row from its six cells (state, event, guard, actions, next, RFC); null if it is malformed.</summary>
        private RowSyntax? RowOf(int lineIndex, List<Cell> cells, int ordinal)
        {
            bool ok = true;
            var states = SplitNames(lineIndex, cells[0], "state", ref ok);
            var events = SplitNames(lineIndex, cells[1], "event", ref ok);
            var guard = ParseGuard(lineIndex, cells[2], ref ok);
            var actions = IsDash(StripMarkup(cells[3].Text)) ? new List<NameRef>() : SplitNames(lineIndex, cells[3], "action", ref ok);

            var (nextName, nextCol) = CleanName(cells[4].Raw, cells[4].Column);
            var nextLoc = Loc(lineIndex, nextCol, Math.Max(1, nextName.Length));
            NameRef? next = null;
            if (nextName.Length == 0)
            {
                _diags.Add(SpecRules.Create(SpecRules.Malformed, nextLoc, "The next-state cell is empty: name a state, or write 'same'"));
                ok = false;
            }
            else if (!string.Equals(nextName, Naming.Same, StringComparison.OrdinalIgnoreCase))
            {
                next = new NameRef(nextName, nextLoc);
            }

            string rfc = cells[5].Text;
            if (rfc.Length == 0 || IsDash(rfc))
            {
                _diags.Add(SpecRules.Create(SpecRules.MissingRfc, Loc(lineIndex, cells[5].Column, 1)));
            }

            if (states.Any(s => s.Name == Naming.AnyState) && states.Count > 1)
            {
                _diags.Add(SpecRules.Create(SpecRules.Malformed, states[0].Location, "'*' stands alone in the state cell"));
                ok = false;
            }

            if (!ok) return null;
            var rowLoc = Loc(lineIndex, cells[0].Column + LeadingSpaces(cells[0].Raw), Math.Max(1, cells[0].Text.Length));
            return new RowSyntax(ordinal, rowLoc, states.ToEquatableArray(), events.ToEquatableArray(),
                guard.ToEquatableArray(), actions.ToEquatableArray(), next, nextLoc, rfc, _section);
        }

        private List<NameRef> SplitNames(int lineIndex, Cell cell, string what, ref bool ok)
        {
            var result = new List<NameRef>();
            int offset = 0;
            foreach (var part in cell.Raw.Split(','))
            {
                var (name, col) = CleanName(part, cell.Column + offset);
                offset += part.Length + 1;
                if (name.Length == 0)
                {
                    _diags.Add(SpecRules.Create(SpecRules.Malformed, Loc(lineIndex, cell.Column + LeadingSpaces(cell.Raw), 1),
                        $"The {what} cell has an empty name" + (cell.Text.Length == 0 ? "" : $" in '{cell.Text}'")));
                    ok = false;
                    continue;
                }
                result.Add(new NameRef(name, Loc(lineIndex, col, name.Length)));
            }
            return result;
        }

        /// <summary>Guard syntax: empty or '—' (always), or terms joined by '&amp;' or 'and', each optionally negated by '!' or 'not'.</summary>
        private List<GuardTerm> ParseGuard(int lineIndex, Cell cell, ref bool ok)
        {
            var terms = new List<GuardTerm>();
            string raw = cell.Raw.Replace("`", " ").Replace("**", "  ");
            if (IsDash(raw.Trim())) return terms;

            // Replace the word "and" by '&' without moving columns.
            var chars = raw.ToCharArray();
            for (int i = 0; i + 3 <= chars.Length; i++)
            {
                bool wordStart = i == 0 || chars[i - 1] == ' ';
                bool wordEnd = i + 3 == chars.Length || chars[i + 3] == ' ';
                if (wordStart && wordEnd && string.Equals(new string(chars, i, 3), "and", StringComparison.OrdinalIgnoreCase))
                {
                    chars[i] = '&'; chars[i + 1] = ' '; chars[i + 2] = ' ';
                }
            }
            raw = new string(chars);

            int offset = 0;
            foreach (var part in raw.Split('&'))
            {
                int col = cell.Column + offset + LeadingSpaces(part);
                offset += part.Length + 1;
                string t = part.Trim();
                bool negated = false;
                if (t.StartsWith("!", StringComparison.Ordinal))
                {
                    negated = true;
                    int skip = 1 + LeadingSpaces(t.Substring(1));
                    t = t.Substring(skip);
                    col += skip;
                }
                else if (t.StartsWith("not ", StringComparison.OrdinalIgnoreCase))
                {
                    negated = true;
                    int skip = 4 + LeadingSpaces(t.Substring(4));
                    t = t.Substring(skip);
                    col += skip;
                }
                var loc = Loc(lineIndex, col, Math.Max(1, t.Length));
                if (t.Length == 0)
                {
                    _diags.Add(SpecRules.Create(SpecRules.Malformed, loc, $"The guard '{cell.Text}' has an empty term"));
                    ok = false;
                    continue;
                }
                if (!Naming.IsValidIdentifier(t, out var why))
                {
                    _diags.Add(SpecRules.Create(SpecRules.BadName, loc, t, "guard", why));
                    ok = false;
                    continue;
                }
                terms.Add(new GuardTerm(t, negated, loc));
            }
            return terms;
        }

        /// <summary>Trims a name and strips Markdown code/bold markup; returns the 0-based column of its first character.</summary>
        private static (string Name, int Column) CleanName(string raw, int column)
        {
            int lead = 0;
            while (lead < raw.Length && (raw[lead] == ' ' || raw[lead] == '\t' || raw[lead] == '`' || raw[lead] == '*' && raw.Trim() != "*")) lead++;
            string name = StripMarkup(raw).Trim();
            return (name, column + lead);
        }

        private static int LeadingSpaces(string s)
        {
            int n = 0;
            while (n < s.Length && (s[n] == ' ' || s[n] == '\t')) n++;
            return n;
        }

        private static bool IsDash(string s) => s.Length == 0 || s == "-" || s == "—" || s == "–";

        private SpecLocation Loc(int lineIndex, int column0, int length) =>
            new(_path, lineIndex + 1, column0 + 1, _lineStarts[lineIndex] + column0, length);

        private void Report(SpecRule rule, int lineIndex, int column0, int length, string message) =>
            _diags.Add(SpecRules.Create(rule, Loc(lineIndex, column0, Math.Max(1, length)), message));
    }
}
