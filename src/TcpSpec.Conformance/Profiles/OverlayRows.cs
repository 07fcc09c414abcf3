namespace TcpSpec.Conformance.Profiles;

/// <summary>
/// Leaves a switched-off deviation (a sysctl knob at 0) out of an overlay's text before it is
/// merged: its line in the <c>## Deviations</c> table and the rows of the <c>## Rows</c> table
/// whose <c>deviation</c> cell names it. A table ends at its first line that is not a row, so a
/// line left out is removed and an empty line added after the table: the lines after the table
/// keep their numbers (rows of the table below a removed one move up a line).
/// </summary>
internal static class OverlayRows
{
    public static string Without(string overlayText, IReadOnlySet<string> disabled)
    {
        if (disabled.Count == 0) return overlayText;
        var lines = overlayText.Replace("\r\n", "\n").Split('\n');
        var output = new List<string>(lines.Length);
        int deviationColumn = -1, removed = 0;
        bool inTable = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inTable = line.Equals("## Rows", StringComparison.OrdinalIgnoreCase) || line.Equals("## Deviations", StringComparison.OrdinalIgnoreCase);
                deviationColumn = -1;
            }
            else if (inTable && line.StartsWith('|'))
            {
                var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                if (deviationColumn < 0)
                    deviationColumn = Array.FindIndex(cells, c => c.Equals("deviation", StringComparison.OrdinalIgnoreCase));
                else if (deviationColumn < cells.Length && disabled.Contains(cells[deviationColumn]))
                {
                    removed++;
                    continue;
                }
            }
            else if (removed > 0 && !line.StartsWith('|'))
            {
                for (; removed > 0; removed--) output.Add("");
            }
            output.Add(raw);
        }
        for (; removed > 0; removed--) output.Add("");
        return string.Join('\n', output);
    }
}
