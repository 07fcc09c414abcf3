namespace TcpSpec.Conformance.Profiles;

/// <summary>
/// Leaves a switched-off deviation (a sysctl knob at 0) out of an overlay's text before it is
/// merged: its line in the <c>## Deviations</c> table and the rows of the <c>## Rows</c> table
/// whose <c>deviation</c> cell names it.
/// Line numbers stay the file's (a row left out becomes an empty line), so diagnostics still
/// point into the overlay as written.
/// </summary>
internal static class OverlayRows
{
    public static string Without(string overlayText, IReadOnlySet<string> disabled)
    {
        if (disabled.Count == 0) return overlayText;
        var lines = overlayText.Replace("\r\n", "\n").Split('\n');
        int deviationColumn = -1;
        bool inRows = false;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inRows = line.Equals("## Rows", StringComparison.OrdinalIgnoreCase) || line.Equals("## Deviations", StringComparison.OrdinalIgnoreCase);
                deviationColumn = -1;
                continue;
            }
            if (!inRows || !line.StartsWith('|')) continue;
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (deviationColumn < 0)
            {
                deviationColumn = Array.FindIndex(cells, c => c.Equals("deviation", StringComparison.OrdinalIgnoreCase));
                continue;
            }
            if (deviationColumn < cells.Length && disabled.Contains(cells[deviationColumn])) lines[i] = "";
        }
        return string.Join('\n', lines);
    }
}
