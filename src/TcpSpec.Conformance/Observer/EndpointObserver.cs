using TcpSpec.Conformance.Pcap;

namespace TcpSpec.Conformance.Observer;

/// <summary>How hard the observer looks, and what it may assume about the capture.</summary>
public sealed record ObserverOptions
{
    /// <summary>The most candidates kept per endpoint; beyond it the set is cut (and the verdict says so).</summary>
    public int MaxCandidates { get; init; } = 256;

    /// <summary>The most user calls and timeouts assumed between two segments an endpoint sends.</summary>
    public int HiddenDepth { get; init; } = 3;

    /// <summary>How many captured segments may have been lost after the capture point, per endpoint (0: none).</summary>
    public int Loss { get; init; }

    /// <summary>Whether segments captured shortly before one an endpoint sends may not have reached it yet (they crossed).</summary>
    public bool Crossing { get; init; } = true;

    /// <summary>
    /// The shortest TIME-WAIT the observer believes (2 MSL; RFC 9293 §3.6.1 MUST-13), in seconds:
    /// a 4-tuple used again sooner than this after its previous incarnation's last segment, while
    /// that incarnation's endpoint is in TIME-WAIT, reaches the TIME-WAIT TCB, not a new listener.
    /// RFC 9293 takes MSL to be 2 minutes; stacks wait 30 s to 4 minutes (Linux 60 s), so one
    /// second is far on the safe side.
    /// </summary>
    public double MinTimeWait { get; init; } = 1.0;
}

/// <summary>The first segment an endpoint sent that the spec does not allow.</summary>
public sealed record Failure(long Frame, double Time, Segment Segment, IReadOnlyList<string> States, string Explanation);

/// <summary>What the observer concluded about one endpoint of a connection.</summary>
public sealed record EndpointResult(
    int Side,
    TcpAddress Address,
    Failure? Failure,
    string States,
    IReadOnlyList<Assumption> Assumptions,
    IReadOnlyList<string> Notes,
    IReadOnlyDictionary<long, string> StatesByFrame)
{
    public bool Conforms => Failure is null;

    public string Name => Side == 0 ? "A" : "B";

    /// <summary>The state sequences <see cref="States"/> prints, one per simplest explanation (state names only, without causes).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Sequences { get; init; } = [];

    /// <summary>The candidates at the end of the connection (or at the failure): where the next incarnation of the 4-tuple starts from.</summary>
    internal IReadOnlyList<Candidate> Final { get; init; } = [];
}

/// <summary>
/// Follows one endpoint of a captured connection through the table as an observer. It never sees
/// the application's calls or the timers, so it keeps the set of <see cref="Candidate"/>s the
/// endpoint may be in. A segment the endpoint receives is applied to every candidate (the table
/// is deterministic). A segment it sends must be explained by some candidate: as a segment a row
/// already emitted and the capture has not shown yet, as a pure acknowledgment carrying nothing
/// new, or as the output of up to <see cref="ObserverOptions.HiddenDepth"/> user calls and timer
/// expiries (OPEN, SEND, CLOSE, ABORT, the retransmission, TIME-WAIT and user timers). The
/// candidates that explain it survive; when none does, that segment is the first the spec does
/// not allow, and the observer says why for every row that could have sent it.
/// </summary>
internal sealed partial class EndpointObserver
{
    /// <summary>MSS and windows as large as a segment and the TCB can say; R2 as a choice (see <see cref="Moves"/>).</summary>
    internal static readonly TcpConfig Config = new() { Mss = 65535, ReceiveWindow = 65535, MaxRetransmissions = 1, SynMaxRetransmissions = 1, UserTimeoutMs = 0 };

    private const int MaxOwed = 16;

    private static readonly string[] SynchronizedNames = ["ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT"];

    private readonly Profile _profile;
    private readonly ObserverOptions _options;
    private readonly Connection _connection;
    private readonly int _side;
    private readonly TcpRuntime _runtime;
    private readonly IReadOnlyList<string> _stateNames;
    private readonly bool[] _synchronized;
    private readonly int _listen;
    private readonly List<(CapturedSegment Captured, Segment Seg)> _received = new();
    private readonly List<string> _notes = new();
    private readonly double _crossing;
    private readonly int[] _shift = [-1, -1];
    private bool _capped;

    private readonly IReadOnlyList<Candidate>? _continued;
    private readonly int _continuedFrom;
    private readonly bool _fresh;

