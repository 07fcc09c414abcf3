namespace TcpSpec.Checker.Mutation;

/// <summary>
/// Actions the runtime implements alike (src/TcpSpec/Machine/TcpMachine.Actions.cs), so a mutant
/// that swaps one for the other, or drops a no-op, decides nothing differently in any run:
/// <list type="bullet">
/// <item><c>SendChallengeAck</c> is <c>SendAck</c>: RFC 5961's challenge ACK is the ordinary
/// <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;</c> (§3.2, §4.2, §5.2); the runtime does not
/// rate-limit challenge ACKs (§7's SHOULD), which is the only place the two could differ;</item>
/// <item><c>Drop</c> does nothing: the row only records that the segment was seen and discarded;</item>
/// <item><c>SendAck</c> right before or after <c>ReceiveFin</c> adds nothing: both only set the
/// step's "an ACK is owed" flag (<c>ctx.AckNeeded = true</c>; the runtime sends that ACK once,
/// after the row, MUST-58), <c>SendAck</c> does nothing else, and no action runs between the two
/// that could send the ACK early and clear the flag. Setting a flag twice is setting it once.
/// (Not so with another action between them: <c>Transmit</c> may send text carrying the ACK and
/// clear the flag, which a later <c>SendAck</c> sets again.)</item>
/// <item><c>ProcessAck</c> right before <c>DeleteTcb</c> leaves no trace: it only moves TCB
/// variables (SND.UNA, the window, the RTT estimate, the retry count and backoff) and arms or
/// cancels the retransmission and user timers; it sends and reports nothing. <c>DeleteTcb</c>
/// then clears every variable but the ISN generator and the stream tag, which <c>ProcessAck</c>
/// never touches, and cancels every timer.</item>
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

    /// <summary>Actions that owe the peer an ACK and do other work too: a <c>SendAck</c> next to one adds nothing.</summary>
    public static readonly IReadOnlySet<string> OweAnAck = new HashSet<string>(StringComparer.Ordinal) { "ReceiveFin" };

    /// <summary>Actions that change only the TCB and its timers: right before <c>DeleteTcb</c> they are undone.</summary>
    public static readonly IReadOnlySet<string> TcbOnly = new HashSet<string>(StringComparer.Ordinal) { "ProcessAck" };

    /// <summary>A row's actions as the runtime runs them: aliases resolved, no-ops left out, a <c>SendAck</c> next to an action that owes the ACK anyway left out, and so is a TCB-only action right before <c>DeleteTcb</c>.</summary>
    public static string Normalize(IEnumerable<string> actions)
    {
        var run = actions.Where(a => !NoOps.Contains(a)).Select(a => Aliases.TryGetValue(a, out var same) ? same : a).ToList();
        var kept = new List<string>(run.Count);
        for (int i = 0; i < run.Count; i++)
        {
            bool absorbed = (run[i] == "SendAck"
                    && ((i > 0 && OweAnAck.Contains(run[i - 1])) || (i + 1 < run.Count && OweAnAck.Contains(run[i + 1]))))
                || (TcbOnly.Contains(run[i]) && i + 1 < run.Count && run[i + 1] == "DeleteTcb");
            if (!absorbed) kept.Add(run[i]);
        }
        return string.Join(",", kept);
    }
}
