using System.Text.Json;
using TcpSpec.Conformance.Observer;
using TcpSpec.Conformance.Pcap;
using TcpSpec.Testing;

namespace TcpSpec.Conformance.Tests.Linux;

/// <summary>
/// The corpus of real Linux captures (Fixtures/linux, made by tools/corpus/make-corpus.sh; what
/// each shows is in MANIFEST.md, its endpoints and state sequences in MANIFEST.json). Only the
/// Linux endpoints are judged (<c>--endpoint</c>): in the TUN cases 10.77.0.2 is a test script that
/// misbehaves on purpose. Under the Linux profile every Linux endpoint conforms, naming exactly the
/// deviations of <see cref="Deviations"/>; under the RFC 9293 table those captures are flagged where
/// the deviation shows, with the deviation named in the hint, and every other capture conforms.
/// </summary>
public class LinuxCorpusTests
{
    private static readonly string Dir = Repo.Path("tests", "TcpSpec.Conformance.Tests", "Fixtures", "linux");

    /// <summary>A deviation a capture shows: the Linux endpoint, the frame the deviation is named at, its id, and the frame the table alone flags.</summary>
    public sealed record Expected(string Endpoint, long Frame, string Id, long FlaggedAt);

    /// <summary>
    /// Every capture of the corpus and the deviations the Linux profile names for it (none: it
    /// conforms to the RFC 9293 table itself). A capture missing here, a deviation that appears
    /// or one that vanishes fails the tests. MANIFEST.md ("Conformance with the spec") says why.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Expected[]> Deviations = new Dictionary<string, Expected[]>
    {
        ["abort-linger-zero"] = [new("127.0.0.1:41004", 6, "reset-with-ack", 6)],
        ["bulk-transfer"] = [],
        ["challenge-ack-rate-limit"] = [],
        ["challenge-ack-rst"] = [],
        ["challenge-ack-syn"] = [],
        ["close-client-first"] = [],
        ["close-server-first"] = [],
        ["close-unread-data"] = [new("127.0.0.1:50006", 8, "reset-with-ack", 8)],
        ["data-retransmission"] = [],
        ["fin-retransmission"] = [],
        ["fin-wait-2-timeout"] = [],
        ["half-close"] = [],
        ["old-duplicate-syn-ack"] = [],
        ["refused"] = [],
        ["rst-in-syn-received-active"] = [],
        ["rst-in-syn-received-passive"] = [],
        ["simultaneous-close"] = [],
        ["simultaneous-open"] = [],
        ["syn-retransmission"] = [],
        ["syn-timeout"] = [],
        ["synack-retransmission"] = [],
        ["time-wait-new-syn"] = [new("10.77.0.1:5017", 12, "time-wait-accepts-syn", 13)],
        ["time-wait-retransmitted-fin"] = [],
        ["time-wait-rst"] = [],
        ["two-connections"] = [],
    };

    /// <summary>
    /// Where the observer's states for a Linux endpoint end short of the manifest's, and why: the
    /// manifest's states come from <c>ss</c>, and a transition that sends nothing after the last
    /// captured segment cannot be seen in the capture.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, (int Missing, string Why)> UnseenEndings = new Dictionary<string, (int, string)>
    {
        ["syn-timeout"] = (1, "Linux gives up (R2) after its sixth SYN and sends nothing: the capture ends in SYN-SENT"),
    };

    private static List<string> CaptureNames() =>
        Directory.GetFiles(Dir, "*.pcap").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList();

    public static TheoryData<string> Captures()
    {
        var data = new TheoryData<string>();
        foreach (var f in CaptureNames()) data.Add(f);
        return data;
    }

    private sealed record Case(string Name, JsonElement Json)
    {
        /// <summary>The Linux endpoints: the local side of each key of "states" ("local&gt;remote").</summary>
        public IReadOnlyList<string> LinuxEndpoints =>
            Json.GetProperty("states").EnumerateObject().Select(p => p.Name.Split('>')[0]).Distinct().Order(StringComparer.Ordinal).ToList();

        public IEnumerable<(string Local, string Remote, IReadOnlyList<string> States)> States =>
            Json.GetProperty("states").EnumerateObject().Select(p =>
            {
                var parts = p.Name.Split('>');
                return (parts[0], parts[1], (IReadOnlyList<string>)p.Value.EnumerateArray().Select(s => s.GetString()!).ToList());
            });
    }

