namespace TcpSpec.Language;

/// <summary>
/// Stage 2: <see cref="SpecDocument"/> → <see cref="MachineModel"/>. Resolves names, expands
/// <c>*</c> rows, and proves the table well-formed: every cell decided for every guard outcome,
/// no row shadowed by earlier ones, every state reachable from the initial state and able to
/// return to it. Owns every diagnostic after parsing. Never throws.
/// </summary>
public static class SpecAnalyzer
{
    /// <summary>More distinct guards in one cell than this and the truth table is not enumerated.</summary>
    private const int MaxGuardsPerCell = 12;

    public static MachineModel Analyze(SpecDocument doc)
    {
        try
        {
            return new AnalysisPass(doc).Analyze();
        }
        catch (Exception ex)
        {
            var diags = doc.Diagnostics.ToList();
            diags.Add(SpecRules.Create(SpecRules.InternalError, new SpecLocation(doc.Path, 1, 1, 0, 0), ex.GetType().Name + ": " + ex.Message));
            return Empty(doc, diags);
        }
    }

    /// <summary>Parse and analyse in one call: what the runtime's interpreter and the CLI use.</summary>
    public static MachineModel Compile(string path, string? text) => Analyze(SpecParser.Parse(path, text));

    /// <summary>A table merged with a profile overlay (<see cref="SpecOverlay"/>), then analysed: the merged document and its model.</summary>
    public static (SpecDocument Merged, MachineModel Model) Compile(string path, string? text, string overlayPath, string? overlayText)
    {
        var merged = SpecOverlay.Merge(SpecParser.Parse(path, text), SpecParser.Parse(overlayPath, overlayText));
        return (merged, Analyze(merged));
    }

    private static MachineModel Empty(SpecDocument doc, List<SpecDiagnostic> diags) =>
        new(doc.Path, doc.MachineName, EquatableArray<DeclModel>.Empty, EquatableArray<DeclModel>.Empty,
            EquatableArray<DeclModel>.Empty, EquatableArray<DeclModel>.Empty, EquatableArray<RowModel>.Empty,
            EquatableArray<CellModel>.Empty, diags.ToEquatableArray());

    /// <summary>One analysis of one document: its state (name indices, diagnostics) lives only while it analyses.</summary>
    private sealed class AnalysisPass
    {
        private readonly SpecDocument _doc;
        private readonly List<SpecDiagnostic> _diags;
        private readonly Dictionary<DeclKind, List<DeclSyntax>> _decls = new();
        private readonly Dictionary<DeclKind, Dictionary<string, int>> _index = new();
        private readonly List<RowSyntax> _syntax = new();
        private bool _unresolved;

        public AnalysisPass(SpecDocument doc)
        {
            _doc = doc;
            _diags = doc.Diagnostics.ToList();
            foreach (DeclKind k in Enum.GetValues(typeof(DeclKind)))
            {
                _decls[k] = new List<DeclSyntax>();
                _index[k] = new Dictionary<string, int>(StringComparer.Ordinal);
            }
        }

        public MachineModel Analyze()
        {
            var docStart = new SpecLocation(_doc.Path, 1, 1, 0, 1);
            foreach (var table in new[] { "States", "Events", "Transitions" })
            {
                if (!_doc.TablesFound.Contains(table)) _diags.Add(SpecRules.Create(SpecRules.MissingTable, docStart, table));
            }

            DeclareAll();
            var rows = ResolveRows();
            var states = Models(DeclKind.State);
            var events = Models(DeclKind.Event);
            var cells = BuildCells(rows, states.Count, events.Count);
            var paths = _doc.Paths.Select(p => new PathModel(p.Name, Resolve(DeclKind.State, p.States, SpecRules.UnknownState).ToEquatableArray(), p.Rfc))
                .Where(p => p.States.Count >= 2).ToList();

            // A row the parser dropped (malformed, or with an invalid name) or that failed to resolve is
            // missing from the model: whole-table checks would report its absence as unrelated errors.
            bool incomplete = _unresolved || _diags.Any(d => d.Id == SpecRules.Malformed.Id || d.Id == SpecRules.BadName.Id);
            bool structural = !incomplete && states.Count > 0;
            var live = CheckCells(rows, cells, states, events, structural);
            if (structural) CheckGraph(rows, cells, states, events.Count, live);
            CheckUnused(rows, incomplete);

            return new MachineModel(_doc.Path, _doc.MachineName, states.ToEquatableArray(), events.ToEquatableArray(),
                Models(DeclKind.Guard).ToEquatableArray(), Models(DeclKind.Action).ToEquatableArray(),
                rows.ToEquatableArray(), cells.ToEquatableArray(), Sorted(_diags).ToEquatableArray()) { Paths = paths.ToEquatableArray() };
        }

