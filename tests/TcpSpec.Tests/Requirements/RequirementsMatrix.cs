using System.Text.RegularExpressions;

namespace TcpSpec.Tests.Requirements;

/// <summary>One row of docs/rfc9293-requirements.md, with the line it is on.</summary>
public sealed record RequirementRow(int Line, string Label, string Level, string Scope, string Status,
    IReadOnlyList<string> ImplementedBy, IReadOnlyList<string> TestedBy, string Notes)
{
    public bool InScope => Scope == "in";

    /// <summary>MUST (and MUST NOT), SHOULD (SHOULD NOT, REC-1) or MAY, from the label's prefix.</summary>
    public string Kind => Label.StartsWith("MUST", StringComparison.Ordinal) ? "MUST"
        : Label.StartsWith("MAY", StringComparison.Ordinal) ? "MAY" : "SHOULD";
}

/// <summary>Reads the matrix page and the committed list of Appendix B labels.</summary>
public static partial class RequirementsMatrix
{
    public static readonly string[] Statuses = ["implemented", "partial", "absent", "contradicted", "not taken", "not applicable"];

    public static string PagePath => TcpSpec.Testing.Repo.Path("docs", "rfc9293-requirements.md");

    public static string LabelListPath => TcpSpec.Testing.Repo.Path("tests", "TcpSpec.Tests", "Requirements", "rfc9293-appendix-b.txt");

    /// <summary>The rows of every requirement table on the page (a row whose first cell is a label).</summary>
    public static IReadOnlyList<RequirementRow> Rows()
    {
        var rows = new List<RequirementRow>();
        var lines = File.ReadAllLines(PagePath);
        for (int i = 0; i < lines.Length; i++)
        {
            var cells = Cells(lines[i]);
            if (cells.Count == 0 || !LabelPattern().IsMatch(cells[0])) continue;
            if (cells.Count != 9)
                throw new InvalidDataException($"{PagePath}({i + 1}): a requirement row has 9 cells, this one {cells.Count}");
            rows.Add(new RequirementRow(i + 1, cells[0], cells[1], cells[4], cells[5], References(cells[6]), References(cells[7]), cells[8]));
        }
        return rows;
    }

    /// <summary>The counts table: (kind, status) → number, as the page states it.</summary>
    public static Dictionary<(string Kind, string Status), int> StatedCounts()
    {
        var counts = new Dictionary<(string, string), int>();
        foreach (var line in File.ReadAllLines(PagePath))
        {
            var cells = Cells(line);
            if (cells.Count != Statuses.Length + 2 || cells[0] is not ("MUST" or "SHOULD" or "MAY")) continue;
            for (int s = 0; s < Statuses.Length; s++) counts[(cells[0], Statuses[s])] = int.Parse(cells[s + 1]);
        }
        return counts;
    }

    /// <summary>The committed Appendix B list: label → level(s) as the appendix marks them.</summary>
    public static IReadOnlyList<(string Label, string Level)> CommittedLabels() =>
        File.ReadAllLines(LabelListPath)
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('\t'))
            .Select(p => (p[0], p[1]))
            .ToList();

    /// <summary>The labels of Appendix B of the RFC text, in order of first appearance (duplicates kept once).</summary>
    public static IReadOnlyList<string> LabelsOfAppendixB(string rfcText)
    {
        int start = rfcText.IndexOf("\nAppendix B.", StringComparison.Ordinal);
        if (start < 0) throw new InvalidDataException("no \"Appendix B.\" heading in the RFC text");
        int end = rfcText.IndexOf("\nAppendix C", start + 1, StringComparison.Ordinal);
        var appendix = end < 0 ? rfcText[start..] : rfcText[start..end];
        return AppendixLabel().Matches(appendix).Select(m => m.Groups[1].Value).Distinct().ToList();
    }

    private static List<string> Cells(string line)
    {
        var t = line.Trim();
        if (!t.StartsWith('|') || !t.EndsWith('|')) return [];
        return t[1..^1].Split('|').Select(c => c.Trim()).ToList();
    }

    private static List<string> References(string cell) =>
        BacktickPattern().Matches(cell).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex(@"^(MUST|SHLD|MAY|REC)-\d+$")]
    private static partial Regex LabelPattern();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex BacktickPattern();

    [GeneratedRegex(@"\|\s+((?:MUST|SHLD|MAY|REC)-\d+)\s+\|")]
    private static partial Regex AppendixLabel();
}
