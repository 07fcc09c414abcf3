using TcpSpec.Conformance.Pcap;

namespace TcpSpec.Conformance.Observer;

/// <summary>
/// Follows one endpoint of a captured connection through the table as an observer. It never sees
/// the application's calls or the timers, so it keeps the set of <see cref="Candidate"/>s the
/// endpoint may be in. A segment the endpoint receives is applied to every candidate (the table
/// is deterministic). A segment it sends must be explained by some candidate: as a segment a row
/// already emitted and the capture has not shown yet, as a pure acknowledgment carrying nothing
/// new, or as the output of up to <see cref="ObserverOptions.HiddenDepth"/> user calls and timer
/// expiries (OPEN, SEND, CLOSE, ABORT, the retransmission, TIME-WAIT and user timers). The
/// candidates that explain it survive; when none does, that segment is the first the spec does
/// not allow, and the <see cref="Explainer"/> says why for every row that could have sent it.
/// The parts: <see cref="StartingPoints"/> (where it may start), <see cref="HiddenMoves"/> (what
/// it may assume), <see cref="SegmentMatcher"/> (whether a candidate explains a sent segment),
/// <see cref="ReceivedSegments"/> (what has arrived by when); this class is the loop over the
/// connection's segments that keeps the candidate set.
/// </summary>
internal sealed class EndpointObserver
{
    private readonly ObserverOptions _options;
    private readonly Connection _connection;
    private readonly int _side;
    private readonly CandidateStepper _stepper;
    private readonly HiddenMoves _moves;
    private readonly SegmentMatcher _matcher;
    private readonly StartingPoints _start;
    private readonly ReceivedSegments _received;
    private readonly List<string> _notes = new();
    private bool _capped;

    /// <param name="continued">
    /// For a 4-tuple used again: where this endpoint was at the end of the previous incarnation
    /// (connection <paramref name="continuedFrom"/>); see <see cref="StartingPoints"/>.
    /// </param>
    /// <param name="fresh">With <paramref name="continued"/>: whether the endpoint may also start afresh (CLOSED, or LISTEN after a new passive OPEN), the old TCB being gone.</param>
    public EndpointObserver(Profile profile, ObserverOptions options, Connection connection, int side, IReadOnlyList<Candidate>? continued = null, int continuedFrom = 0, bool fresh = true)
    {
        _options = options;
        _connection = connection;
        _side = side;
        _stepper = new CandidateStepper(profile);
        _moves = new HiddenMoves(_stepper);
        _matcher = new SegmentMatcher(_stepper, _moves, options.HiddenDepth);
        _start = new StartingPoints(_stepper, connection, side, _notes, continued, continuedFrom, fresh);
        _received = new ReceivedSegments(connection, side, options.Crossing);
    }

    private string Name => _side == 0 ? "A" : "B";

    public EndpointResult Run()
    {
        var candidates = _start.Initial();
        foreach (var cs in _connection.Segments)
        {
            double now = cs.Captured.Time;
            if (cs.From != _side)
            {
                _received.Add(cs);
                candidates = AdvanceAll(candidates, _received.MustApply(now));
                continue;
            }
            var next = Explain(candidates, cs.Captured, _received.MustApply(now));
            if (next.Count == 0)
            {
                var reachable = candidates.SelectMany(c => Advance(c, _received.Count));
                var failure = Explainer.Explain(_matcher, Name, reachable, _received.DeferredBefore(cs.Captured), cs.Captured);
                var survivors = AdvanceAll(candidates, _received.MustApply(now));
                return Result(survivors.Count > 0 ? survivors : candidates, failure);
            }
            candidates = next;
        }
        candidates = AdvanceAll(candidates, _received.Count);
        return Result(candidates, null);
    }

    // ---- received segments ----------------------------------------------------------------

