namespace TcpSpec.Language;

/// <summary>
/// Merges a profile overlay into a base table at the syntax level, before analysis, so the
/// merged table is proved total like any table and every problem of the overlay is reported at
/// the overlay's own file, line and column. An overlay row keyed by (state, event, guard) either
/// <c>replace</c>s the base row with that key in each (state, event) cell it names (it takes the
/// replaced row's place in the cell) or is <c>add</c>ed before the base rows of its cells. A base
/// row that loses some of its cells is split into the rows that still cover the others. Never throws.
/// </summary>
public static class SpecOverlay
{
    /// <summary>The base table with the overlay's rows merged in and its Deviations, or the base table with the overlay's diagnostics.</summary>
    public static SpecDocument Merge(SpecDocument table, SpecDocument overlay)
    {
        try
        {
            return new Run(table, overlay).Merge();
        }
        catch (Exception ex)
        {
            var diag = SpecRules.Create(SpecRules.InternalError, new SpecLocation(overlay.Path, 1, 1, 0, 0), ex.GetType().Name + ": " + ex.Message);
            return table with { Diagnostics = table.Diagnostics.Concat(overlay.Diagnostics).Concat(new[] { diag }).ToEquatableArray() };
        }
    }

    /// <summary>A guard as a key: its terms, order ignored.</summary>
    public static string GuardKey(RowSyntax row) =>
        string.Join(" & ", row.Guard.Select(g => g.ToString()).OrderBy(t => t, StringComparer.Ordinal));

    /// <summary>A base row and what becomes of it: the cells it still decides, and the overlay rows placed before and after it.</summary>
    private sealed class Entry
    {
        public Entry(RowSyntax row, List<(string State, string Event)>? pairs)
        {
            Row = row;
            Original = pairs;
            Pairs = pairs is null ? null : new List<(string, string)>(pairs);
        }

        public RowSyntax Row { get; }

        /// <summary>The (state, event) cells of a row with named states; null for a <c>*</c> row.</summary>
        public List<(string State, string Event)>? Original { get; }

        public List<(string State, string Event)>? Pairs { get; }

        public List<RowSyntax> Before { get; } = new();

        public List<RowSyntax> After { get; } = new();
    }

    private sealed class Run
    {
        private readonly SpecDocument _table;
        private readonly SpecDocument _overlay;
        private readonly List<SpecDiagnostic> _diags;
        private readonly HashSet<string> _states;
        private readonly HashSet<string> _events;

        public Run(SpecDocument table, SpecDocument overlay)
        {
            _table = table;
            _overlay = overlay;
            _diags = table.Diagnostics.Concat(overlay.Diagnostics).ToList();
            _states = new HashSet<string>(table.Declarations.Where(d => d.Kind == DeclKind.State).Select(d => d.Name), StringComparer.Ordinal);
            _events = new HashSet<string>(table.Declarations.Where(d => d.Kind == DeclKind.Event).Select(d => d.Name), StringComparer.Ordinal);
        }

        public SpecDocument Merge()
        {
            if (!_overlay.TablesFound.Contains("Deviations"))
                _diags.Add(SpecRules.Create(SpecRules.MissingTable, new SpecLocation(_overlay.Path, 1, 1, 0, 1), "Deviations"));
            var own = _overlay.Declarations.Select(d => d.Location).Concat(_overlay.Rows.Select(r => r.Location)).FirstOrDefault();
            if (own is not null)
                _diags.Add(SpecRules.Create(SpecRules.Malformed, own, "A profile overlay declares no states, events, guards or actions and has no Transitions table: it edits the base table's rows in its `| edit | state | event | guard | actions | next | deviation | RFC |` table"));

            var deviations = new Dictionary<string, DeviationSyntax>(StringComparer.Ordinal);
            foreach (var d in _overlay.Deviations)
            {
                if (deviations.TryGetValue(d.Id, out var first))
                    _diags.Add(SpecRules.Create(SpecRules.DuplicateDeclaration, d.Location, "Deviation", d.Id, first.Location.Line));
                else deviations[d.Id] = d;
            }

            var entries = _table.Rows.Select(r => new Entry(r, PairsOf(r))).ToList();
            var trailing = new List<RowSyntax>();
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var edit in _overlay.Edits)
            {
                if (edit.Deviation is { } dev)
                {
                    if (deviations.ContainsKey(dev.Name)) used.Add(dev.Name);
                    else _diags.Add(SpecRules.Create(SpecRules.UndeclaredDeviation, dev.Location, dev.Name));
                }
                if (edit.States.Any(s => s.Name == Naming.AnyState))
                {
                    _diags.Add(SpecRules.Create(SpecRules.Malformed, edit.States[0].Location, "An overlay row names its states: '*' rows belong to the base table"));
                    continue;
                }
                // A name the base table does not declare: the analyzer reports it at the overlay's cell.
                if (!edit.States.All(s => _states.Contains(s.Name)) || !edit.Events.All(e => _events.Contains(e.Name)))
                {
                    trailing.Add(edit);
                    continue;
                }
                var pairs = PairsOf(edit)!;
                if (edit.Edit == RowEditKind.Replace) Replace(edit, pairs, entries);
                else Add(edit, pairs, entries, trailing);
            }