    /// <param name="continued">
    /// For a 4-tuple used again: where this endpoint was at the end of the previous incarnation
    /// (connection <paramref name="continuedFrom"/>). The TCB that still holds the 4-tuple
    /// (TIME-WAIT, say) receives the new connection's segments.
    /// </param>
    /// <param name="fresh">With <paramref name="continued"/>: whether the endpoint may also start afresh (CLOSED, or LISTEN after a new passive OPEN), the old TCB being gone.</param>
    public EndpointObserver(Profile profile, ObserverOptions options, Connection connection, int side, IReadOnlyList<Candidate>? continued = null, int continuedFrom = 0, bool fresh = true)
    {
        _continued = continued is { Count: > 0 } ? continued : null;
        _continuedFrom = continuedFrom;
        _fresh = fresh;
        _profile = profile;
        _options = options;
        _connection = connection;
        _side = side;
        _runtime = new TcpRuntime(profile.Engine, Config);
        _stateNames = profile.Engine.StateNames;
        _synchronized = _stateNames.Select(n => SynchronizedNames.Contains(n)).ToArray();
        _listen = _stateNames.ToList().IndexOf("LISTEN");
        ReadWindowScale();
        _crossing = options.Crossing ? CrossingWindow() : 0;
    }

    private string Name => _side == 0 ? "A" : "B";

    internal string StateName(int state) => state >= 0 && state < _stateNames.Count ? _stateNames[state] : $"state {state}";

    internal bool Synchronized(in Endpoint ep) => (int)ep.State < _synchronized.Length && _synchronized[(int)ep.State];

    private bool ClosedOrListen(int state) => state == 0 || state == _listen;

    public EndpointResult Run()
    {
        var candidates = Initial();
        foreach (var cs in _connection.Segments)
        {
            double now = cs.Captured.Time;
            if (cs.From != _side)
            {
                _received.Add((cs.Captured, Received(cs)));
                candidates = AdvanceAll(candidates, MustApply(now));
                continue;
            }
            var next = Explain(candidates, cs.Captured, MustApply(now));
            if (next.Count == 0)
            {
                var failure = Explainer.Explain(this, candidates, cs.Captured);
                var survivors = AdvanceAll(candidates, MustApply(now));
                return Result(survivors.Count > 0 ? survivors : candidates, failure);
            }
            candidates = next;
        }
        candidates = AdvanceAll(candidates, _received.Count);
        return Result(candidates, null);
    }

    /// <summary>How many received segments must have arrived by <paramref name="now"/>: all but those captured within the crossing window.</summary>
    private int MustApply(double now)
    {
        int n = _received.Count;
        while (n > 0 && _received[n - 1].Captured.Time + _crossing > now) n--;
        return n;
    }

    // ---- setup ----------------------------------------------------------------------------

    /// <summary>RFC 7323 §2.2: SEG.WND is scaled only when both SYNs carried the window scale option.</summary>
    private void ReadWindowScale()
    {
        foreach (var cs in _connection.Segments)
        {
            if (cs.Seg.IsSyn && _shift[cs.From] < 0 && cs.Captured.Options.WindowScale >= 0) _shift[cs.From] = cs.Captured.Options.WindowScale;
        }
        if (_shift[0] < 0 || _shift[1] < 0) _shift[0] = _shift[1] = -1;
    }

    /// <summary>The captured segment as it arrives: SEG.WND scaled (and capped at what the TCB holds).</summary>
    private Segment Received(ConnectionSegment cs)
    {
        var seg = cs.Seg;
        int shift = _shift[cs.From];
        if (shift > 0 && !seg.IsSyn) seg = seg with { Window = (ushort)Math.Min(65535L, (long)seg.Window << shift) };
        return seg;
    }

    /// <summary>How much longer than the quickest observed reply a crossing may take.</summary>
    private const double JitterFactor = 1.5;

    /// <summary>
    /// The time within which a segment this endpoint sends may have left before a segment
    /// captured earlier reached it: the round trip between the capture point and this endpoint,
    /// estimated as the quickest reply (an ACK covering a received SYN, FIN or text) times
    /// <see cref="JitterFactor"/>. Zero when the capture was taken at this endpoint (its replies
    /// are captured at once), or no reply was seen.
    /// </summary>
    private double CrossingWindow()
    {
        double best = double.PositiveInfinity;
        var segs = _connection.Segments;
        uint? high = null;
        for (int i = 0; i < segs.Count; i++)
        {
            if (segs[i].From == _side || segs[i].Seg.SegLen == 0 || segs[i].Seg.IsRst) continue;
            uint end = segs[i].Seg.Seq + segs[i].Seg.SegLen;
            // Only segments that bring something new: an ACK covering a retransmission may answer the original.
            if (high is uint h && !Seq.Gt(end, h)) continue;
            high = end;
            for (int j = i + 1; j < segs.Count; j++)
            {
                var s = segs[j];
                if (s.From != _side || !s.Seg.IsAck) continue;
                if (Seq.Ge(s.Seg.Ack, end))
                {
                    best = Math.Min(best, s.Captured.Time - segs[i].Captured.Time);
                    break;
                }
            }
        }
        // The quickest reply measures the round trip at its shortest; delays vary (queues, timers), so half as much again.
        return double.IsFinite(best) && best > 0 ? best * JitterFactor : 0;
    }

