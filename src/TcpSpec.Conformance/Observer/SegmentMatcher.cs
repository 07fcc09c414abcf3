using TcpSpec.Conformance.Pcap;

namespace TcpSpec.Conformance.Observer;

/// <summary>
/// Whether a candidate explains a segment the endpoint sent: as (part of) what a row emitted and
/// the capture has not shown yet, coalesced or cut as stacks do; as a bare acknowledgment within
/// the acknowledgment range; as a retransmission of what is unacknowledged; or after up to
/// <see cref="HiddenDepth"/> <see cref="HiddenMoves"/>. The explanations with the fewest hidden
/// moves win, and each deviation of the profile it needed is named.
/// </summary>
internal sealed class SegmentMatcher(CandidateStepper stepper, HiddenMoves moves, int hiddenDepth)
{
    private readonly CandidateStepper _stepper = stepper;

    public CandidateStepper Stepper => _stepper;

    public HiddenMoves Moves { get; } = moves;

    /// <summary>The most user calls and timeouts assumed before a sent segment.</summary>
    public int HiddenDepth { get; } = hiddenDepth;

    /// <summary>The candidates that explain <paramref name="sent"/> from <paramref name="c"/> with the fewest hidden moves.</summary>
    public List<Candidate> Match(Candidate c, CapturedSegment sent)
    {
        var seen = new CandidateSet();
        seen.Add(c);
        var level = new List<Candidate> { c };
        for (int depth = 0; ; depth++)
        {
            var found = new CandidateSet();
            foreach (var n in level)
                foreach (var r in MatchHere(n, sent)) found.Add(r);
            if (found.Count > 0 || depth == HiddenDepth) return found.Items.ToList();
            var next = new List<Candidate>();
            foreach (var n in level)
            {
                foreach (var m in Moves.Moves(n, sent))
                {
                    var y = _stepper.Step(n, m.Event, default, m.Amount, $"{m.Label} for #{sent.Index}", sent.Index, m.R2, out var emitted, out _);
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
        if (CandidateStepper.IsPureAck(s) && _stepper.Synchronized(c.Ep) && AckInRange(c, s.Ack))
        {
            if (s.Seq == SendPosition(c)) yield return After(c, sent, c.Owed, Relaxations.None, $"sends #{sent.Index}");
            else if (_stepper.Profile.Allows(Relaxations.Probes) && s.Seq == c.Ep.SndUna - 1)
                yield return After(c, sent, c.Owed, Relaxations.Probes, $"sends #{sent.Index} (probe)");
        }
        if (_stepper.Profile.Allows(Relaxations.AnyRetransmission) && IsRetransmission(c, s))
            yield return After(c, sent, c.Owed, Relaxations.AnyRetransmission, $"sends #{sent.Index} (retransmission)");
    }

    /// <summary>Text (and FIN) already sent and not yet acknowledged, sent again from anywhere in the retransmission queue.</summary>
    private bool IsRetransmission(Candidate c, in Segment s)
    {
        if (!CandidateStepper.DataLike(s) || !s.IsAck || !_stepper.Synchronized(c.Ep) || !c.HasSentHigh || !AckInRange(c, s.Ack)) return false;
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
            var d = _stepper.Profile.DeviationFor(relaxation);
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
                if (e.IsAck || !_stepper.Profile.Allows(Relaxations.ResetCarriesAck) || !o.Synchronized
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
        if (CandidateStepper.IsPureAck(e))
        {
            if (!CandidateStepper.IsPureAck(s) || s.Seq != e.Seq || !AckInRange(c, s.Ack)) return false;
            owed = Without(c.Owed, i);
            return true;
        }
        if (!CandidateStepper.DataLike(e) || !CandidateStepper.DataLike(s) || s.IsAck != e.IsAck) return false;
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
            k = list.FindIndex(o => CandidateStepper.DataLike(o.Seg) && o.Seg.Seq == pos && o.Seg.IsAck == ackBit);
            if (k < 0) return false;
        }
        owed = list.ToArray();
        return true;
    }

    private static Owed[] Without(Owed[] owed, int i) => [.. owed[..i], .. owed[(i + 1)..]];
}
