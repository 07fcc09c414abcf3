namespace TcpSpec.Checker.Mutation;

/// <summary>
/// The kinds of action <c>replace-action</c> swaps among (issue 11): an action is replaced only by
/// another declared action of its kind, so a mutant is a plausible slip of a reviewer, not noise.
/// <list type="bullet">
/// <item><c>segment</c>: actions that send a segment (Send*, Resend*, ReplyReset, Retransmit, Transmit, ProbeWindow; RFC 9293 §3.10.7's replies).</item>
/// <item><c>signal</c>: actions that tell the user something (Signal*; RFC 9293 §3.10 "signal the user").</item>
/// <item><c>error</c>: answers to a user call that fails (Error*; RFC 9293 §3.10.1–§3.10.6 "error: ...").</item>
/// </list>
/// Other actions (TCB bookkeeping, queues, timers) have no kind: swapping them would mostly make a
/// table that does two unrelated things at once, so they are only removed (<c>remove-action</c>).
/// </summary>
public static class ActionKinds
{
    private static readonly string[] SegmentPrefixes = ["Send", "Resend", "Reply", "Retransmit", "Transmit", "Probe"];

    /// <summary>The kind of action <paramref name="name"/>, or null when it has none.</summary>
    public static string? Of(string name) =>
        SegmentPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) ? "segment"
        : name.StartsWith("Signal", StringComparison.Ordinal) ? "signal"
        : name.StartsWith("Error", StringComparison.Ordinal) ? "error"
        : null;
}
