namespace TcpSpec;

/// <summary>
/// RFC 6298's retransmission timer estimator (RFC 9293 §3.8.1, MUST-18): SRTT and RTTVAR from
/// round-trip samples, RTO = SRTT + max(G, K·RTTVAR) within [<see cref="TcpConfig.MinRtoMs"/>,
/// <see cref="TcpConfig.MaxRtoMs"/>]. One segment is timed at a time (§3); Karn's algorithm:
/// a retransmission stops the timing, so no sample comes from a segment sent more than once.
/// The machine reads no clock: samples are taken only when the runtime is given the time
/// (<see cref="TcpRuntime.Now"/>); without one (the checker's model) the RTO before backoff stays
/// at <see cref="TcpConfig.InitialRtoMs"/> (§2.1).
/// </summary>
internal static class RttEstimator
{
    /// <summary>RFC 6298 §2: α = 1/8, β = 1/4, K = 4.</summary>
    private const int K = 4;

    /// <summary>The RTO before backoff: the initial RTO (§2.1) until a first sample, then §2.2–§2.4's formula.</summary>
    public static int BaseRto(in Endpoint ep, TcpConfig c)
    {
        if (!ep.Has(EndpointFlags.RttMeasured)) return c.InitialRtoMs;
        long rto = (long)ep.Srtt + Math.Max(c.ClockGranularityMs, (long)K * ep.RttVar);
        return (int)Math.Clamp(rto, c.MinRtoMs, c.MaxRtoMs); // §2.4: at least 1 s; §2.5: a maximum of at least 60 s
    }

    /// <summary>Takes one round-trip sample of <paramref name="r"/> ms into SRTT and RTTVAR (§2.2 first, §2.3 later).</summary>
    public static void Sample(ref Endpoint ep, uint r)
    {
        if (!ep.Has(EndpointFlags.RttMeasured))
        {
            ep.Srtt = r;
            ep.RttVar = r / 2;
            ep.Flags |= EndpointFlags.RttMeasured;
            return;
        }
        // RTTVAR first, with the SRTT before this sample (§2.3).
        uint diff = ep.Srtt > r ? ep.Srtt - r : r - ep.Srtt;
        ep.RttVar = (uint)((3L * ep.RttVar + diff) / 4);
        ep.Srtt = (uint)((7L * ep.Srtt + r) / 8);
    }

    /// <summary>A segment carrying new sequence space was just sent, ending at SND.NXT: time it unless one is being timed (§3).</summary>
    public static void StartTiming(ref TcpContext ctx)
    {
        ref var ep = ref ctx.Ep;
        if (ctx.Now is not { } now || ep.Has(EndpointFlags.RttTiming)) return;
        ep.TimedSeq = ep.SndNxt;
        ep.TimedAt = unchecked((uint)now);
        ep.Flags |= EndpointFlags.RttTiming;
    }

    /// <summary>Karn's algorithm (§3, RFC 9293 MUST-18): a retransmission makes any ACK of the timed segment ambiguous.</summary>
    public static void StopTiming(ref Endpoint ep) => ep.Flags &= ~EndpointFlags.RttTiming;

    /// <summary>SND.UNA moved to <paramref name="ack"/>: if that acknowledges the timed segment, its round trip is a sample.</summary>
    public static void Acknowledged(ref TcpContext ctx, uint ack)
    {
        ref var ep = ref ctx.Ep;
        if (ctx.Now is not { } now || !ep.Has(EndpointFlags.RttTiming) || !Seq.Ge(ack, ep.TimedSeq)) return;
        StopTiming(ref ep);
        Sample(ref ep, unchecked((uint)now - ep.TimedAt));
    }
}