    private static readonly Lazy<IReadOnlyDictionary<string, Case>> Manifest = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "MANIFEST.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => new Case(c.GetProperty("name").GetString()!, c.Clone()))
            .ToDictionary(c => c.Name);
    });

    private static Capture Read(string name) => CaptureReader.ReadFile(Path.Combine(Dir, name + ".pcap"));

    private static ConformOptions Options(string name, bool linux)
    {
        var judge = Manifest.Value[name].LinuxEndpoints.Select(e => EndpointSelector.Parse(e, out _)!).ToList();
        return new ConformOptions { Linux = linux, Judge = judge };
    }

    private static string Report(string name, CaptureVerdict v)
    {
        var w = new StringWriter();
        ReportWriter.Write(w, name + ".pcap", v, verbose: true);
        return w.ToString();
    }

    private static IEnumerable<(TcpAddress Address, EndpointVerdict Verdict)> Judged(CaptureVerdict v) =>
        v.Connections.SelectMany(c => new[] { (c.Connection.A, c.A), (c.Connection.B, c.B) }).Where(x => x.Item2.Judged);

    [Fact]
    public void Every_capture_and_every_manifest_case_has_an_expectation()
    {
        var files = CaptureNames();
        Assert.Equal(25, files.Count);
        Assert.Equal(files, Deviations.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(files, Manifest.Value.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_capture_is_readable_as_the_manifest_describes_it(string name)
    {
        var json = Manifest.Value[name].Json;
        var capture = Read(name);
        Assert.Equal(json.GetProperty("packets").GetInt64(), capture.Packets);
        Assert.Equal(capture.Packets, capture.Segments.Count);
        Assert.Equal(0, capture.NotTcpCount);
        Assert.Equal(0, capture.SkippedCount);
        Assert.Equal([json.GetProperty("linktype").GetInt32()], capture.LinkTypes.Distinct());
        // Every Linux endpoint of the manifest is an endpoint of the capture.
        var addresses = ConnectionSplitter.Split(capture.Segments).SelectMany(c => new[] { c.A.ToString(), c.B.ToString() }).ToHashSet();
        Assert.All(Manifest.Value[name].LinuxEndpoints, e => Assert.Contains(e, addresses));
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Under_the_linux_profile_every_linux_endpoint_conforms_naming_exactly_the_expected_deviations(string name)
    {
        var v = ConformanceChecker.Check(Read(name), Options(name, linux: true));
        var report = Report(name, v);
        Assert.True(v.Conforms, report);
        Assert.Empty(v.Unmatched);
        var judged = Judged(v).ToList();
        Assert.Equal(Manifest.Value[name].LinuxEndpoints, judged.Select(j => j.Address.ToString()).Distinct().Order(StringComparer.Ordinal));
        var named = judged.SelectMany(j => j.Verdict.Assumptions.Select(a => (j.Address.ToString(), a.Frame, a.Id))).Order().ToList();
        var expected = Deviations[name].Select(e => (e.Endpoint, e.Frame, e.Id)).Order().ToList();
        Assert.True(expected.SequenceEqual(named), $"expected deviations [{string.Join(", ", expected)}], named [{string.Join(", ", named)}]\n{report}");
        foreach (var e in Deviations[name])
            Assert.Contains($" #{e.Frame} {e.Id}: ", report);
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Under_the_rfc9293_table_a_deviation_is_flagged_where_it_shows_and_named_in_the_hint(string name)
    {
        var v = ConformanceChecker.Check(Read(name), Options(name, linux: false));
        var report = Report(name, v);
        var expected = Deviations[name];
        if (expected.Length == 0)
        {
            Assert.True(v.Conforms, report);
            Assert.All(Judged(v), j => Assert.Empty(j.Verdict.Assumptions));
            return;
        }
        Assert.False(v.Conforms, report);
        var failures = Judged(v).Where(j => !j.Verdict.Conforms).ToList();
        Assert.Equal(expected.Select(e => (e.Endpoint, e.FlaggedAt)).Distinct().Order(), failures.Select(f => (f.Address.ToString(), f.Verdict.Result.Failure!.Frame)).Order());
        foreach (var e in expected)
        {
            var f = failures.Single(x => x.Address.ToString() == e.Endpoint && x.Verdict.Result.Failure!.Frame == e.FlaggedAt);
            Assert.Contains(f.Verdict.Hints, h => h.StartsWith("--profile linux accepts it, as Linux's deviation: ") && h.Contains($"#{e.Frame} {e.Id}: "));
        }
        Assert.Contains("NOT CONFORMING", report);
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void The_linux_endpoints_go_through_the_states_the_manifest_lists(string name)
    {
        var capture = Read(name);
        var v = ConformanceChecker.Check(capture, Options(name, linux: true));
        var report = Report(name, v);
        foreach (var (local, remote, states) in Manifest.Value[name].States)
        {
            // The connections of this 4-tuple in order (a 4-tuple used again is one connection per incarnation); the endpoint's states in each.
            var parts = v.Connections
                .Where(c => (c.Connection.A.ToString() == local && c.Connection.B.ToString() == remote) || (c.Connection.B.ToString() == local && c.Connection.A.ToString() == remote))
                .Select(c => c.Side(c.Connection.A.ToString() == local ? 0 : 1).Result.Sequences)
                .ToList();
            Assert.True(parts.Count > 0, $"{local}>{remote}: no such connection\n{report}");
            var want = states.ToList();
            if (UnseenEndings.TryGetValue(name, out var unseen)) want = want.Take(want.Count - unseen.Missing).ToList();
            var seen = Joined(parts).Select(s => string.Join(" → ", s)).ToList();
            Assert.True(seen.Contains(string.Join(" → ", want)),
                $"{local}>{remote}: the manifest lists {string.Join(" → ", states)}; the observer shows {string.Join(" | ", seen)}\n{report}");
        }
    }

    /// <summary>
    /// The state sequences of an endpoint across the incarnations of its 4-tuple: one alternative
    /// per connection, joined where one ends and the next begins (a connection that goes on from
    /// the previous one begins in the state that one ended in), consecutive repeats dropped.
    /// </summary>
    private static IEnumerable<List<string>> Joined(IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> parts)
    {
        IEnumerable<List<string>> acc = [[]];
        foreach (var alternatives in parts)
        {
            var current = acc.ToList();
            acc = current.SelectMany(prefix => alternatives.Select(alt =>
            {
                var joined = new List<string>(prefix);
                foreach (var s in alt)
                    if (joined.Count == 0 || joined[^1] != s) joined.Add(s);
                return joined;
            })).ToList();
        }
        return acc;
    }
}