    private List<Candidate> Initial()
    {
        var segs = _connection.Segments;
        var firstSyn = segs.FirstOrDefault(s => s.From == _side && s.Seg.IsSyn && !s.Seg.IsRst);
        uint iss = firstSyn.Captured is null ? 0 : firstSyn.Seg.Seq;
        var set = new CandidateSet();
        if (_continued is not null)
        {
            foreach (var c in Continue(firstSyn.Captured is null ? null : iss)) set.Add(c);
            if (!_fresh) return set.Items.ToList();
        }
        var closed = Root(Endpoint.Create(iss), "start");
        set.Add(closed);
        var listen = closed.Ep;
        _runtime.OpenPassive(ref listen);
        var listening = Root(listen, "start (listening)");
        if (_listen >= 0) set.Add(listening);

        if (segs.Count == 0) return set.Items.ToList();

        if (_connection.MidStream)
        {
            foreach (var c in MidStream()) set.Add(c);
            _notes.Add("no SYN was captured: followed from an assumed open connection (ESTABLISHED, FIN-WAIT-2 or CLOSE-WAIT, numbers read from the first segments), or a closed port");
            return set.Items.ToList();
        }

        // A handshake whose SYN was not captured: the endpoint's first segment is a SYN,ACK.
        var own = segs.FindIndex(s => s.From == _side);
        var peer = segs.FindIndex(s => s.From != _side);
        bool synBefore(int limit) => segs.Take(limit < 0 ? segs.Count : limit).Any(s => s.Seg.IsSyn && !s.Seg.IsAck && !s.Seg.IsRst);
        if (own >= 0 && segs[own].Seg.IsSyn && segs[own].Seg.IsAck && !segs[own].Seg.IsRst && !synBefore(own))
        {
            // It answers a SYN the capture missed: LISTEN and that SYN.
            var synAck = segs[own].Seg;
            var c = listening.Clone();
            var syn = new Segment(synAck.Ack - 1, 0, TcpFlags.Syn, 65535, 0);
            var next = Step(c, TcpRuntime.Classify(syn), syn, 0, "the SYN it answers (not captured)", 0, false, out _, out _);
            set.Add(next);
            _notes.Add($"{Name} answers a SYN the capture does not hold: assumed it arrived before the capture began");
        }
        if (peer >= 0 && segs[peer].Seg.IsSyn && segs[peer].Seg.IsAck && !segs[peer].Seg.IsRst && !synBefore(peer)
            && (own < 0 || own > peer))
        {
            // It receives a SYN,ACK for a SYN the capture missed: it had opened actively.
            var synAck = segs[peer].Seg;
            var ep = Endpoint.Create(synAck.Ack - 1);
            var c = Root(ep, "start");
            var next = Step(c, TcpEvent.OpenActive, default, 0, "OPEN-ACTIVE (its SYN was not captured)", 0, false, out _, out _);
            next.Owed = [];
            next.SentHigh = next.Ep.SndNxt;
            next.HasSentHigh = true;
            set.Add(next);
            _notes.Add($"{Name}'s SYN is not in the capture: assumed it was sent before the capture began");
        }
        return set.Items.ToList();
    }

    private Candidate Root(Endpoint ep, string cause) => new() { Ep = ep, History = new Lineage(null, (int)ep.State, cause, 0, 0) };

    /// <summary>
    /// The previous incarnation's final candidates as this connection's starting points: the same
    /// TCB (its sequence numbers, what it owes, what it was seen sending), with this connection's
    /// own count of applied segments, assumptions and history. <paramref name="iss"/>, the ISS the
    /// endpoint uses in this connection (its SYN or SYN,ACK), is what its next SelectIss takes.
    /// </summary>
    private IEnumerable<Candidate> Continue(uint? iss)
    {
        foreach (var prev in _continued!)
        {
            var c = prev.Clone();
            if (iss is uint i) c.Ep.NextIss = i;
            c.Applied = 0;
            c.Losses = 0;
            c.Hidden = 0;
            c.Lag = 0;
            c.Held = [];
            c.Assumptions = [];
            c.History = new Lineage(null, (int)c.Ep.State, $"continued from connection {_continuedFrom}", 0, 0);
            yield return c;
        }
    }

