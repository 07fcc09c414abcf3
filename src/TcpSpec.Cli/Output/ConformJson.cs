using TcpSpec.Conformance.Observer;
using TcpSpec.Conformance.Pcap;

namespace TcpSpec.Cli.Output;

/// <summary>
/// <c>tcpspec conform --json</c>: per capture, its connections and the verdict on each judged
/// endpoint (the first segment the spec does not allow, with its explanation); an unreadable
/// capture is an entry with its error and byte offset (schema: docs/json-schema.md, "conform").
/// </summary>
internal static class ConformJson
{
    public static object Capture(string file, CaptureVerdict verdict)
    {
        var cap = verdict.Capture;
        double t0 = cap.Segments.Count > 0 ? cap.Segments[0].Time : 0;
        return new
        {
            file,
            error = (object?)null,
            format = cap.Format,
            linkTypes = cap.LinkTypes.Distinct().Select(l => LinkTypes.Name(l)),
            packets = cap.Packets,
            segments = cap.Segments.Count,
            notTcp = cap.NotTcpCount,
            skipped = cap.SkippedCount,
            cutShort = cap.CutShort is { } cut ? new { offset = cut.ByteOffset, reason = cut.Reason } : null,
            notes = cap.Notes,
            conforms = verdict.Conforms,
            unmatchedEndpoints = verdict.Unmatched.Select(u => u.ToString()),
            connections = verdict.Connections.Select(c => new
            {
                number = c.Connection.Number,
                a = c.Connection.A.ToString(),
                b = c.Connection.B.ToString(),
                client = c.Connection.ClientReason,
                segments = c.Connection.Segments.Count,
                firstFrame = c.Connection.Segments[0].Captured.Index,
                lastFrame = c.Connection.Segments[^1].Captured.Index,
                judged = c.A.Judged || c.B.Judged,
                conforms = c.Conforms,
                notes = c.Notes,
                endpoints = new[] { c.A, c.B }.Select((v, side) => new
                {
                    side = side == 0 ? "A" : "B",
                    address = c.Connection.Address(side).ToString(),
                    judged = v.Judged,
                    conforms = v.Conforms,
                    states = v.Judged ? v.Result.States : null,
                    assumptions = v.Assumptions.Select(a => new { id = a.Id, frame = a.Frame, text = a.Text }),
                    failure = v.Result.Failure is { } f
                        ? new { frame = f.Frame, seconds = Math.Round(f.Time - t0, 6), segment = f.Segment.ToString(), explanation = f.Explanation, states = f.States }
                        : null,
                    hints = v.Hints,
                    notes = v.Result.Notes,
                }),
            }),
        };
    }

    /// <summary>A capture that could not be read: its message, and the byte offset where reading stopped when known.</summary>
    public static object Unreadable(string file, string message, long? offset) =>
        new { file, error = new ErrorDetail(message, File: file, Offset: offset).ToJson(), conforms = false };

    public static void Write(TextWriter stdout, string profile, string table, IReadOnlyList<string> endpoints, bool conforms, IReadOnlyList<object> captures, IReadOnlyList<string> unmatched, int exitCode) =>
        JsonOutput.Write(stdout, new
        {
            command = "conform",
            exitCode,
            profile,
            table,
            judged = endpoints,
            conforms,
            captures,
            unmatchedEndpoints = unmatched,
        });
}
