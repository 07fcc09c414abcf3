namespace TcpSpec.Checker.Mutation;

/// <summary>
/// Pairs of guards that never hold together in the runs that judge mutants, proved from what the
/// guards mean (src/TcpSpec/Machine/TcpMachine.Guards.cs) and the configurations of those runs.
/// <see cref="Equivalence"/> then leaves out the valuations in which both hold, so that a move of
/// one such row above the other is found equivalent:
/// <list type="bullet">
/// <item><c>ReachesR1</c> is <c>Retries + 1 = R1</c> and <c>RetriesExhausted</c> is
/// <c>Retries ≥ R2</c>, R2 being the data limit or the SYN's (RFC 9293 §3.8.3). Both hold only if
/// R1 − 1 ≥ R2, that is R1 &gt; R2; when every configuration has R1 ≤ both R2s (§3.8.3 wants R1
/// reached first: the user is told of the problem before the connection is given up), the R1-th
/// retransmission is never the give-up, and the two rows are disjoint.</item>
/// <item><c>FinAcked</c> requires SEG.ACK = SND.NXT and <c>AckTooOld</c> SEG.ACK &lt; SND.UNA −
/// MAX.SND.WND (RFC 5961 §5.2). Both would need SND.NXT &lt; SND.UNA − MAX.SND.WND, which modulo
/// 2^32 means (SND.NXT − SND.UNA) + MAX.SND.WND &gt; 2^31; but SND.UNA =&lt; SND.NXT always
/// (ProcessAck moves SND.UNA only up to SND.NXT), SND.NXT − SND.UNA is what is in flight, and
/// MAX.SND.WND is a 16-bit window (the runtime has no window scaling): the sum stays below 2^17.
/// So a FIN's acknowledgment is never a too-old ACK, in every configuration.</item>
/// </list>
/// A fact is stated only when it holds for every configuration given: one run whose limits break
/// it (a profile with R1 &gt; R2) and the pair is not exclusive.
/// </summary>
public static class GuardFacts
{
    /// <summary>The guard pairs that never both hold under every one of <paramref name="configs"/> (and those that never do in any), with why.</summary>
    public static IReadOnlyList<ExclusiveGuards> Exclusive(IEnumerable<TcpConfig> configs)
    {
        var all = configs.ToList();
        var facts = new List<ExclusiveGuards>();
        if (all.Count > 0 && all.All(c => c.R1Retransmissions <= c.MaxRetransmissions && c.R1Retransmissions <= c.SynMaxRetransmissions))
            facts.Add(new("ReachesR1", "RetriesExhausted",
                "ReachesR1 (Retries + 1 = R1) and RetriesExhausted (Retries ≥ R2) never both hold: every run has R1 ≤ R2, for data and for a SYN"));
        facts.Add(new("FinAcked", "AckTooOld",
            "FinAcked (SEG.ACK = SND.NXT) and AckTooOld (SEG.ACK < SND.UNA − MAX.SND.WND) never both hold: SND.UNA =< SND.NXT, and what is in flight plus a 16-bit MAX.SND.WND is far below 2^31"));
        return facts;
    }
}

/// <summary>Two guards that never hold at once, and the argument.</summary>
public sealed record ExclusiveGuards(string A, string B, string Why);