            foreach (var d in deviations.Values)
            {
                if (!used.Contains(d.Id) && d.Observer is null) _diags.Add(SpecRules.Create(SpecRules.UnusedDeviation, d.Location, d.Id));
            }

            var rows = new List<RowSyntax>();
            foreach (var e in entries)
            {
                rows.AddRange(e.Before);
                if (e.Pairs is null || e.Pairs.Count == e.Original!.Count) rows.Add(e.Row);
                else rows.AddRange(Regroup(e.Row, e.Pairs));
                rows.AddRange(e.After);
            }
            rows.AddRange(trailing);
            return _table with
            {
                Rows = rows.Select((r, i) => r with { Ordinal = i + 1 }).ToEquatableArray(),
                Diagnostics = _diags.ToEquatableArray(),
                Deviations = _overlay.Deviations.Where(d => ReferenceEquals(deviations[d.Id], d)).ToEquatableArray(),
            };
        }

        private void Replace(RowSyntax edit, List<(string State, string Event)> pairs, List<Entry> entries)
        {
            var key = GuardKey(edit);
            var groups = new List<(Entry Entry, List<(string, string)> Pairs)>();
            foreach (var p in pairs)
            {
                var entry = entries.FirstOrDefault(e => e.Pairs is not null && e.Row.Deviation is null && e.Pairs.Contains(p) && GuardKey(e.Row) == key);
                if (entry is null)
                {
                    _diags.Add(SpecRules.Create(SpecRules.NoRowToReplace, edit.Location, p.State, p.Event, key.Length == 0 ? "—" : key));
                    return;
                }
                int g = groups.FindIndex(x => x.Entry == entry);
                if (g < 0) groups.Add((entry, new List<(string, string)> { p }));
                else groups[g].Pairs.Add(p);
            }
            foreach (var (entry, taken) in groups)
            {
                entry.Pairs!.RemoveAll(taken.Contains);
                entry.After.AddRange(Regroup(edit, taken).Select(r => r with { BaseLine = entry.Row.Location.Line }));
            }
        }

        private void Add(RowSyntax edit, List<(string State, string Event)> pairs, List<Entry> entries, List<RowSyntax> trailing)
        {
            var key = GuardKey(edit);
            foreach (var p in pairs)
            {
                var same = entries.FirstOrDefault(e => e.Original is not null && e.Original.Contains(p) && GuardKey(e.Row) == key);
                if (same is null) continue;
                _diags.Add(SpecRules.Create(SpecRules.DuplicateRow, edit.Location, p.State, p.Event, key.Length == 0 ? "—" : key,
                    $"{same.Row.Location.Line} of {same.Row.Location.Path} (write replace to change it)"));
                return;
            }
            // First in each of its cells: before the first base row of any of them.
            var first = entries.FirstOrDefault(e => e.Original is not null && pairs.Any(e.Original.Contains));
            if (first is null) trailing.Add(edit);
            else first.Before.Add(edit with { BaseLine = first.Row.Location.Line });
        }

        private static List<(string State, string Event)>? PairsOf(RowSyntax row)
        {
            if (row.States.Any(s => s.Name == Naming.AnyState)) return null;
            return row.States.SelectMany(s => row.Events.Select(e => (s.Name, e.Name))).Distinct().ToList();
        }

        /// <summary>
        /// The rows that cover exactly <paramref name="pairs"/>, cut from <paramref name="row"/>:
        /// states with the same events left share a row, in the row's order of states and events.
        /// </summary>
        private static IEnumerable<RowSyntax> Regroup(RowSyntax row, List<(string State, string Event)> pairs)
        {
            var groups = new List<(List<NameRef> States, List<NameRef> Events, string Key)>();
            foreach (var s in row.States)
            {
                var events = row.Events.Where(e => pairs.Contains((s.Name, e.Name))).ToList();
                if (events.Count == 0 || groups.Any(g => g.States.Any(x => x.Name == s.Name))) continue;
                var key = string.Join(",", events.Select(e => e.Name));
                int i = groups.FindIndex(g => g.Key == key);
                if (i < 0) groups.Add((new List<NameRef> { s }, events, key));
                else groups[i].States.Add(s);
            }
            return groups.Select(g => row with { States = g.States.ToEquatableArray(), Events = g.Events.ToEquatableArray() });
        }
    }
}
