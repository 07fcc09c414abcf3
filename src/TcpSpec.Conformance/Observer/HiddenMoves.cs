using TcpSpec.Conformance.Pcap;

namespace TcpSpec.Conformance.Observer;

/// <summary>
/// What the observer may assume happened at the endpoint without the capture showing it: user
/// calls and timer expiries (RFC 9293 §3.9, §3.10.8), alone or a few in a row, and received
/// segments held until the gap before them is filled (§3.10.7.4).
/// </summary>
internal sealed class HiddenMoves(CandidateStepper stepper)
{
    private readonly CandidateStepper _stepper = stepper;

    public readonly record struct Move(TcpEvent Event, uint Amount, bool R2, string Label);

    /// <summary>
    /// The user calls and timer expiries the observer may assume. SEND carries exactly the text
    /// the observed segment has beyond what was already written; a retransmission timeout is tried
    /// both before and after R2 (the give-up threshold is the stack's, not the trace's).
    /// </summary>
    public IEnumerable<Move> Moves(Candidate c, CapturedSegment? observed)
    {
        var ep = c.Ep;
        int state = (int)ep.State;
        if (observed is not null)
        {
            var s = observed.Seg;
            if (s.IsSyn && !s.IsAck && _stepper.ClosedOrListen(state)) yield return new Move(TcpEvent.OpenActive, 0, false, "OPEN-ACTIVE");
            if (s.Length > 0 && !_stepper.ClosedOrListen(state))
            {
                uint written = ep.Iss + 1 + ep.SndWritten + (ep.Has(EndpointFlags.FinSent) ? 1u : 0u);
                uint end = s.TextSeq + s.Length;
                if (Seq.Gt(end, written) && end - written <= 0x00FF_FFFF) yield return new Move(TcpEvent.Send, end - written, false, $"SEND {end - written}");
            }
        }
        if (!_stepper.ClosedOrListen(state) || state == _stepper.Listen)
        {
            yield return new Move(TcpEvent.Close, 0, false, "CLOSE");
            yield return new Move(TcpEvent.Abort, 0, false, "ABORT");
        }
        foreach (var (timer, ev) in TcpRuntime.Timeouts)
        {
            if ((ep.Timers & timer) == 0) continue;
            string label = TcpMachine.EventNames[(int)ev];
            if (timer != TimerKind.Retransmit)
            {
                yield return new Move(ev, 0, false, label);
                continue;
            }
            if (observed is not null) yield return new Move(ev, 0, false, label);
            yield return new Move(ev, 0, true, $"{label} (R2 reached)");
        }
    }

    /// <summary>The candidate and what user calls and timeouts that send nothing can make of it (two deep).</summary>
    public List<Candidate> SilentClosure(Candidate c, long frame)
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
                    var y = _stepper.Step(x, m.Event, default, m.Amount, $"{m.Label} before #{frame}", frame, m.R2, out var emitted, out _);
                    if (emitted.Length > 0 || y.Ep.Equals(x.Ep)) continue;
                    y.Hidden++;
                    if (set.Add(y)) next.Add(y);
                }
            }
            level = next;
        }
        return set.Items.ToList();
    }

    private const int MaxHeld = 32;

    /// <summary>
    /// A segment arrives. One that begins beyond RCV.NXT is also held, and processed again once
    /// RCV.NXT reaches it: RFC 9293 §3.10.7.4 says such segments SHOULD be held (SHLD-31), and
    /// real stacks do, so their acknowledgments may cover text that arrived out of order. (The
    /// table discards them, a deliberate choice; a stack that discards too acknowledges less,
    /// which the acknowledgment rule allows.)
    /// </summary>
    public Candidate Arrive(Candidate c, in Segment seg, long frame)
    {
        uint before = c.Ep.RcvNxt;
        bool sync = _stepper.Synchronized(c.Ep);
        var next = _stepper.Step(c, TcpRuntime.Classify(seg), seg, 0, $"#{frame}", frame, false, out _, out _);
        if (sync && _stepper.Synchronized(next.Ep) && (seg.Length > 0 || seg.IsFin) && !seg.IsSyn && !seg.IsRst
            && Seq.Gt(seg.TextSeq, before) && next.Ep.RcvNxt == before && next.Held.Length < MaxHeld)
        {
            next.Held = [.. next.Held, new Held(seg, frame)];
        }
        for (int guard = 0; guard < MaxHeld && next.Held.Length > 0 && _stepper.Synchronized(next.Ep); guard++)
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
            next = _stepper.Step(next, TcpRuntime.Classify(h.Seg), h.Seg, 0, $"#{h.Frame} (held until #{frame} filled the gap)", frame, false, out _, out _);
        }
        if (!_stepper.Synchronized(next.Ep)) next.Held = [];
        return next;
    }
}
