namespace TcpSpec.Checker.Model;

/// <summary>
/// A global state of the model: two hosts, the network between them and the fault budgets
/// left. A value of a few hundred bytes; the checker stores only its 64-bit hash once visited.
/// </summary>
public struct World
{
    public HostState A;
    public HostState B;
    public Network Net;
    public byte LossLeft;
    public byte DupLeft;
    public byte CrashLeft;
    /// <summary>The deadlines of the armed timers (all zero with --untimed-timers).</summary>
    public TimerClock Clock;
    /// <summary>Old segments the network may still deliver again (--stale).</summary>
    public byte StaleLeft;
    /// <summary>Segments the blind attacker may still forge (--attack).</summary>
    public byte AttackLeft;
    /// <summary>The segments the network remembers for --stale (empty when no stale budget is left).</summary>
    public OldSegments Seen;
    /// <summary>Stray calls the applications may still make beyond their scripts (--calls).</summary>
    public byte CallsLeft;
    /// <summary>ICMP errors the network may still send in answer to a segment in flight (--icmp).</summary>
    public byte IcmpLeft;

    /// <summary>Host <paramref name="i"/>, read in place (a reference, not a copy of its 104 bytes).</summary>
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    public readonly ref readonly HostState Host(int i) => ref i == 0 ? ref A : ref B;

    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    public ref HostState HostRef(int i) => ref i == 0 ? ref A : ref B;

    /// <summary>The most 64-bit words <see cref="Hash64"/> reads: two hosts, the budgets, the clock, three per segment in flight, the old segments.</summary>
    internal const int MaxWords = 2 * HostState.Words + 2 + Network.Capacity * Flight.Words + 1 + OldSegments.Capacity * Flight.Words + 2;

    /// <summary>
    /// The fingerprint of the state (TLC's term): deterministic across runs and processes. The
    /// canonical encoding — both hosts as raw words, the budgets, the timer deadlines, the sorted segments field by
    /// field — hashed by <see cref="Fingerprint"/>.
    /// </summary>
    [System.Runtime.CompilerServices.SkipLocalsInit] // the words are written before they are read: no need to zero 800 bytes of stack per fingerprint
    public readonly ulong Hash64()
    {
        Span<ulong> words = stackalloc ulong[MaxWords];
        A.WriteWords(words);
        B.WriteWords(words[HostState.Words..]);
        int n = 2 * HostState.Words;
        words[n++] = (ulong)LossLeft | (ulong)DupLeft << 8 | (ulong)CrashLeft << 16 | (Net.Overflowed ? 1UL << 24 : 0) | (ulong)Net.Count << 32;
        words[n++] = Clock.Word;
        n += Net.WriteWords(words[n..]);
        // The fault budgets of the hostile network, only when in play: worlds without them hash as before.
        if ((StaleLeft | AttackLeft | Seen.Count) != 0)
        {
            words[n++] = 0x5EE0_0000_0000_0000UL | (ulong)StaleLeft | (ulong)AttackLeft << 8 | (ulong)Seen.Count << 16;
            n += Seen.WriteWords(words[n..]);
        }
        if (CallsLeft != 0) words[n++] = 0xCA11_0000_0000_0000UL | CallsLeft; // likewise: only while stray calls are left
        if (IcmpLeft != 0) words[n++] = 0x1C3F_0000_0000_0000UL | IcmpLeft; // and while ICMP errors are left
        return Fingerprint.Of(words[..n], 0x51_7C_C1_B7_27_22_0A_95UL);
    }
}