    /// <summary>Synchronized starting points for a capture that began mid-connection.</summary>
    private IEnumerable<Candidate> MidStream()
    {
        var segs = _connection.Segments;
        int sx = segs.FindIndex(s => s.From == _side && !s.Seg.IsRst);
        int ry = segs.FindIndex(s => s.From != _side && !s.Seg.IsRst);
        if (sx < 0 && ry < 0) yield break;
        uint sndNxt, rcvNxt, sndUna;
        if (sx >= 0 && (ry < 0 || sx < ry) && segs[sx].Seg.IsAck) rcvNxt = segs[sx].Seg.Ack;
        else if (ry >= 0) rcvNxt = segs[ry].Seg.Seq;
        else rcvNxt = segs[sx].Seg.Ack;
        if (sx >= 0) sndNxt = segs[sx].Seg.Seq;
        else sndNxt = segs[ry].Seg.Ack;
        if (ry >= 0 && segs[ry].Seg.IsAck && (sx < 0 || ry < sx) && Seq.Gt(segs[ry].Seg.Ack, sndNxt)) sndNxt = segs[ry].Seg.Ack;
        sndUna = ry >= 0 && segs[ry].Seg.IsAck && Seq.Le(segs[ry].Seg.Ack, sndNxt) ? segs[ry].Seg.Ack : sndNxt;

        Endpoint Make(string state, EndpointFlags extra, uint iss, uint irs)
        {
            var ep = Endpoint.Create(0);
            ep.State = (TcpState)_stateNames.ToList().IndexOf(state);
            ep.Iss = iss;
            ep.Irs = irs;
            ep.SndUna = sndUna;
            ep.SndNxt = sndNxt;
            ep.RcvNxt = rcvNxt;
            ep.SndWnd = 65535;
            ep.RcvWnd = Config.ReceiveWindow;
            ep.SndWl1 = irs;
            ep.SndWl2 = sndUna;
            ep.Flags = EndpointFlags.SynReceived | extra;
            uint sent = sndNxt - iss - 1 - ((extra & EndpointFlags.FinSent) != 0 ? 1u : 0u);
            ep.SndWritten = sent;
            if (sndUna != sndNxt) ep.Timers = TimerKind.Retransmit;
            return ep;
        }

        Candidate Start(Endpoint ep) => new()
        {
            Ep = ep,
            SentHigh = sndNxt,
            HasSentHigh = true,
            History = new Lineage(null, (int)ep.State, "mid-stream start", 0, 0),
        };

        if (_stateNames.Contains("ESTABLISHED")) yield return Start(Make("ESTABLISHED", 0, sndUna - 1, rcvNxt - 1));
        if (sndUna == sndNxt && _stateNames.Contains("FIN-WAIT-2"))
            yield return Start(Make("FIN-WAIT-2", EndpointFlags.FinQueued | EndpointFlags.FinSent, sndUna - 2, rcvNxt - 1));
        if (_stateNames.Contains("CLOSE-WAIT"))
            yield return Start(Make("CLOSE-WAIT", EndpointFlags.FinReceived, sndUna - 1, rcvNxt - 2));
    }

    // ---- stepping -------------------------------------------------------------------------

    /// <summary>One step of the engine on a copy of the candidate: the new candidate, what it emitted and the row.</summary>
    internal Candidate Step(Candidate c, TcpEvent ev, in Segment seg, uint amount, string cause, long frame, bool r2, out Segment[] emitted, out int row)
    {
        var ep = c.Ep;
        if (ev is TcpEvent.RetransmitTimeout or TcpEvent.TimeWaitTimeout or TcpEvent.UserTimeout)
        {
            var timer = ev switch { TcpEvent.RetransmitTimeout => TimerKind.Retransmit, TcpEvent.TimeWaitTimeout => TimerKind.TimeWait, _ => TimerKind.User };
            ep.Retries = r2 ? (byte)Config.MaxRetransmissions : (byte)0;
            row = _runtime.Expire(ref ep, timer);
        }
        else if (ev == TcpEvent.Send && Seq.Gt(ep.SndUna, ep.Iss))
        {
            // Flow control is not checked: a SEND goes out whole, whatever the flight. The TCB's
            // 16-bit SND.WND cannot hold a scaled window (RFC 7323), so the observer opens the
            // window for the step (SND.UNA at SND.NXT, SND.WND at its largest) and restores both.
            uint una = ep.SndUna;
            ushort wnd = ep.SndWnd;
            ep.SndUna = ep.SndNxt;
            ep.SndWnd = ushort.MaxValue;
            row = _runtime.Step(ref ep, ev, seg, amount);
            ep.SndUna = una;
            ep.SndWnd = wnd;
        }
        else
        {
            row = _runtime.Step(ref ep, ev, seg, amount);
        }
        emitted = _runtime.Effects.Segments.ToArray();
        ep.RcvBuffered = 0; // the application reads whatever arrives
        ep.Retries = 0;     // R2 is a choice the observer makes at each timeout

        var next = c.Clone();
        next.Ep = ep;
        bool forgotten = ClosedOrListen((int)ep.State) && (int)c.Ep.State != (int)ep.State;
        var owed = forgotten ? new List<Owed>() : c.Owed.ToList();
        if (forgotten)
        {
            next.HasLastAck = false;
            next.HasSentHigh = false;
        }
        // A new incarnation without passing through CLOSED or LISTEN (a SYN accepted in TIME-WAIT):
        // what the old one was seen sending and acknowledging says nothing about the new one.
        if (ep.Iss != c.Ep.Iss) next.HasSentHigh = false;
        if (ep.Irs != c.Ep.Irs) next.HasLastAck = false;
        bool sync = Synchronized(ep);
        bool hadSyn = c.Ep.Has(EndpointFlags.SynReceived);
        foreach (var s in emitted)
        {
            if (sync && IsPureAck(s)) continue; // covered by the pure-ACK rule
            owed.Add(new Owed(s, row, frame, AckFloor(c), c.Ep.RcvNxt, hadSyn));
        }
        next.Owed = Prune(owed, ep);
        if (row > 0 && _profile.DeviationRows.TryGetValue(row, out var dev))
            next.Assumptions = [.. c.Assumptions, new Assumption(dev.Id, frame, dev.Description)];
        next.History = new Lineage(c.History, (int)ep.State, cause, frame, row);
        return next;
    }

