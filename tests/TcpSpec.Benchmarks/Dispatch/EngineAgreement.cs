using TcpSpec.Engines;

namespace TcpSpec.Benchmarks.Dispatch;

/// <summary>
/// Keeps the baseline honest: the hand-written switch, the generated engine and the interpreted
/// engine must decide every step alike (row, endpoint, outputs). Run in every benchmark's setup
/// and in smoke mode; a difference throws.
/// </summary>
internal static class EngineAgreement
{
    /// <summary>Each engine replays the stream and matches the recording step by step.</summary>
    public static void AssertStream(EventStream stream, InterpretedEngine interpreted)
    {
        StreamReplay.Verify("the generated engine", new GeneratedDispatch(), stream);
        StreamReplay.Verify("the hand-written switch", new HandWrittenDispatch(), stream);
        StreamReplay.Verify("the interpreted engine", new InterpretedDispatch(interpreted), stream);
    }

    /// <summary>The endpoint with one thing changed that guards look at: R2 reached, the foreign socket specified, a CLOSE queued, text buffered or unsent, the other kind of OPEN, our FIN crossing the peer's (CLOSING).</summary>
    private static IEnumerable<Endpoint> Variants(Endpoint e, TcpConfig config)
    {
        var v = e;
        v.Retries = (byte)config.MaxRetransmissions;
        yield return v;
        v = e;
        v.Flags |= EndpointFlags.ForeignSpecified;
        yield return v;
        v = e;
        v.SndWritten += 5;
        yield return v;
        v.Flags |= EndpointFlags.FinQueued;
        yield return v;
        v.SndWritten -= 5;
        yield return v;
        v = e;
        v.RcvBuffered += 3;
        yield return v;
        v = e;
        v.Flags ^= EndpointFlags.Passive;
        yield return v;
        v.Retries = (byte)config.MaxRetransmissions;
        yield return v;
        if (e.State == TcpState.FinWait1)
        {
            v = e;
            v.State = TcpState.Closing;
            v.Flags |= EndpointFlags.FinReceived;
            v.RcvNxt += 1;
            yield return v;
        }
    }

