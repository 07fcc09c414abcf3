using TcpSpec.Conformance.Observer;
using TcpSpec.Conformance.Pcap;

namespace TcpSpec.Conformance.Tests.Observer;

/// <summary>Runs the conformance check on synthesized captures and asserts on its verdicts, printing the report when an assertion fails.</summary>
internal static class Conform
{
    public static CaptureVerdict Check(byte[] capture, ConformOptions? options = null) =>
        ConformanceChecker.Check(CaptureReader.Read(capture), options ?? new ConformOptions());

    public static CaptureVerdict Check(IEnumerable<Frame> frames, ConformOptions? options = null) => Check(Sim.Write(frames), options);

    public static string Report(CaptureVerdict v, bool verbose = true)
    {
        var w = new StringWriter();
        ReportWriter.Write(w, "test.pcap", v, verbose);
        return w.ToString();
    }

    /// <summary>Every connection conforms (and, unless allowed, without any deviation or loss assumed).</summary>
    public static CaptureVerdict AssertConforms(IEnumerable<Frame> frames, ConformOptions? options = null, int connections = 1, bool allowAssumptions = false)
    {
        var v = Check(frames, options);
        var report = Report(v);
        Assert.True(v.Conforms, report);
        Assert.Equal(connections, v.Connections.Count);
        if (!allowAssumptions)
            Assert.True(v.Connections.All(c => c.A.Assumptions.Count == 0 && c.B.Assumptions.Count == 0), report);
        return v;
    }

    /// <summary>The connection does not conform; <paramref name="side"/> fails first at <paramref name="frame"/>. Returns the failure.</summary>
    public static (Failure Failure, string Report, CaptureVerdict Verdict) AssertFlags(IEnumerable<Frame> frames, int side, long frame, ConformOptions? options = null)
    {
        var v = Check(frames, options);
        var report = Report(v);
        Assert.False(v.Conforms, report);
        var f = v.Connections[0].Side(side).Result.Failure;
        Assert.True(f is not null, report);
        Assert.True(f.Frame == frame, $"flagged #{f.Frame}, expected #{frame}\n{report}");
        return (f, report, v);
    }
}
