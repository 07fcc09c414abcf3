namespace TcpSpec.Checker.Mutation;

/// <summary>
/// Actions the runtime implements alike (src/TcpSpec/Machine/TcpMachine.Actions.cs), so a mutant
/// that swaps one for the other, or drops a no-op, decides nothing differently in any run:
/// <list type="bullet">
/// <item><c>SendChallengeAck</c> is <c>SendAck</c>: RFC 5961's challenge ACK is the ordinary
/// <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;</c> (§3.2, §4.2, §5.2); the runtime does not
/// rate-limit challenge ACKs (§7's SHOULD), which is the only place the two could differ;</item>
/// <item><c>Drop</c> does nothing: the row only records that the segment was seen and discarded.</item>
/// </list>
/// <see cref="Equivalence"/> compares rows' actions through <see cref="Normalize"/>; the tests
/// check the claim on the runtime (a table with every alias replaced explores the same worlds).
/// </summary>
public static class SameEffect
{
    /// <summary>Action → the action the runtime implements it as.</summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SendChallengeAck"] = "SendAck",
    };

    /// <summary>Actions with no effect at all.</summary>
    public static readonly IReadOnlySet<string> NoOps = new HashSet<string>(StringComparer.Ordinal) { "Drop" };

    /// <summary>A row's actions as the runtime runs them: aliases resolved, no-ops left out.</summary>
    public static string Normalize(IEnumerable<string> actions) =>
        string.Join(",", actions.Where(a => !NoOps.Contains(a)).Select(a => Aliases.TryGetValue(a, out var same) ? same : a));
}