    internal static bool IsPureAck(in Segment s) => (s.Flags & (TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Rst | TcpFlags.Ack)) == TcpFlags.Ack && s.Length == 0;

    internal static bool DataLike(in Segment s) => !s.IsSyn && !s.IsRst && (s.Length > 0 || s.IsFin);

    /// <summary>Drops what the peer has acknowledged (and trims what it acknowledged in part), keeps at most <see cref="MaxOwed"/>.</summary>
    private static Owed[] Prune(List<Owed> owed, in Endpoint ep)
    {
        if (ep.Has(EndpointFlags.SynReceived) && Seq.Gt(ep.SndUna, ep.Iss))
        {
            for (int i = owed.Count - 1; i >= 0; i--)
            {
                var s = owed[i].Seg;
                if (s.IsSyn) { owed.RemoveAt(i); continue; }
                if (!DataLike(s)) continue;
                uint end = s.Seq + s.SegLen;
                if (Seq.Le(end, ep.SndUna)) { owed.RemoveAt(i); continue; }
                if (Seq.Lt(s.Seq, ep.SndUna))
                {
                    uint cut = ep.SndUna - s.Seq;
                    if (cut <= s.Length) owed[i] = owed[i] with { Seg = s with { Seq = s.Seq + cut, Length = (ushort)(s.Length - cut), Payload = s.Payload + cut } };
                }
            }
        }
        if (owed.Count > MaxOwed) owed.RemoveRange(0, owed.Count - MaxOwed);
        return owed.ToArray();
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
    internal List<Candidate> Advance(Candidate c, int target)
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
        foreach (var v in SilentClosure(c, captured.Index))
        {
            var next = Arrive(v, seg, captured.Index);
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

    private const int MaxHeld = 32;

    /// <summary>
    /// A segment arrives. One that begins beyond RCV.NXT is also held, and processed again once
    /// RCV.NXT reaches it: RFC 9293 §3.10.7.4 says such segments SHOULD be held (SHLD-31), and
    /// real stacks do, so their acknowledgments may cover text that arrived out of order. (The
    /// table discards them, a deliberate choice; a stack that discards too acknowledges less,
    /// which the acknowledgment rule allows.)
    /// </summary>
    private Candidate Arrive(Candidate c, in Segment seg, long frame)
    {
        uint before = c.Ep.RcvNxt;
        bool sync = Synchronized(c.Ep);
        var next = Step(c, TcpRuntime.Classify(seg), seg, 0, $"#{frame}", frame, false, out _, out _);
        if (sync && Synchronized(next.Ep) && (seg.Length > 0 || seg.IsFin) && !seg.IsSyn && !seg.IsRst
            && Seq.Gt(seg.TextSeq, before) && next.Ep.RcvNxt == before && next.Held.Length < MaxHeld)
        {
            next.Held = [.. next.Held, new Held(seg, frame)];
        }
        for (int guard = 0; guard < MaxHeld && next.Held.Length > 0 && Synchronized(next.Ep); guard++)
        {
            uint nxt = next.Ep.RcvNxt;
            var held = next.Held.Where(h => Seq.Gt(h.Seg.Seq + h.Seg.SegLen, nxt)).ToArray();
            int i = Array.FindIndex(held, h => Seq.Le(h.Seg.TextSeq, nxt));
            if (i < 0)
            {
                next.Held = held;
                break;
            }
            var h = held[i];
            next.Held = [.. held[..i], .. held[(i + 1)..]];
            next = Step(next, TcpRuntime.Classify(h.Seg), h.Seg, 0, $"#{h.Frame} (held until #{frame} filled the gap)", frame, false, out _, out _);
        }
        if (!Synchronized(next.Ep)) next.Held = [];
        return next;
    }

    /// <summary>The candidate and what user calls and timeouts that send nothing can make of it (two deep).</summary>
    private List<Candidate> SilentClosure(Candidate c, long frame)
    {
        var set = new CandidateSet();
        set.Add(c);
        var level = new List<Candidate> { c };
        for (int depth = 0; depth < 2 && level.Count > 0; depth++)
        {
            var next = new List<Candidate>();
            foreach (var x in level)
            {
                foreach (var m in Moves(x, null))
                {
                    var y = Step(x, m.Event, default, m.Amount, $"{m.Label} before #{frame}", frame, m.R2, out var emitted, out _);
                    if (emitted.Length > 0 || y.Ep.Equals(x.Ep)) continue;
                    y.Hidden++;
                    if (set.Add(y)) next.Add(y);
                }
            }
            level = next;
        }
        return set.Items.ToList();
    }

    // ---- hidden moves ---------------------------------------------------------------------

    internal readonly record struct Move(TcpEvent Event, uint Amount, bool R2, string Label);

    /// <summary>
    /// The user calls and timer expiries the observer may assume. SEND carries exactly the text
    /// the observed segment has beyond what was already written; a retransmission timeout is tried
    /// both before and after R2 (the give-up threshold is the stack's, not the trace's).
    /// </summary>
    internal IEnumerable<Move> Moves(Candidate c, CapturedSegment? observed)
    {
        var ep = c.Ep;
        int state = (int)ep.State;
        if (observed is not null)
        {
            var s = observed.Seg;
            if (s.IsSyn && !s.IsAck && ClosedOrListen(state)) yield return new Move(TcpEvent.OpenActive, 0, false, "OPEN-ACTIVE");
            if (s.Length > 0 && !ClosedOrListen(state))
            {
                uint written = ep.Iss + 1 + ep.SndWritten + (ep.Has(EndpointFlags.FinSent) ? 1u : 0u);
                uint end = s.TextSeq + s.Length;
                if (Seq.Gt(end, written) && end - written <= 0x00FF_FFFF) yield return new Move(TcpEvent.Send, end - written, false, $"SEND {end - written}");
            }
        }
        if (!ClosedOrListen(state) || state == _listen)
        {
            yield return new Move(TcpEvent.Close, 0, false, "CLOSE");
            yield return new Move(TcpEvent.Abort, 0, false, "ABORT");
        }
        if ((ep.Timers & TimerKind.Retransmit) != 0)
        {
            if (observed is not null) yield return new Move(TcpEvent.RetransmitTimeout, 0, false, "RETRANSMIT-TIMEOUT");
            yield return new Move(TcpEvent.RetransmitTimeout, 0, true, "RETRANSMIT-TIMEOUT (R2 reached)");
        }
        if ((ep.Timers & TimerKind.TimeWait) != 0) yield return new Move(TcpEvent.TimeWaitTimeout, 0, false, "TIME-WAIT-TIMEOUT");
        if ((ep.Timers & TimerKind.User) != 0) yield return new Move(TcpEvent.UserTimeout, 0, false, "USER-TIMEOUT");
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
                    foreach (var r in Match(s, sent)) result.Add(r);
                if (states[0].Applied >= _received.Count) break;
                var set = new CandidateSet();
                foreach (var s in states)
                    foreach (var y in AdvanceOne(s)) set.Add(y);
                states = Cap(set);
            }
        }
        return Cap(result);
    }

