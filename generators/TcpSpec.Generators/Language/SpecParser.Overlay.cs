namespace TcpSpec.Language;

/// <summary>
/// The parser's part for profile overlays (see <see cref="SpecOverlay"/>): the Deviations table
/// (<c>| deviation | observer | what | where | RFC |</c>) and the Rows table of edits
/// (<c>| edit | state | event | guard | actions | next | deviation | RFC |</c>), whose
/// state…next cells and RFC cell read exactly as a Transitions row's.
/// </summary>
public static partial class SpecParser
{
    private sealed partial class ParsePass
    {
        private readonly List<DeviationSyntax> _deviations = new();
        private readonly List<RowSyntax> _edits = new();

        private void ParseDeviation(int lineIndex, List<Cell> cells)
        {
            var (id, column) = CleanName(cells[0].Raw, cells[0].Column);
            var loc = Loc(lineIndex, column, Math.Max(1, id.Length));
            if (!Naming.IsValidTableName(id, out var why))
            {
                _diags.Add(SpecRules.Create(SpecRules.BadName, loc, id, "deviation", why));
                return;
            }
            var (observer, observerColumn) = CleanName(cells[1].Raw, cells[1].Column);
            NameRef? relaxation = IsDash(observer) ? null : new NameRef(observer, Loc(lineIndex, observerColumn, observer.Length));
            for (int c = 2; c < 5; c++)
            {
                if (IsDash(cells[c].Text))
                {
                    string what = c switch { 2 => "what the stack does", 3 => "where in its source", _ => "what RFC 9293 says instead" };
                    if (c == 4) _diags.Add(SpecRules.Create(SpecRules.MissingRfc, Loc(lineIndex, cells[c].Column, 1)));
                    else _diags.Add(SpecRules.Create(SpecRules.Malformed, Loc(lineIndex, cells[c].Column, 1), $"The deviation '{id}' does not say {what}"));
                    return;
                }
            }
            _deviations.Add(new DeviationSyntax(id, relaxation, cells[2].Text, cells[3].Text, cells[4].Text, loc));
        }

        private void ParseEdit(int lineIndex, List<Cell> cells)
        {
            var (verb, verbColumn) = CleanName(cells[0].Raw, cells[0].Column);
            var verbLoc = Loc(lineIndex, verbColumn, Math.Max(1, verb.Length));
            RowEditKind? edit = verb.ToLowerInvariant() switch { "replace" => RowEditKind.Replace, "add" => RowEditKind.Add, _ => null };
            if (edit is null) _diags.Add(SpecRules.Create(SpecRules.Malformed, verbLoc, $"The edit '{verb}' is neither 'replace' nor 'add'"));

            var (deviation, devColumn) = CleanName(cells[6].Raw, cells[6].Column);
            if (IsDash(deviation))
            {
                _diags.Add(SpecRules.Create(SpecRules.Malformed, Loc(lineIndex, cells[6].Column, 1), "Every row of an overlay names the deviation it belongs to"));
                return;
            }
            var row = RowOf(lineIndex, cells.Take(6).Skip(1).Concat(new[] { cells[7] }).ToList(), _edits.Count + 1);
            if (row is null || edit is null) return;
            _edits.Add(row with { Edit = edit, Deviation = new NameRef(deviation, Loc(lineIndex, devColumn, deviation.Length)) });
        }
    }
}
