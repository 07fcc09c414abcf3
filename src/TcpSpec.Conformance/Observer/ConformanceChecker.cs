using TcpSpec.Conformance.Pcap;
using TcpSpec.Language;

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

    /// <summary>Hold the capture to this profile (<c>--profile NAME|FILE</c>, compiled up front) rather than to the table alone.</summary>
    public Profile? Stack { get; init; }

    /// <summary>Whether the capture is held to a profile (<see cref="Stack"/>, or Linux's) rather than to the table alone.</summary>
    public bool HoldsToProfile => Linux || Stack is not null;

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
        Profile Linux() => linux ??= options.Stack ?? Profile.Linux(options.TableText);
        var verdicts = new List<ConnectionVerdict>();
        var previousOf = new Dictionary<(TcpAddress, TcpAddress), (ConnectionVerdict Verdict, Connection Connection)>();
        foreach (var c in connections)
        {
            var key = c.A.CompareTo(c.B) <= 0 ? (c.A, c.B) : (c.B, c.A);
            var notes = new List<string>();
            var sides = new EndpointVerdict[2];
            previousOf.TryGetValue(key, out var previous);
            if (previous.Connection is not null) notes.Add($"the 4-tuple of connection {previous.Connection.Number}, used again");
            for (int side = 0; side < 2; side++)
            {
                if (!options.Judges(c.Address(side)))
                {
                    sides[side] = EndpointVerdict.NotJudged(c, side);
                    continue;
                }
                Continuation? from = null;
                if (previous.Connection is not null)
                {
                    var before = previous.Verdict.Side(previous.Connection.A.Equals(c.Address(side)) ? 0 : 1);
                    // Only a conforming endpoint's final candidates are a place to go on from.
                    if (before.Judged && before.Conforms && before.Result.Final.Count > 0)
                    {
                        from = new Continuation(previous.Connection.Number, before.Result.Final, Fresh(before.Result, previous.Connection, c, options.Observer, options.Table.Engine.Table));
                        notes.Add(Continues(c, side, previous.Connection.Number, before.Result, options.Table.Engine.Table));
                    }
                }
                sides[side] = Endpoint(c, side, options, Linux, from);
            }
            var verdict = new ConnectionVerdict(c, sides[0], sides[1], notes);
            previousOf[key] = (verdict, c);
            verdicts.Add(verdict);
        }
        var judged = options.Judge is { Count: > 0 } j ? j : null;
        var unmatched = judged is null ? [] : judged.Where(s => !connections.Any(c => s.Matches(c.A) || s.Matches(c.B))).ToList();
        return new CaptureVerdict(capture, verdicts, options.HoldsToProfile ? Linux() : null) { Judged = judged, Unmatched = unmatched };
    }

    /// <summary>Where an endpoint of a 4-tuple used again starts: the final candidates of its previous incarnation, and whether also afresh.</summary>
    private sealed record Continuation(int Connection, IReadOnlyList<Candidate> Final, bool Fresh);

    /// <summary>
    /// Whether the endpoint may also start the new incarnation afresh (CLOSED, or LISTEN after a
    /// new passive OPEN) rather than only go on from its previous TCB: always, except when the
    /// simplest explanations of the previous incarnation leave it in TIME-WAIT less than
    /// <see cref="ObserverOptions.MinTimeWait"/> before the new one begins. TIME-WAIT holds the
    /// 4-tuple for 2 MSL (RFC 9293 §3.6.1 MUST-13), and reopening it early is the stack's choice
    /// (MAY-2), so the observer does not assume a user ABORT of the TIME-WAIT connection and a new
    /// listener to explain it: a user who has closed has no call left on it in practice. (After
    /// other states the capture may simply have missed how the old incarnation ended.)
    /// </summary>
    private static bool Fresh(EndpointResult before, Connection previous, Connection next, ObserverOptions o, MachineModel table)
    {
        var last = before.Sequences.Select(q => q[^1]).ToList();
        if (last.Count == 0 || last.Any(s => !IsTimeWait(table, s))) return true;
        double gap = next.Segments[0].Captured.Time - previous.Segments[^1].Captured.Time;
        return gap >= o.MinTimeWait;
    }

    /// <summary>
    /// The note for an endpoint that goes on from its previous incarnation; when it was in
    /// TIME-WAIT and now sends a SYN or SYN,ACK, how its new ISS compares with the old SND.NXT
    /// (RFC 9293 §3.6.1 MAY-2: a SYN may reopen a connection from TIME-WAIT if the new ISS is
    /// above every sequence number the old incarnation used).
    /// </summary>
    private static string Continues(Connection c, int side, int previous, EndpointResult before, MachineModel table)
    {
        var last = before.Sequences.Select(q => q[^1]).Distinct().ToList();
        string where = last.Count == 0 ? "" : $", where it ended in {string.Join(" or ", last)}";
        string note = $"{c.Address(side)} goes on from connection {previous}{where}";
        var syn = c.Segments.FirstOrDefault(x => x.From == side && x.Seg.IsSyn && !x.Seg.IsRst);
        if (!last.Any(s => IsTimeWait(table, s)) || syn.Captured is null) return note;
        var old = before.Final.Where(x => table.Is((int)x.Ep.State, StateRole.TimeWait)).Select(x => x.Ep.SndNxt).Distinct().ToList();
        if (old.Count != 1) return note;
        uint d = syn.Seg.Seq - old[0];
        return note + (d != 0 && d < 0x8000_0000u
            ? $"; its new ISS ({syn.Seg.Seq}, #{syn.Captured.Index}) is the old SND.NXT + {d}, above every sequence number of the old incarnation (RFC 9293 §3.6.1 MAY-2 (1))"
            : $"; its new ISS ({syn.Seg.Seq}, #{syn.Captured.Index}) is not above the old SND.NXT ({old[0]}), as RFC 9293 §3.6.1 MAY-2 (1) asks of a connection reopened from TIME-WAIT");
    }

    /// <summary>Whether the state named <paramref name="name"/> (as a state sequence writes it) is the table's TIME-WAIT.</summary>
    private static bool IsTimeWait(MachineModel table, string name) => table.Is(table.StateIndex(name), StateRole.TimeWait);

    private static EndpointVerdict Endpoint(Connection c, int side, ConformOptions options, Func<Profile> linux, Continuation? from)
    {
        EndpointObserver Observer(Profile p, ObserverOptions o) => new(p, o, c, side, from?.Final, from?.Connection ?? 0, from?.Fresh ?? true);
        var table = Observer(options.Table, options.Observer).Run();
        if (table.Conforms) return new EndpointVerdict(table, null, []);
        var hints = new List<string>();
        EndpointResult result = table;
        Failure? tableFailure = null;
        if (options.HoldsToProfile)
        {
            result = Observer(linux(), options.Observer).Run();
            tableFailure = table.Failure;
        }
        else if (options.Hints)
        {
            var l = Observer(linux(), options.Observer).Run();
            if (l.Conforms)
                hints.Add($"--profile linux accepts it, as Linux's deviation: {string.Join("; ", l.Assumptions.Select(Describe))}");
        }
        if (!result.Conforms && options.Hints && options.Observer.Loss == 0)
        {
            var lossy = Observer(options.HoldsToProfile ? linux() : options.Table, options.Observer with { Loss = 1 }).Run();
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