    /// <summary>The candidates that explain <paramref name="sent"/> from <paramref name="c"/> with the fewest hidden moves.</summary>
    private List<Candidate> Match(Candidate c, CapturedSegment sent)
    {
        var seen = new CandidateSet();
        seen.Add(c);
        var level = new List<Candidate> { c };
        for (int depth = 0; ; depth++)
        {
            var found = new CandidateSet();
            foreach (var n in level)
                foreach (var r in MatchHere(n, sent)) found.Add(r);
            if (found.Count > 0 || depth == _options.HiddenDepth) return found.Items.ToList();
            var next = new List<Candidate>();
            foreach (var n in level)
            {
                foreach (var m in Moves(n, sent))
                {
                    var y = Step(n, m.Event, default, m.Amount, $"{m.Label} for #{sent.Index}", sent.Index, m.R2, out var emitted, out _);
                    if (emitted.Length == 0 && y.Ep.Equals(n.Ep)) continue;
                    y.Hidden++;
                    if (seen.Add(y)) next.Add(y);
                }
            }
            if (next.Count == 0) return [];
            level = next;
        }
    }

    /// <summary>The send position the endpoint has been seen to reach: a pure ACK carries it as its SEQ.</summary>
    internal static uint SendPosition(Candidate c) => c.HasSentHigh ? c.SentHigh : c.Ep.SndNxt;

