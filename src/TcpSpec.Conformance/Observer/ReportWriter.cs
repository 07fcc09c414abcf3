using System.Globalization;
using TcpSpec.Conformance.Pcap;

namespace TcpSpec.Conformance.Observer;

/// <summary>The text report of <c>tcpspec conform</c>.</summary>
public static class ReportWriter
{
    public static void Write(TextWriter o, string file, CaptureVerdict verdict, bool verbose)
    {
        var cap = verdict.Capture;
        double t0 = cap.Segments.Count > 0 ? cap.Segments[0].Time : 0;
        string links = string.Join(", ", cap.LinkTypes.Distinct().Select(l => $"{LinkTypes.Name(l)} ({l})"));
        o.WriteLine($"{file}: {cap.Format}, link type {(links.Length == 0 ? "none" : links)}");
        o.Write($"  {cap.Packets} packet(s): {cap.Segments.Count} TCP segment(s)");
        if (cap.NotTcpCount > 0) o.Write($", {cap.NotTcpCount} not TCP ({string.Join(", ", cap.NotTcp.Select(kv => $"{kv.Key} {kv.Value}"))})");
        if (cap.SkippedCount > 0) o.Write($", {cap.SkippedCount} TCP skipped");
        o.WriteLine($"; {verdict.Connections.Count} connection(s)");
        foreach (var note in cap.Notes) o.WriteLine($"  note: {note}");
        if (verdict.LinuxProfile is { } p)
            o.WriteLine($"  profile {p.Name}: the table, and {(p.Name == Profile.LinuxName ? "Linux" : p.Name)}'s deviations where a segment needs one ({string.Join(", ", p.Deviations.Select(d => d.Id))})");
        if (verdict.Judged is { } judged)
            o.WriteLine($"  judged: {string.Join(", ", judged)} (--endpoint); the other endpoints are followed, not judged");
        foreach (var u in verdict.Unmatched) o.WriteLine($"  note: --endpoint {u} matches no endpoint of this capture");

        foreach (var c in verdict.Connections)
        {
            o.WriteLine();
            var conn = c.Connection;
            var first = conn.Segments[0].Captured.Index;
            var last = conn.Segments[^1].Captured.Index;
            o.WriteLine($"Connection {conn.Number}: A {conn.A} ↔ B {conn.B}; A is the client ({conn.ClientReason}); {conn.Segments.Count} segment(s), #{first}–#{last}");
            foreach (var n in c.Notes) o.WriteLine($"  note: {n}");
            int width = Math.Max(conn.A.ToString().Length, conn.B.ToString().Length);
            for (int side = 0; side < 2; side++)
            {
                var v = c.Side(side);
                o.WriteLine($"  {(side == 0 ? "A" : "B")} {conn.Address(side).ToString().PadRight(width)}  {(v.Judged ? v.Result.States : "not judged (--endpoint)")}");
            }
            for (int side = 0; side < 2; side++)
                foreach (var n in c.Side(side).Result.Notes) o.WriteLine($"  note ({(side == 0 ? "A" : "B")}): {n}");
            if (verbose) Frames(o, c, t0);

            if (!c.A.Judged && !c.B.Judged)
            {
                o.WriteLine("  NOT JUDGED (neither endpoint is selected by --endpoint)");
                continue;
            }
            if (c.Conforms)
            {
                var deviations = Enumerable.Range(0, 2).SelectMany(s => c.Side(s).Assumptions.Select(a => (s, a))).ToList();
                if (deviations.Count == 0)
                {
                    o.WriteLine(c.A.Judged && c.B.Judged ? "  CONFORMS" : $"  {(c.A.Judged ? "A" : "B")} CONFORMS");
                }
                else
                {
                    o.WriteLine(c.A.Judged && c.B.Judged ? "  CONFORMS to RFC 9293 except:" : $"  {(c.A.Judged ? "A" : "B")} CONFORMS to RFC 9293 except:");
                    foreach (var (s, a) in deviations) o.WriteLine($"    {(s == 0 ? "A" : "B")} {ConformanceChecker.Describe(a)}");
                    for (int side = 0; side < 2; side++)
                        if (c.Side(side).TableFailure is { } tf)
                            o.WriteLine($"    (the table alone rejects {(side == 0 ? "A" : "B")}'s #{tf.Frame}: {tf.Segment})");
                }
                continue;
            }
            for (int side = 0; side < 2; side++)
            {
                var v = c.Side(side);
                if (!v.Judged) continue;
                if (v.Result.Failure is not { } f)
                {
                    o.WriteLine($"  {(side == 0 ? "A" : "B")} conforms");
                    continue;
                }
                o.WriteLine($"  NOT CONFORMING: {(side == 0 ? "A" : "B")} {conn.Address(side)} sends #{f.Frame} at {Time(f.Time - t0)}: {f.Segment}");
                foreach (var line in f.Explanation.Split('\n')) o.WriteLine($"    {line.TrimEnd('\r')}");
                foreach (var a in v.Assumptions) o.WriteLine($"    (assumed before it: #{a.Frame}: {a.Text})");
                foreach (var h in v.Hints) o.WriteLine($"    hint: {h}");
            }
        }
        o.WriteLine();
        int unjudged = verdict.Connections.Count(c => !c.A.Judged && !c.B.Judged);
        int ok = verdict.Connections.Count(c => c.Conforms) - unjudged;
        string scope = verdict.Judged is null ? "" : $", {unjudged} not judged (judging {string.Join(", ", verdict.Judged)})";
        o.WriteLine($"{file}: {verdict.Connections.Count} connection(s): {ok} conform, {verdict.Connections.Count - ok - unjudged} do not{scope}");
    }

    private static void Frames(TextWriter o, ConnectionVerdict c, double t0)
    {
        var conn = c.Connection;
        var segs = conn.Segments.Select(s => $"{(s.From == 0 ? "A→B" : "B→A")} {s.Seg}").ToList();
        int width = Math.Min(70, segs.Max(s => s.Length));
        string[] last = ["", ""];
        for (int i = 0; i < conn.Segments.Count; i++)
        {
            var cs = conn.Segments[i].Captured;
            var states = new string[2];
            for (int side = 0; side < 2; side++)
            {
                if (c.Side(side).Result.StatesByFrame.TryGetValue(cs.Index, out var st)) last[side] = st;
                states[side] = last[side];
            }
            o.WriteLine($"    #{cs.Index,-5} {Time(cs.Time - t0),12} {segs[i].PadRight(width)}  A: {states[0],-12} B: {states[1]}");
        }
    }

    private static string Time(double seconds) => seconds.ToString("0.000000", CultureInfo.InvariantCulture) + " s";
}
