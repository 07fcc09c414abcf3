using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TcpSpec.Checker.Model;

/// <summary>What the checker remembers about a host beyond its TCB, to judge properties ("ghost" state: the protocol never reads it).</summary>
[Flags]
public enum HostMarks : byte
{
    None = 0,
    /// <summary>The host was told "connection reset" or "connection refused", or gave up (R2, user timeout, an ICMP hard error).</summary>
    Reset = 0x01,
    /// <summary>The host's application aborted.</summary>
    Aborted = 0x02,
    /// <summary>The host crashed and restarted at least once.</summary>
    Crashed = 0x04,
    /// <summary>The host's application got an error answer to a call.</summary>
    CallError = 0x08,
    /// <summary>The host gave up: R2 retransmissions or the user timeout.</summary>
    TimedOut = 0x10,
    /// <summary>A forged reset the RFC accepts (a blind guess at exactly RCV.NXT, RFC 5961 §3.2) ended the host's connection.</summary>
    Hijacked = 0x20,
    /// <summary>An ICMP hard error aborted the host's connection attempt, and its user was told "unreachable" (RFC 9293 §3.9.2.2, SHLD-26).</summary>
    Unreachable = 0x40,
}

/// <summary>
/// One host of the model: its endpoint, where its application script is, and the ghost
/// variables the properties need. A value: copying a world copies its hosts.
/// </summary>
public struct HostState
{
    public Endpoint Ep;
    /// <summary>The index of the application's next operation.</summary>
    public byte Pc;
    /// <summary>0 for the first life of the host, +1 at each crash and restart.</summary>
    public byte Incarnation;
    public HostMarks Marks;
    /// <summary>The application has stopped reading (<see cref="OpKind.PauseReceive"/>): text stays buffered until it resumes. 0 or 1.</summary>
    public bool ReceivePaused;
    /// <summary>The ISS of this incarnation's first connection: ISSs it chose are FirstIss + k × IssStep.</summary>
    public uint FirstIss;
    /// <summary>Octets the application handed to SEND in the current connection (accepted calls only).</summary>
    public uint Sent;
    /// <summary>The offset in the peer's stream of the next text octet expected (ghost of "exactly once, in order").</summary>
    public uint Expected;

    public readonly bool Has(HostMarks m) => (Marks & m) != 0;

    /// <summary>The stream tag a host's text carries: host number and incarnation.</summary>
    public static byte StreamTagOf(int host, int incarnation) => (byte)(((host + 1) << 4) | (incarnation & 0x0F));

    /// <summary>
    /// The host as 64-bit words for the fingerprint: its 104 bytes, which have no padding. Two of
    /// the words are the endpoint's RTT estimator (SRTT, RTTVAR, the timed segment), constant 0 in
    /// the model, which has no clock: they cost hashing time, never states.
    /// </summary>
    internal const int Words = 13;

    internal readonly void WriteWords(Span<ulong> into)
    {
        System.Diagnostics.Debug.Assert(Unsafe.SizeOf<HostState>() == Words * sizeof(ulong), "a field was added to HostState: update Words (and keep it free of padding)");
        // Stored whole, as one struct (no call to copy 104 bytes); the slice checks there is room.
        Unsafe.As<ulong, HostState>(ref MemoryMarshal.GetReference(into[..Words])) = this;
    }
}
