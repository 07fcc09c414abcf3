namespace TcpSpec.Checker.Exploration;

/// <summary>The kinds of move the environment can make.</summary>
public enum MoveKind : byte
{
    /// <summary>The host's application takes its next step.</summary>
    App,
    /// <summary>The network delivers in-flight segment number Index (any of them: reordering).</summary>
    Deliver,
    /// <summary>Timer Index (a <see cref="TimerKind"/>) of the host fires.</summary>
    Timer,
    /// <summary>The network loses in-flight segment number Index.</summary>
    Lose,
    /// <summary>The network duplicates in-flight segment number Index.</summary>
    Duplicate,
    /// <summary>The host crashes and restarts with no TCB and a new ISN.</summary>
    Crash,
    /// <summary>The network delivers again remembered old segment number Index (--stale); Host is its sender.</summary>
    Stale,
    /// <summary>The blind attacker forges guess number Index (a <see cref="Model.Forgery"/> template) against Host (--attack).</summary>
    Inject,
    /// <summary>Host's application makes stray call number Index (a <see cref="Model.StrayCalls"/> kind) beyond its script (--calls).</summary>
    Call,
    /// <summary>
    /// The network answers in-flight segment number Index / 2 with an ICMP error instead of delivering it:
    /// soft (Index even) or hard (odd), delivered to the segment's sender, Host (--icmp; RFC 9293 §3.9.2.2).
    /// </summary>
    Icmp,
}

/// <summary>One move of the environment. Index is a segment's position in the (sorted) network, a timer kind, a remembered segment, a forgery, a stray call or an ICMP error (see <see cref="MoveKind.Icmp"/>).</summary>
/// <remarks>
/// Four bytes, not three: a move is passed in a register to the stepper and to every property
/// judging it, and a three-byte value was copied as a word and a byte and then loaded as four
/// bytes, a load the processor cannot take from the two pending stores (a store-forwarding stall,
/// about a dozen cycles, on every call). Copied whole, it is one store and one load.
/// </remarks>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = 4)]
public readonly record struct Move(MoveKind Kind, byte Host, byte Index);