    /// <summary>
    /// The acknowledgment rule: SEG.ACK may lag the spec's RCV.NXT (delayed and cumulative
    /// acknowledgments) but never goes back below the last one the endpoint sent, and never
    /// acknowledges what it has not received: last ACK sent (IRS + 1 at first) =&lt; SEG.ACK =&lt; RCV.NXT.
    /// </summary>
    internal static bool AckInRange(Candidate c, uint ack) =>
        c.Ep.Has(EndpointFlags.SynReceived) && Seq.Le(AckFloor(c), ack) && Seq.Le(ack, c.Ep.RcvNxt);

    internal static uint AckFloor(Candidate c) => c.HasLastAck ? c.LastAck : c.Ep.Irs + 1;

    /// <summary>The ways the candidate, as it is, explains the sent segment.</summary>
    private IEnumerable<Candidate> MatchHere(Candidate c, CapturedSegment sent)
    {
        var s = sent.Seg;
        for (int i = 0; i < c.Owed.Length; i++)
        {
            if (Cover(c, s, i, out var owed, out var relaxation))
                yield return After(c, sent, owed, relaxation, $"sends #{sent.Index}");
        }
        if (IsPureAck(s) && Synchronized(c.Ep) && AckInRange(c, s.Ack))
        {
            if (s.Seq == SendPosition(c)) yield return After(c, sent, c.Owed, Relaxations.None, $"sends #{sent.Index}");
            else if (_profile.Allows(Relaxations.Probes) && s.Seq == c.Ep.SndUna - 1)
                yield return After(c, sent, c.Owed, Relaxations.Probes, $"sends #{sent.Index} (probe)");
        }
        if (_profile.Allows(Relaxations.AnyRetransmission) && IsRetransmission(c, s))
            yield return After(c, sent, c.Owed, Relaxations.AnyRetransmission, $"sends #{sent.Index} (retransmission)");
    }

    /// <summary>Text (and FIN) already sent and not yet acknowledged, sent again from anywhere in the retransmission queue.</summary>
    private bool IsRetransmission(Candidate c, in Segment s)
    {
        if (!DataLike(s) || !s.IsAck || !Synchronized(c.Ep) || !c.HasSentHigh || !AckInRange(c, s.Ack)) return false;
        uint end = s.Seq + s.SegLen;
        if (!Seq.Le(c.Ep.SndUna, s.Seq) || !Seq.Le(end, c.SentHigh)) return false;
        // A FIN only where the FIN was sent: at the very end.
        return !s.IsFin || (c.Ep.Has(EndpointFlags.FinSent) && end == c.SentHigh);
    }

    private Candidate After(Candidate c, CapturedSegment sent, Owed[] owed, Relaxations relaxation, string cause)
    {
        var s = sent.Seg;
        var next = c.Clone();
        next.Owed = owed;
        if (s.IsAck && c.Ep.Has(EndpointFlags.SynReceived) && s.Ack != c.Ep.RcvNxt && !s.IsRst) next.Lag++;
        if (s.IsAck && c.Ep.Has(EndpointFlags.SynReceived) && (!c.HasLastAck || Seq.Gt(s.Ack, c.LastAck)))
        {
            next.LastAck = s.Ack;
            next.HasLastAck = true;
        }
        if (!s.IsRst)
        {
            uint end = s.Seq + s.SegLen;
            if (!c.HasSentHigh || Seq.Gt(end, c.SentHigh))
            {
                next.SentHigh = end;
                next.HasSentHigh = true;
            }
        }
        if (relaxation != Relaxations.None)
        {
            var d = _profile.DeviationFor(relaxation);
            next.Assumptions = [.. c.Assumptions, new Assumption(d.Id, sent.Index, d.Description)];
        }
        next.History = new Lineage(c.History, (int)c.Ep.State, cause, sent.Index, 0);
        return next;
    }

