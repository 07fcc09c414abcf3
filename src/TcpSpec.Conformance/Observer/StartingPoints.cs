using TcpSpec.Language;
using TcpSpec.Conformance.Pcap;

namespace TcpSpec.Conformance.Observer;

/// <summary>
/// Where an observation of one endpoint may start: CLOSED, or LISTEN after a passive OPEN; for a
/// handshake whose first segment the capture missed, just after it; for a capture that began
/// mid-connection, synchronized states with numbers read from the first segments; for a 4-tuple
/// used again, where the previous incarnation ended (its TCB may still hold the 4-tuple).
/// </summary>
internal sealed class StartingPoints
{
    private readonly CandidateStepper _stepper;
    private readonly Connection _connection;
    private readonly int _side;
    private readonly List<string> _notes;
    private readonly IReadOnlyList<Candidate>? _continued;
    private readonly int _continuedFrom;
    private readonly bool _fresh;

    /// <param name="notes">Where to say what was assumed about the start.</param>
    /// <param name="continued">
    /// For a 4-tuple used again: where this endpoint was at the end of the previous incarnation
    /// (connection <paramref name="continuedFrom"/>). The TCB that still holds the 4-tuple
    /// (TIME-WAIT, say) receives the new connection's segments.
    /// </param>
    /// <param name="fresh">With <paramref name="continued"/>: whether the endpoint may also start afresh (CLOSED, or LISTEN after a new passive OPEN), the old TCB being gone.</param>
    public StartingPoints(CandidateStepper stepper, Connection connection, int side, List<string> notes, IReadOnlyList<Candidate>? continued, int continuedFrom, bool fresh)
    {
        _stepper = stepper;
        _connection = connection;
        _side = side;
        _notes = notes;
        _continued = continued is { Count: > 0 } ? continued : null;
        _continuedFrom = continuedFrom;
        _fresh = fresh;
    }

    private string Name => _side == 0 ? "A" : "B";

    /// <summary>Every starting point of the endpoint, in a fixed order.</summary>
    public List<Candidate> Initial()
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
        _stepper.OpenPassive(ref listen);
        var listening = Root(listen, "start (listening)");
        if (_stepper.Listen >= 0) set.Add(listening);

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
            var next = _stepper.Step(c, TcpRuntime.Classify(syn), syn, 0, "the SYN it answers (not captured)", 0, false, out _, out _);
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
            var next = _stepper.Step(c, TcpEvent.OpenActive, default, 0, "OPEN-ACTIVE (its SYN was not captured)", 0, false, out _, out _);
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

        Endpoint Make(int state, EndpointFlags extra, uint iss, uint irs)
        {
            var ep = Endpoint.Create(0);
            ep.State = (TcpState)state;
            ep.Iss = iss;
            ep.Irs = irs;
            ep.SndUna = sndUna;
            ep.SndNxt = sndNxt;
            ep.RcvNxt = rcvNxt;
            ep.SndWnd = 65535;
            ep.RcvWnd = CandidateStepper.Config.ReceiveWindow;
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

        var table = _stepper.Profile.Engine.Table;
        int established = table.StateWith(StateRole.Established), finWait2 = table.StateWith(StateRole.FinWait2), closeWait = table.StateWith(StateRole.CloseWait);
        if (established >= 0) yield return Start(Make(established, 0, sndUna - 1, rcvNxt - 1));
        if (sndUna == sndNxt && finWait2 >= 0)
            yield return Start(Make(finWait2, EndpointFlags.FinQueued | EndpointFlags.FinSent, sndUna - 2, rcvNxt - 1));
        if (closeWait >= 0)
            yield return Start(Make(closeWait, EndpointFlags.FinReceived, sndUna - 1, rcvNxt - 2));
    }
}
