namespace TcpSpec.Tests.Engine;

/// <summary>
/// RFC 6298's RTO estimator (RFC 9293 §3.8.1, MUST-18) as the runtime keeps it when its driver
/// gives it the time (<see cref="TcpRuntime.Now"/>): the first sample (§2.2), later samples
/// (§2.3), the 1 s floor (§2.4), and Karn's algorithm (§3: no sample from a retransmitted
/// segment). Each expected RTO is worked out from the RFC's formulas in the test.
/// </summary>
public class RttEstimatorTests
{
    private const uint Iss = Fixtures.Iss, Irs = Fixtures.Irs;

    private sealed class Clocked
    {
        public Endpoint Ep = Fixtures.Established();
        public readonly TcpRuntime Rt = new(EngineUnderTest.Current);

        /// <summary>At time <paramref name="at"/> ms the application sends one octet.</summary>
        public void SendAt(long at) { Rt.Now = at; Rt.Send(ref Ep, 1); }

        /// <summary>At time <paramref name="at"/> ms the peer acknowledges everything sent.</summary>
        public void AckAllAt(long at) { Rt.Now = at; Rt.Arrive(ref Ep, Peer.Ack(Irs + 1, Ep.SndNxt)); }

        /// <summary>The RTO the next armed retransmission timer gets.</summary>
        public int ArmedRto()
        {
            SendAt(Rt.Now ?? 0);
            foreach (var t in Rt.Effects.TimerCommands)
                if (t.Arm && t.Timer == TimerKind.Retransmit) return t.DurationMs;
            throw new InvalidOperationException("no retransmission timer armed");
        }
    }

    [Fact]
    public void Without_a_clock_the_rto_stays_at_the_initial_one_second()
    {
        var c = new Clocked();
        c.Rt.Now = null;
        c.Rt.Send(ref c.Ep, 1);
        c.Rt.Arrive(ref c.Ep, Peer.Ack(Irs + 1, c.Ep.SndNxt));
        Assert.False(c.Ep.Has(EndpointFlags.RttMeasured));
        Assert.Equal(1000, c.ArmedRto());
    }

    [Fact]
    public void The_first_sample_sets_srtt_and_rttvar_and_a_large_rtt_gives_rto_srtt_plus_4_rttvar()
    {
        var c = new Clocked();
        c.SendAt(10_000);
        c.AckAllAt(12_000); // R = 2000 ms
        // §2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + max(G, 4·RTTVAR) = 2000 + 4000.
        Assert.Equal(2000u, c.Ep.Srtt);
        Assert.Equal(1000u, c.Ep.RttVar);
        Assert.Equal(6000, c.ArmedRto());
    }

    [Fact]
    public void Later_samples_follow_the_smoothing_formulas()
    {
        var c = new Clocked();
        c.SendAt(0);
        c.AckAllAt(2000);   // SRTT 2000, RTTVAR 1000
        c.SendAt(5000);
        c.AckAllAt(6000);   // R' = 1000
        // §2.3: RTTVAR = 3/4·1000 + 1/4·|2000 − 1000| = 1000; SRTT = 7/8·2000 + 1/8·1000 = 1875.
        Assert.Equal(1000u, c.Ep.RttVar);
        Assert.Equal(1875u, c.Ep.Srtt);
        Assert.Equal(1875 + 4000, c.ArmedRto());
    }

    [Fact]
    public void A_short_rtt_is_floored_at_one_second()
    {
        var c = new Clocked();
        c.SendAt(0);
        c.AckAllAt(40); // SRTT 40, RTTVAR 20: 40 + 80 = 120 ms, below §2.4's 1 s minimum
        Assert.Equal(1000, c.ArmedRto());
    }

    [Fact]
    public void Karn_no_sample_from_a_retransmitted_segment()
    {
        var c = new Clocked();
        c.SendAt(0);
        c.Rt.Now = 1000;
        c.Rt.Expire(ref c.Ep, TimerKind.Retransmit); // the segment is sent again
        c.AckAllAt(1200); // ambiguous: the ACK of the first or of the second transmission?
        Assert.False(c.Ep.Has(EndpointFlags.RttMeasured));
        Assert.Equal(0u, c.Ep.Srtt);
    }

    [Fact]
    public void One_segment_is_timed_at_a_time()
    {
        var c = new Clocked();
        c.SendAt(0);     // timed
        c.SendAt(500);   // not timed: one measurement at a time (RFC 6298 §3)
        c.AckAllAt(3000);
        // The sample is the first segment's round trip, 3000 ms, not 2500.
        Assert.Equal(3000u, c.Ep.Srtt);
    }
}