    private List<Candidate> AdvanceAll(List<Candidate> candidates, int target)
    {
        var set = new CandidateSet();
        foreach (var c in candidates)
            foreach (var a in Advance(c, target)) set.Add(a);
        return Cap(set);
    }

    /// <summary>The candidate after the received segments up to <paramref name="target"/> arrived (timers may have fired, and user calls been made, silently before each).</summary>
    private List<Candidate> Advance(Candidate c, int target)
    {
        var current = new List<Candidate> { c };
        while (current.Count > 0 && current[0].Applied < target)
        {
            var set = new CandidateSet();
            foreach (var x in current)
                foreach (var y in AdvanceOne(x)) set.Add(y);
            current = Cap(set);
        }
        return current;
    }

    private IEnumerable<Candidate> AdvanceOne(Candidate c)
    {
        var (captured, seg) = _received[c.Applied];
        foreach (var v in _moves.SilentClosure(c, captured.Index))
        {
            var next = _moves.Arrive(v, seg, captured.Index);
            next.Applied = c.Applied + 1;
            yield return next;
        }
        if (c.Losses < _options.Loss)
        {
            var lost = c.Clone();
            lost.Applied = c.Applied + 1;
            lost.Losses++;
            lost.Assumptions = [.. c.Assumptions, new Assumption("lost", captured.Index, $"frame #{captured.Index} was lost after the capture point (it never reached {Name})")];
            lost.History = new Lineage(c.History, (int)c.Ep.State, $"#{captured.Index} lost", captured.Index, 0);
            yield return lost;
        }
    }

    // ---- sent segments --------------------------------------------------------------------

    /// <summary>Every candidate that explains the sent segment, with the received segments before it applied (all, or fewer when some may have crossed it).</summary>
    private List<Candidate> Explain(List<Candidate> candidates, CapturedSegment sent, int mustApply)
    {
        var result = new CandidateSet();
        foreach (var c in candidates)
        {
            var states = Advance(c, Math.Max(c.Applied, mustApply));
            while (states.Count > 0)
            {
                foreach (var s in states)
                    foreach (var r in _matcher.Match(s, sent)) result.Add(r);
                if (states[0].Applied >= _received.Count) break;
                var set = new CandidateSet();
                foreach (var s in states)
                    foreach (var y in AdvanceOne(s)) set.Add(y);
                states = Cap(set);
            }
        }
        return Cap(result);
    }

    // ---- bookkeeping ----------------------------------------------------------------------

    private List<Candidate> Cap(CandidateSet set)
    {
        if (set.Count <= _options.MaxCandidates) return set.Items.ToList();
        if (!_capped)
        {
            _capped = true;
            _notes.Add($"more than {_options.MaxCandidates} candidate states: only the first {_options.MaxCandidates} were kept, so a verdict of non-conformance may be a false alarm");
        }
        return set.Items.Take(_options.MaxCandidates).ToList();
    }

    private EndpointResult Result(List<Candidate> candidates, Failure? failure)
    {
        var best = candidates.OrderBy(c => c.DeviationCount).ThenBy(c => c.Losses).ThenBy(c => c.Hidden).ThenBy(c => c.Lag).FirstOrDefault();
        var assumptions = best?.Assumptions ?? [];
        if (_received.Crossing > 0)
            _notes.Add($"segments captured less than {_received.Crossing * 1000:0.###} ms before one {Name} sent may not have reached {Name} yet (the capture was not taken at {Name})");
        // The states shown are those of the simplest explanations: fewest assumptions, then fewest assumed calls and timeouts.
        var simplest = best is null ? candidates : candidates.Where(c => c.Simplicity == best.Simplicity && c.Losses == best.Losses).ToList();
        var (states, byFrame, sequences) = Timeline.Describe(_stepper, simplest);
        return new EndpointResult(_side, _connection.Address(_side), failure, states, assumptions, _notes, byFrame)
        {
            Sequences = sequences,
            Final = candidates,
        };
    }
}
