using TcpSpec.Conformance.Pcap;

namespace TcpSpec.Conformance.Observer;

/// <summary>What a conformance check holds the capture to.</summary>
public sealed record ConformOptions
{
    /// <summary>The table: the built-in RFC 9293 table, or an edited one (<c>--spec</c>).</summary>
    public Profile Table { get; init; } = Profile.Rfc9293();

    /// <summary>The text of <see cref="Table"/> when it is an edited table (the Linux profile is derived from it); null for the built-in one.</summary>
    public string? TableText { get; init; }

    /// <summary>Hold the capture to the Linux profile (<c>--profile linux</c>) rather than to the table alone.</summary>
    public bool Linux { get; init; }

    public ObserverOptions Observer { get; init; } = new();

    /// <summary>When a connection does not conform, also try the Linux profile and one lost segment, to say whether either would explain it.</summary>
    public bool Hints { get; init; } = true;

    /// <summary>
    /// The endpoints to judge (<c>--endpoint</c>); null or empty: every endpoint. The others are
    /// still part of their connections (what they send is what the judged endpoints receive),
    /// but nothing they send is held to the spec.
    /// </summary>
    public IReadOnlyList<EndpointSelector>? Judge { get; init; }

    /// <summary>Whether the endpoint at <paramref name="address"/> is judged.</summary>
    public bool Judges(TcpAddress address) => Judge is not { Count: > 0 } || Judge.Any(s => s.Matches(address));
}

/// <summary>The verdict on one endpoint; one that is not <see cref="Judged"/> (not selected by <c>--endpoint</c>) conforms vacuously.</summary>
public sealed record EndpointVerdict(EndpointResult Result, Failure? TableFailure, IReadOnlyList<string> Hints, bool Judged = true)
{
    public bool Conforms => Result.Conforms;

    /// <summary>The verdict on an endpoint that was not judged: no failure, no assumption.</summary>
    public static EndpointVerdict NotJudged(Connection c, int side) =>
        new(new EndpointResult(side, c.Address(side), null, "not judged", [], [], new Dictionary<long, string>()), null, [], Judged: false);

    /// <summary>The deviations (and losses) the verdict rests on.</summary>
    public IReadOnlyList<Assumption> Assumptions => Result.Assumptions;
}

/// <summary>The verdict on one connection: both endpoints.</summary>
public sealed record ConnectionVerdict(Connection Connection, EndpointVerdict A, EndpointVerdict B, IReadOnlyList<string> Notes)
{
    public bool Conforms => A.Conforms && B.Conforms;

    public EndpointVerdict Side(int side) => side == 0 ? A : B;
}

/// <summary>
/// The verdicts on every connection of a capture; <see cref="LinuxProfile"/> is set when the
/// capture was held to it, <see cref="Judged"/> when only some endpoints were judged (and
/// <see cref="Unmatched"/> names the selectors that matched no endpoint of the capture).
/// </summary>
public sealed record CaptureVerdict(Capture Capture, IReadOnlyList<ConnectionVerdict> Connections, Profile? LinuxProfile)
{
    public bool Conforms => Connections.All(c => c.Conforms);

    public IReadOnlyList<EndpointSelector>? Judged { get; init; }

    public IReadOnlyList<EndpointSelector> Unmatched { get; init; } = [];
}

/// <summary>
/// Splits a capture into connections and follows both endpoints of each through the table (and,
/// with <see cref="ConformOptions.Linux"/>, through the Linux profile where the table rejects a
/// segment), as <see cref="EndpointObserver"/> describes.
/// </summary>
public static class ConformanceChecker
{
    public static CaptureVerdict Check(Capture capture, ConformOptions options)
    {
        var connections = ConnectionSplitter.Split(capture.Segments);
        Profile? linux = null;
        Profile Linux() => linux ??= Profile.Linux(options.TableText);
        var verdicts = new List<ConnectionVerdict>();
        var finalStates = new Dictionary<(TcpAddress, TcpAddress), (ConnectionVerdict Verdict, Connection Connection)>();
        foreach (var c in connections)
        {
            var a = options.Judges(c.A) ? Endpoint(c, 0, options, Linux) : EndpointVerdict.NotJudged(c, 0);
            var b = options.Judges(c.B) ? Endpoint(c, 1, options, Linux) : EndpointVerdict.NotJudged(c, 1);
            var notes = new List<string>();
            var key = c.A.CompareTo(c.B) <= 0 ? (c.A, c.B) : (c.B, c.A);
            if (finalStates.TryGetValue(key, out var previous))
            {
                var synFrom = c.Segments.FirstOrDefault(s => s.Seg.IsSyn && !s.Seg.IsAck);
                string reuse = $"the 4-tuple of connection {previous.Connection.Number}, used again";
                if (synFrom.Captured is not null)
                {
                    var receiver = c.Address(1 - synFrom.From);
                    int prevSide = previous.Connection.A.Equals(receiver) ? 0 : 1;
                    var prevStates = previous.Verdict.Side(prevSide).Result.States;
                    if (LastState(prevStates).Contains("TIME-WAIT", StringComparison.Ordinal))
                        reuse += $": the new SYN #{synFrom.Captured.Index} reached {receiver} in TIME-WAIT, which may accept it (RFC 9293 §3.6.1, RFC 6191)";
                }
                notes.Add(reuse);
            }
            var verdict = new ConnectionVerdict(c, a, b, notes);
            finalStates[key] = (verdict, c);
            verdicts.Add(verdict);
        }
        var judged = options.Judge is { Count: > 0 } j ? j : null;
        var unmatched = judged is null ? [] : judged.Where(s => !connections.Any(c => s.Matches(c.A) || s.Matches(c.B))).ToList();
        return new CaptureVerdict(capture, verdicts, options.Linux ? Linux() : null) { Judged = judged, Unmatched = unmatched };
    }

    private static string LastState(string states)
    {
        var last = states.Split(" → ")[^1];
        int paren = last.IndexOf(" (", StringComparison.Ordinal);
        return paren < 0 ? last : last[..paren];
    }

    private static EndpointVerdict Endpoint(Connection c, int side, ConformOptions options, Func<Profile> linux)
    {
        var table = new EndpointObserver(options.Table, options.Observer, c, side).Run();
        if (table.Conforms) return new EndpointVerdict(table, null, []);
        var hints = new List<string>();
        EndpointResult result = table;
        Failure? tableFailure = null;
        if (options.Linux)
        {
            result = new EndpointObserver(linux(), options.Observer, c, side).Run();
            tableFailure = table.Failure;
        }
        else if (options.Hints)
        {
            var l = new EndpointObserver(linux(), options.Observer, c, side).Run();
            if (l.Conforms)
                hints.Add($"--profile linux accepts it, as Linux's deviation: {string.Join("; ", l.Assumptions.Select(Describe))}");
        }
        if (!result.Conforms && options.Hints && options.Observer.Loss == 0)
        {
            var lossy = new EndpointObserver(options.Linux ? linux() : options.Table, options.Observer with { Loss = 1 }, c, side).Run();
            if (lossy.Conforms)
            {
                var lost = lossy.Assumptions.FirstOrDefault(x => x.Id == "lost");
                hints.Add($"it would conform if {(lost is null ? "a segment" : $"frame #{lost.Frame}")} had been lost after the capture point (--loss 1)");
            }
        }
        return new EndpointVerdict(result, tableFailure, hints);
    }

    /// <summary>An assumption as the report prints it: the frame, the deviation's name, what it is.</summary>
    public static string Describe(Assumption a) => $"#{a.Frame} {a.Id}: {a.Text}";
}
