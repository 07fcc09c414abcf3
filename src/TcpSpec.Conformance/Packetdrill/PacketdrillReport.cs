using System.Text;

namespace TcpSpec.Conformance.Packetdrill;

/// <summary>A script's result as text: PASS or FAIL, the first mismatch with the engine's state and row, the skipped lines.</summary>
public static class PacketdrillReport
{
    public static string Format(ScriptResult r, bool verbose = false, string? shownPath = null)
    {
        var sb = new StringBuilder();
        var path = shownPath ?? r.Path;
        sb.Append(r.Passed ? "PASS " : r.NotRun ? "NOT RUN " : "FAIL ").Append(path)
          .Append($" ({r.LinesRun} line{(r.LinesRun == 1 ? "" : "s")} run, {r.Checks} checked, {r.Skipped.Count} skipped{(r.SkippedChecks > 0 ? $", {r.SkippedChecks} of them checks" : "")})\n");
        if (r.NotRun) sb.Append("  no line checked anything (no outbound packet, call result or state assertion was compared)\n");
        if (r.Failure is { } f)
        {
            sb.Append($"  line {f.Line}: {f.Message}\n");
            sb.Append($"    script:   {f.Text}\n");
            if (f.Expected is not null) sb.Append($"    expected: {f.Expected}\n");
            if (f.Actual is not null) sb.Append($"    actual:   {f.Actual}\n");
            sb.Append($"    state:    {f.State} at {(f.AtUsecs / 1e6).ToString("0.000###", System.Globalization.CultureInfo.InvariantCulture)} s\n");
            if (f.Row is { } row) sb.Append($"    row:      R{row.Id} (table line {row.Line}: {row.Description}) — {row.Rfc}\n");
        }
        foreach (var s in r.Skipped) sb.Append($"  skipped{(s.WasCheck ? " check" : "")} line {s.Line}: {s.Reason}: {s.Text}\n");
        if (verbose)
        {
            foreach (var n in r.Notes) sb.Append($"  note line {n.Line}: {n.Note}\n");
        }
        else if (r.Notes.Count > 0)
        {
            var lines = r.Notes.Select(n => n.Line).Distinct().ToList();
            sb.Append($"  notes: {r.Notes.Count} thing(s) not modelled on line{(lines.Count == 1 ? "" : "s")} {string.Join(", ", lines.Take(8))}{(lines.Count > 8 ? ", ..." : "")} (TCP options, PSH, ports; --verbose lists them)\n");
        }
        return sb.ToString();
    }
}