        private IEnumerable<SpecDiagnostic> Sorted(List<SpecDiagnostic> diags) =>
            diags.Select((d, i) => (d, i))
                .OrderBy(x => x.d.Location.Path == _doc.Path ? 0 : 1).ThenBy(x => x.d.Location.Line).ThenBy(x => x.d.Location.Column).ThenBy(x => x.i)
                .Select(x => x.d)
                .Distinct();

        private void DeclareAll()
        {
            var identifiers = new Dictionary<(DeclKind, string), DeclSyntax>();
            foreach (var d in _doc.Declarations)
            {
                var ident = Naming.ToIdentifier(d.Name);
                if (_index[d.Kind].TryGetValue(d.Name, out var existing))
                {
                    _diags.Add(SpecRules.Create(SpecRules.DuplicateDeclaration, d.Location, d.Kind, d.Name, _decls[d.Kind][existing].Location.Line));
                    continue;
                }
                // Guards and actions are both methods of the machine class: they share one set of identifiers.
                var space = d.Kind == DeclKind.Action ? DeclKind.Guard : d.Kind;
                if (identifiers.TryGetValue((space, ident), out var clash))
                {
                    string also = clash.Kind == d.Kind ? "" : $", as {clash.Kind.ToString().ToLowerInvariant()} '{clash.Name}'";
                    _diags.Add(SpecRules.Create(SpecRules.DuplicateDeclaration, d.Location, d.Kind, d.Name + " (C# name " + ident + also + ")", clash.Location.Line));
                    continue;
                }
                identifiers[(space, ident)] = d;
                _index[d.Kind][d.Name] = _decls[d.Kind].Count;
                _decls[d.Kind].Add(d);
            }
        }

        private List<DeclModel> Models(DeclKind kind) =>
            _decls[kind].Select(d => new DeclModel(d.Name, Naming.ToIdentifier(d.Name), d.Meaning, d.Rfc, d.Location.Line)).ToList();

        private List<RowModel> ResolveRows()
        {
            var rows = new List<RowModel>();
            foreach (var r in _doc.Rows)
            {
                bool any = r.States.Count == 1 && r.States[0].Name == Naming.AnyState;
                var states = any ? new List<int>() : Resolve(DeclKind.State, r.States, SpecRules.UnknownState);
                var events = Resolve(DeclKind.Event, r.Events, SpecRules.UnknownEvent);
                var guard = new List<GuardTermModel>();
                foreach (var t in r.Guard)
                {
                    if (_index[DeclKind.Guard].TryGetValue(t.Name, out var g)) guard.Add(new GuardTermModel(g, t.Negated));
                    else Unknown(SpecRules.UnknownGuard, t.Name, t.Location, DeclKind.Guard);
                }
                var actions = Resolve(DeclKind.Action, r.Actions, SpecRules.UnknownAction);
                int next = MachineModel.SameState;
                bool nextOk = true;
                if (r.Next is not null)
                {
                    if (_index[DeclKind.State].TryGetValue(r.Next.Name, out var n)) next = n;
                    else { Unknown(SpecRules.UnknownState, r.Next.Name, r.Next.Location, DeclKind.State); nextOk = false; }
                }

                bool complete = (any || states.Count == r.States.Count) && events.Count == r.Events.Count
                    && guard.Count == r.Guard.Count && actions.Count == r.Actions.Count && nextOk;
                if (!complete) continue;
                _syntax.Add(r);
                rows.Add(new RowModel(rows.Count + 1, r.Location.Line, r.Location.Column, any, states.ToEquatableArray(),
                    events.ToEquatableArray(), guard.ToEquatableArray(), actions.ToEquatableArray(), next, r.Rfc, r.Section));
            }
            return rows;
        }

