using TcpSpec.Language;

namespace TcpSpec.Checker.Mutation;

/// <summary>One mutant: an edit of the table text at a position, with what it does in words.</summary>
public sealed record Mutant(int Id, string Operator, SpecLocation Where, string Description, int Start, int Length, string Replacement)
{
    /// <summary>The mutated table text.</summary>
    public string Apply(string text) => text.Substring(0, Start) + Replacement + text.Substring(Start + Length);

    public override string ToString() => $"{Where}: {Description}";
}

/// <summary>
/// Mutants of a parsed table as text edits (issue 11, first part; only the operators
/// <c>delete-row</c> and <c>change-next</c> so far): each one can be shown at its line,
/// written out and analysed by the same analyzer the generator uses.
/// </summary>
public static class MutantGenerator
{
    public static readonly IReadOnlyList<string> Operators = ["delete-row", "change-next"];

    public static IReadOnlyList<Mutant> Generate(string path, string text, IReadOnlyCollection<string>? operators = null)
    {
        var doc = SpecParser.Parse(path, text);
        var ops = operators ?? Operators;
        var states = doc.Declarations.Where(d => d.Kind == DeclKind.State).Select(d => d.Name).ToList();
        var result = new List<Mutant>();
        foreach (var row in doc.Rows)
        {
            string cell = $"{string.Join(",", row.States.Select(s => s.Name))} × {string.Join(",", row.Events.Select(e => e.Name))}";
            if (ops.Contains("delete-row"))
            {
                int lineStart = LineStart(text, row.Location.Start);
                int lineEnd = text.IndexOf('\n', lineStart);
                lineEnd = lineEnd < 0 ? text.Length : lineEnd + 1;
                result.Add(new Mutant(result.Count + 1, "delete-row", row.Location, $"delete row of {cell}", lineStart, lineEnd - lineStart, ""));
            }
            if (ops.Contains("change-next") && row.Next is { } next)
            {
                foreach (var s in states.Where(s => s != next.Name))
                {
                    result.Add(new Mutant(result.Count + 1, "change-next", next.Location, $"next state '{next.Name}' → '{s}' in {cell}",
                        next.Location.Start, next.Location.Length, s));
                }
            }
        }
        return result;
    }

    private static int LineStart(string text, int offset)
    {
        int i = text.LastIndexOf('\n', Math.Max(0, offset - 1));
        return i < 0 ? 0 : i + 1;
    }
}