    /// <summary>
    /// Whether the sent segment is owed entry <paramref name="i"/>, or starts at it and runs on
    /// through the owed entries that follow it in sequence (a stack may coalesce what the spec sends
    /// in several segments: segmentation offload, a FIN on the last text), or is a part of it (a
    /// stack may cut it into smaller segments; the rest stays owed, and a part before it may have
    /// been lost before the capture point).
    /// </summary>
    internal bool Cover(Candidate c, in Segment s, int i, out Owed[] owed, out Relaxations relaxation)
    {
        owed = c.Owed;
        relaxation = Relaxations.None;
        var e = c.Owed[i].Seg;
        if (e.IsRst)
        {
            if (!s.IsRst || s.IsSyn || s.IsFin || s.Seq != e.Seq || s.Length != 0) return false;
            if (s.IsAck != e.IsAck)
            {
                var o = c.Owed[i];
                if (e.IsAck || !_profile.Allows(Relaxations.ResetCarriesAck) || !o.Synchronized
                    || !Seq.Le(o.AckFloor, s.Ack) || !Seq.Le(s.Ack, o.RcvNxt)) return false;
                relaxation = Relaxations.ResetCarriesAck;
            }
            else if (e.IsAck && s.Ack != e.Ack)
            {
                return false;
            }
            owed = Without(c.Owed, i);
            return true;
        }
        if (s.IsRst) return false;
        if (e.IsSyn)
        {
            if (!s.IsSyn || s.IsFin || s.IsAck != e.IsAck || s.Seq != e.Seq || s.Length != 0) return false;
            if (e.IsAck && !AckInRange(c, s.Ack)) return false;
            owed = Without(c.Owed, i);
            return true;
        }
        if (s.IsSyn) return false;
        if (IsPureAck(e))
        {
            if (!IsPureAck(s) || s.Seq != e.Seq || !AckInRange(c, s.Ack)) return false;
            owed = Without(c.Owed, i);
            return true;
        }
        if (!DataLike(e) || !DataLike(s) || s.IsAck != e.IsAck) return false;
        if (s.IsAck && !AckInRange(c, s.Ack)) return false;

        var list = c.Owed.ToList();
        bool ackBit = s.IsAck;
        int k = i;
        if (s.Seq != e.Seq)
        {
            // The segment starts inside this one's text: the part before it, never seen sent, was
            // lost before the capture point (or is still to come); it stays owed. (Text already seen
            // is not skipped over: a retransmission starts at SND.UNA.)
            if (!(Seq.Lt(e.Seq, s.Seq) && Seq.Lt(s.Seq, e.Seq + e.Length))) return false;
            if (c.HasSentHigh && Seq.Lt(e.Seq, c.SentHigh)) return false;
            uint head = s.Seq - e.Seq;
            list[i] = c.Owed[i] with { Seg = e with { Length = (ushort)head, Flags = e.Flags & ~TcpFlags.Fin } };
            list.Insert(i + 1, c.Owed[i] with { Seg = e with { Seq = s.Seq, Length = (ushort)(e.Length - head), Payload = e.Payload + head } });
            k = i + 1;
        }
        uint pos = s.Seq;
        int remaining = s.Length;
        while (true)
        {
            var entry = list[k];
            var x = entry.Seg;
            int take = Math.Min(remaining, (int)x.Length);
            if (take < x.Length)
            {
                // The sent segment ends inside this one's text: the rest stays owed.
                if (s.IsFin || take == 0) return false;
                list[k] = entry with { Seg = x with { Seq = x.Seq + (uint)take, Length = (ushort)(x.Length - take), Payload = x.Payload + (uint)take } };
                break;
            }
            remaining -= take;
            pos += (uint)take;
            if (x.IsFin)
            {
                if (remaining > 0) return false; // text beyond our FIN
                if (s.IsFin) { list.RemoveAt(k); break; }
                if (take == 0) return false;
                list[k] = entry with { Seg = x with { Seq = pos, Length = 0, Payload = 0 } }; // the FIN stays owed
                break;
            }
            list.RemoveAt(k);
            if (remaining == 0 && !s.IsFin) break;
            k = list.FindIndex(o => DataLike(o.Seg) && o.Seg.Seq == pos && o.Seg.IsAck == ackBit);
            if (k < 0) return false;
        }
        owed = list.ToArray();
        return true;
    }

    private static Owed[] Without(Owed[] owed, int i) => [.. owed[..i], .. owed[(i + 1)..]];

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
        if (_crossing > 0)
            _notes.Add($"segments captured less than {_crossing * 1000:0.###} ms before one {Name} sent may not have reached {Name} yet (the capture was not taken at {Name})");
        // The states shown are those of the simplest explanations: fewest assumptions, then fewest assumed calls and timeouts.
        var simplest = best is null ? candidates : candidates.Where(c => c.Simplicity == best.Simplicity && c.Losses == best.Losses).ToList();
        var (states, byFrame, sequences) = Timeline.Describe(this, simplest);
        return new EndpointResult(_side, _connection.Address(_side), failure, states, assumptions, _notes, byFrame)
        {
            Sequences = sequences,
            Final = candidates,
        };
    }
}