        private List<int> Resolve(DeclKind kind, EquatableArray<NameRef> names, SpecRule unknown)
        {
            var result = new List<int>();
            foreach (var n in names)
            {
                if (_index[kind].TryGetValue(n.Name, out var i)) result.Add(i);
                else Unknown(unknown, n.Name, n.Location, kind);
            }
            return result;
        }

        private void Unknown(SpecRule rule, string name, SpecLocation location, DeclKind kind)
        {
            _unresolved = true;
            _diags.Add(SpecRules.Create(rule, location, name, Suggestions.DidYouMean(name, _index[kind].Keys)));
        }

        private static List<CellModel> BuildCells(List<RowModel> rows, int stateCount, int eventCount)
        {
            var cells = new List<CellModel>(stateCount * eventCount);
            for (int s = 0; s < stateCount; s++)
            {
                for (int e = 0; e < eventCount; e++)
                {
                    var specific = rows.Where(r => !r.AnyState && r.States.Contains(s) && r.Events.Contains(e)).Select(r => r.Id).ToList();
                    bool fromAny = specific.Count == 0;
                    var ids = fromAny ? rows.Where(r => r.AnyState && r.Events.Contains(e)).Select(r => r.Id).ToList() : specific;
                    cells.Add(new CellModel(s, e, ids.ToEquatableArray(), fromAny && ids.Count > 0));
                }
            }
            return cells;
        }

        private SpecLocation RowLocation(RowModel row) => _syntax[row.Id - 1].Location;

        /// <summary>Whether a row comes from a profile overlay (after <see cref="SpecOverlay.Merge"/>).</summary>
        private bool FromOverlay(RowModel row) => _syntax[row.Id - 1].Deviation is not null;

        /// <summary>
        /// For each cell, enumerates the truth table of the guards its rows use. A row whose
        /// admitted cases are all taken by earlier rows is shadowed; a cell with a case no row
        /// takes is undecided. Returns, per row id, whether it can fire in some cell.
        /// </summary>
        private HashSet<int> CheckCells(List<RowModel> rows, List<CellModel> cells, List<DeclModel> states, List<DeclModel> events, bool reportUndecided)
        {
            var live = new HashSet<int>();
            var guardNames = _decls[DeclKind.Guard];
            foreach (var cell in cells)
            {
                var cellRows = cell.Rows.Select(id => rows[id - 1]).ToList();
                var atoms = cellRows.SelectMany(r => r.Guard.Select(g => g.Guard)).Distinct().OrderBy(g => g).ToList();
                if (atoms.Count > MaxGuardsPerCell)
                {
                    foreach (var r in cellRows) live.Add(r.Id);
                    continue;
                }
                int cases = 1 << atoms.Count;
                var covered = new bool[cases];
                int coveredCount = 0;
                for (int ri = 0; ri < cellRows.Count; ri++)
                {
                    var row = cellRows[ri];
                    var earlierSame = cellRows.Take(ri).FirstOrDefault(p => SameGuard(p, row));
                    if (earlierSame is not null)
                    {
                        _diags.Add(SpecRules.Create(SpecRules.DuplicateRow, RowLocation(row), states[cell.State].Name, events[cell.Event].Name,
                            GuardText(row), earlierSame.Line));
                        continue;
                    }
                    bool fires = false;
                    for (int c = 0; c < cases; c++)
                    {
                        if (covered[c] || !Admits(row, atoms, c)) continue;
                        fires = true;
                        covered[c] = true;
                        coveredCount++;
                    }
                    if (fires) live.Add(row.Id);
                    else if (!FromOverlay(row) && cellRows.Take(ri).LastOrDefault(FromOverlay) is { } hider)
                    {
                        _diags.Add(SpecRules.Create(SpecRules.HidesBaseRow, RowLocation(hider), RowLocation(row), states[cell.State].Name, events[cell.Event].Name));
                    }
                    else
                    {
                        var earlier = string.Join(", ", cellRows.Take(ri).Select(p => p.Line.ToString()));
                        _diags.Add(SpecRules.Create(SpecRules.ShadowedRow, RowLocation(row), states[cell.State].Name, events[cell.Event].Name,
                            earlier.Length == 0 ? "(none: the guard contradicts itself)" : earlier));
                    }
                }
                if (!reportUndecided || coveredCount == cases) continue;

                int missing = Array.IndexOf(covered, false);
                string when = cellRows.Count == 0 || atoms.Count == 0 ? "" :
                    " when " + string.Join(" & ", atoms.Select((g, i) => ((missing >> i) & 1) == 1 ? guardNames[g].Name : "!" + guardNames[g].Name));
                var at = cellRows.Count > 0 ? RowLocation(cellRows.LastOrDefault(FromOverlay) ?? cellRows[cellRows.Count - 1]) : DeclLocation(DeclKind.State, cell.State);
                _diags.Add(SpecRules.Create(SpecRules.UndecidedCell, at, states[cell.State].Name, events[cell.Event].Name, when));
            }
            return live;
        }