    /// <summary>
    /// Beyond the streams: every endpoint the streams pass through (and variants of it, see
    /// <see cref="Variants"/>) meets every event — user calls, every segment seen
    /// in the streams of that kind, segments aimed at its own RCV.NXT and SND.NXT, timeouts — and the
    /// three engines must agree on each. Returns the cases tried and the rows none of them fired.
    /// </summary>
    public static (long Cases, int[] Missing) CrossCheck(InterpretedEngine interpreted, int maxEndpoints = 1200)
    {
        var config = TcpConfig.Default;
        var streams = EventStreams.Names.Select(EventStreams.Get).ToList();
        var endpoints = new List<Endpoint>();
        var seen = new HashSet<Endpoint>();
        foreach (var s in streams)
        {
            foreach (var e in s.Initial.Concat(s.After))
            {
                if (seen.Count >= maxEndpoints) break;
                if (!seen.Add(e)) continue;
                endpoints.Add(e);
                foreach (var v in Variants(e, config)) endpoints.Add(v);
            }
        }
        var segments = streams.SelectMany(s => s.Steps).Where(st => st.Event is >= TcpEvent.Syn and <= TcpEvent.Bare)
            .Select(st => st.Seg).Distinct().ToList();
        var byEvent = new List<Segment>[TcpMachine.EventNames.Count];
        for (int e = 0; e < byEvent.Length; e++) byEvent[e] = new List<Segment>();
        var rng = new System.Random(7);
        foreach (var seg in segments.OrderBy(_ => rng.Next())) byEvent[(int)TcpRuntime.Classify(seg)].Add(seg);
        foreach (var list in byEvent) if (list.Count > 24) list.RemoveRange(24, list.Count - 24);

        var rows = new bool[TcpMachine.RowCount + 1];
        long cases = 0;
        var fx = new Effects();
        var flagSets = new[] { TcpFlags.Syn, TcpFlags.Syn | TcpFlags.Ack, TcpFlags.Syn | TcpFlags.Fin, TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Ack, TcpFlags.Ack,
            TcpFlags.Fin, TcpFlags.Fin | TcpFlags.Ack, TcpFlags.Rst, TcpFlags.Rst | TcpFlags.Ack, TcpFlags.None };
        foreach (var ep in endpoints)
        {
            for (int ev = 0; ev < TcpMachine.EventNames.Count; ev++)
            {
                var e = (TcpEvent)ev;
                if (e is >= TcpEvent.Syn and <= TcpEvent.Bare)
                {
                    foreach (var seg in byEvent[ev]) rows[Compare(ep, e, seg, 0)] = true;
                    cases += byEvent[ev].Count;
                }
                else if (e <= TcpEvent.Abort)
                {
                    foreach (uint amount in new uint[] { 0, 1, 700 }) rows[Compare(ep, e, default, amount)] = true;
                    cases += 3;
                }
                else if (e == TcpEvent.RetransmitTimeout)
                {
                    // Every retry count up to past the SYN R2, so the R1 notice and the give-up rows are compared too.
                    for (byte retries = 0; retries <= config.SynMaxRetransmissions + 1; retries++)
                    {
                        var at = ep;
                        at.Retries = retries;
                        rows[Compare(at, e, default, 0)] = true;
                        cases++;
                    }
                }
                else if (e is TcpEvent.IcmpSoft or TcpEvent.IcmpHard)
                {
                    // The quoted TCP header at the oldest unacknowledged octet, the last sent one and just outside (RFC 5927 §4.1: IcmpSeqAcceptable).
                    foreach (uint seq in new[] { ep.SndUna, ep.SndNxt - 1, ep.SndUna - 1, ep.SndNxt })
                        rows[Compare(ep, e, new Segment(seq, 0, TcpFlags.None, 0, 0), 0)] = true;
                    cases += 4;
                }
                else
                {
                    rows[Compare(ep, e, default, 0)] = true;
                    cases++;
                }
            }
            // Segments aimed at this endpoint's own numbers: exact, in window, acknowledging what it sent, or beyond.
            foreach (var flags in flagSets)
            {
                foreach (uint ack in new[] { ep.SndNxt, ep.SndUna, ep.SndNxt + 1, ep.Iss + 1 })
                {
                    foreach (uint seq in new[] { ep.RcvNxt, ep.RcvNxt - 1, ep.RcvNxt + 2, ep.Irs })
                    {
                        foreach (ushort len in new ushort[] { 0, 2 })
                        {
                            var seg = new Segment(seq, ack, flags, 4096, len, len == 0 ? 0 : 0x30_0000u);
                            rows[Compare(ep, TcpRuntime.Classify(seg), seg, 0)] = true;
                            cases++;
                        }
                    }
                }
            }
        }
        return (cases, Enumerable.Range(1, TcpMachine.RowCount).Where(r => !rows[r]).ToArray());

        int Compare(Endpoint start, TcpEvent ev, Segment seg, uint amount)
        {
            var g = start;
            fx.Clear();
            var ctx = new TcpContext(ref g, config, fx, ev, seg, amount);
            int rg = TcpMachine.Dispatch(g.State, ev, ref ctx);
            bool ackG = ctx.AckNeeded;
            ulong dg = EventStream.Digest(fx);

            var h = start;
            fx.Clear();
            ctx = new TcpContext(ref h, config, fx, ev, seg, amount);
            int rh = HandWrittenEngine.Dispatch(h.State, ev, ref ctx);
            bool ackH = ctx.AckNeeded;
            ulong dh = EventStream.Digest(fx);

            var i = start;
            fx.Clear();
            ctx = new TcpContext(ref i, config, fx, ev, seg, amount);
            int ri = interpreted.Dispatch(ev, ref ctx);
            bool ackI = ctx.AckNeeded;
            ulong di = EventStream.Digest(fx);

            if (rg != rh || g != h || dg != dh || ackG != ackH)
                throw new InvalidOperationException($"the hand-written switch differs from the generated engine on {TcpMachine.EventNames[(int)ev]} {seg} amount {amount} in {start}: R{rh} vs R{rg}");
            if (rg != ri || g != i || dg != di || ackG != ackI)
                throw new InvalidOperationException($"the interpreted engine differs from the generated engine on {TcpMachine.EventNames[(int)ev]} {seg} amount {amount} in {start}: R{ri} vs R{rg}");
            return rg;
        }
    }
}