        private static bool Admits(RowModel row, List<int> atoms, int assignment)
        {
            foreach (var term in row.Guard)
            {
                bool value = ((assignment >> atoms.IndexOf(term.Guard)) & 1) == 1;
                if (value == term.Negated) return false;
            }
            return true;
        }

        private static bool SameGuard(RowModel a, RowModel b) =>
            new HashSet<GuardTermModel>(a.Guard).SetEquals(b.Guard);

        private string GuardText(RowModel row) => row.Guard.Count == 0
            ? "—"
            : string.Join(" & ", row.Guard.Select(g => (g.Negated ? "!" : "") + _decls[DeclKind.Guard][g.Guard].Name));

        private SpecLocation DeclLocation(DeclKind kind, int index) => _decls[kind][index].Location;

        private void CheckGraph(List<RowModel> rows, List<CellModel> cells, List<DeclModel> states, int eventCount, HashSet<int> live)
        {
            int n = states.Count;
            var forward = Enumerable.Range(0, n).Select(_ => new HashSet<int>()).ToArray();
            foreach (var cell in cells)
            {
                foreach (var id in cell.Rows)
                {
                    if (!live.Contains(id)) continue;
                    var row = rows[id - 1];
                    int to = row.Next == MachineModel.SameState ? cell.State : row.Next;
                    forward[cell.State].Add(to);
                }
            }

            var reached = Reach(0, s => forward[s]);
            for (int s = 0; s < n; s++)
            {
                if (!reached.Contains(s))
                    _diags.Add(SpecRules.Create(SpecRules.UnreachableState, DeclLocation(DeclKind.State, s), states[s].Name, states[0].Name));
            }

            var backward = Enumerable.Range(0, n).Select(_ => new HashSet<int>()).ToArray();
            for (int s = 0; s < n; s++) foreach (var t in forward[s]) backward[t].Add(s);
            var home = Reach(0, s => backward[s]);
            for (int s = 0; s < n; s++)
            {
                if (reached.Contains(s) && !home.Contains(s))
                    _diags.Add(SpecRules.Create(SpecRules.NoPathHome, DeclLocation(DeclKind.State, s), states[s].Name, states[0].Name));
            }
        }

        private static HashSet<int> Reach(int start, Func<int, IEnumerable<int>> next)
        {
            var seen = new HashSet<int> { start };
            var queue = new Queue<int>();
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                foreach (var t in next(queue.Dequeue()))
                {
                    if (seen.Add(t)) queue.Enqueue(t);
                }
            }
            return seen;
        }

        private void CheckUnused(List<RowModel> rows, bool incomplete)
        {
            var usedGuards = new HashSet<int>(rows.SelectMany(r => r.Guard.Select(g => g.Guard)));
            var usedActions = new HashSet<int>(rows.SelectMany(r => r.Actions));
            if (incomplete) return; // a row that failed to parse or resolve may be the one using it
            if (rows.Any(FromOverlay)) return; // a merged profile: an overlay may replace the only row using a declaration of the table, which the table itself reports
            for (int i = 0; i < _decls[DeclKind.Guard].Count; i++)
            {
                if (!usedGuards.Contains(i) && !_decls[DeclKind.Guard][i].ForProfiles)
                    _diags.Add(SpecRules.Create(SpecRules.UnusedGuard, DeclLocation(DeclKind.Guard, i), _decls[DeclKind.Guard][i].Name));
            }
            for (int i = 0; i < _decls[DeclKind.Action].Count; i++)
            {
                if (!usedActions.Contains(i))
                    _diags.Add(SpecRules.Create(SpecRules.UnusedAction, DeclLocation(DeclKind.Action, i), _decls[DeclKind.Action][i].Name));
            }
        }
    }
}
