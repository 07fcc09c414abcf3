using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TcpSpec;

/// <summary>Flags of an <see cref="Endpoint"/> that are not TCB numbers.</summary>
[Flags]
public enum EndpointFlags : byte
{
    None = 0,
    /// <summary>The connection came from a passive OPEN (RFC 1122 §4.2.2.8).</summary>
    Passive = 0x01,
    /// <summary>The passive OPEN named its foreign socket (RFC 9293 §3.10.2).</summary>
    ForeignSpecified = 0x02,
    /// <summary>IRS and RCV.NXT are set: the peer's SYN was received.</summary>
    SynReceived = 0x04,
    /// <summary>The user has closed: a FIN follows the queued data (RFC 9293 §3.10.4).</summary>
    FinQueued = 0x08,
    /// <summary>Our FIN has been sent; it occupies SND.NXT - 1.</summary>
    FinSent = 0x10,
    /// <summary>The peer's FIN was received (RCV.NXT is past it).</summary>
    FinReceived = 0x20,
    /// <summary>A segment ending at <see cref="Endpoint.TimedSeq"/> is being timed for an RTT sample (RFC 6298 §3).</summary>
    RttTiming = 0x40,
    /// <summary>SRTT and RTTVAR hold a measurement: the RTO follows RFC 6298 §2.3, not the initial 1 s.</summary>
    RttMeasured = 0x80,
}

/// <summary>The timers an endpoint can have armed.</summary>
[Flags]
public enum TimerKind : byte
{
    None = 0,
    Retransmit = 0x01,
    TimeWait = 0x02,
    User = 0x04,
    /// <summary>The persist timer: a zero window holds queued data back (RFC 9293 §3.8.6.1).</summary>
    Persist = 0x08,
    /// <summary>The delayed-ACK timer: the ACK of received text is deferred (RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2).</summary>
    DelayedAck = 0x10,
}

/// <summary>
/// One TCP endpoint: the state and the TCB (RFC 9293 §3.3.1) as a 88-byte value with no
/// references, so the checker can copy, compare and hash millions of them. The send queue and
/// the receive buffer are counters over the byte streams: what the user wrote (<see cref="SndWritten"/>)
/// and what arrived unread (<see cref="RcvBuffered"/>); the retransmission queue is the span
/// SND.UNA..SND.NXT of the send stream. The reassembly queue is one held block of text beyond
/// RCV.NXT (<see cref="HeldSeq"/>, <see cref="HeldLen"/>, <see cref="HeldTag"/>; RFC 9293
/// SHLD-31), and <see cref="RcvUnacked"/> counts the octets whose ACK is deferred (§3.8.6.3).
/// Change it only through <see cref="TcpRuntime"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public struct Endpoint : IEquatable<Endpoint>
{
    /// <summary>Initial send sequence number.</summary>
    public uint Iss;
    /// <summary>Initial receive sequence number.</summary>
    public uint Irs;
    /// <summary>Oldest unacknowledged sequence number.</summary>
    public uint SndUna;
    /// <summary>Next sequence number to be sent.</summary>
    public uint SndNxt;
    /// <summary>Segment sequence number used for the last window update.</summary>
    public uint SndWl1;
    /// <summary>Segment acknowledgment number used for the last window update.</summary>
    public uint SndWl2;
    /// <summary>Next sequence number expected on an incoming segment.</summary>
    public uint RcvNxt;
    /// <summary>Octets the user has handed to SEND since the connection opened (the send stream's length).</summary>
    public uint SndWritten;
    /// <summary>Octets received in order and not yet handed to the user by RECEIVE.</summary>
    public uint RcvBuffered;
    /// <summary>The ISS the next SelectIss takes: the host's ISN generator, set by whoever owns the endpoint.</summary>
    public uint NextIss;
    /// <summary>Send window.</summary>
    public ushort SndWnd;
    /// <summary>Receive window.</summary>
    public ushort RcvWnd;
    /// <summary>The state, as an index into the machine's States table.</summary>
    public TcpState State;
    public EndpointFlags Flags;
    /// <summary>Timers currently armed.</summary>
    public TimerKind Timers;
    /// <summary>Retransmissions of the segment at the front of the retransmission queue.</summary>
    public byte Retries;
    /// <summary>Tags this endpoint's outgoing text (e.g. its incarnation), see <see cref="Protocol.Segment.Payload"/>.</summary>
    public byte StreamTag;
    /// <summary>Doublings of the RTO (RFC 6298 §5.5). Kept when a retransmitted segment is acknowledged, cleared only by the ACK of a segment sent once (Karn's algorithm, MUST-18).</summary>
    public byte Backoff;
    /// <summary>MAX.SND.WND: the largest window the peer has offered (RFC 5961 §5.2, MAY-12).</summary>
    public ushort MaxSndWnd;
    /// <summary>SND.NXT when the last retransmission was made: an ACK beyond it acknowledges a segment sent once (Karn).</summary>
    public uint RetransmitHigh;
    /// <summary>SRTT in ms (RFC 6298 §2), valid with <see cref="EndpointFlags.RttMeasured"/>. Stays 0 without a clock (the checker's model).</summary>
    public uint Srtt;
    /// <summary>RTTVAR in ms (RFC 6298 §2), valid with <see cref="EndpointFlags.RttMeasured"/>.</summary>
    public uint RttVar;
    /// <summary>The timed segment's end (SND.NXT when it was sent): an ACK at or past it completes the sample.</summary>
    public uint TimedSeq;
    /// <summary>When the timed segment was sent, in ms of <see cref="TcpRuntime.Now"/> (modulo 2^32).</summary>
    public uint TimedAt;
    /// <summary>The sequence number of the first held octet: text received beyond RCV.NXT (or on a SYN), kept until RCV.NXT reaches it (RFC 9293 §3.10.7.4 first, SHLD-31; §3.10.7.2 third).</summary>
    public uint HeldSeq;
    /// <summary>The payload tag of the first held octet (the octets after it are tagged consecutively, see <see cref="Protocol.Segment.Payload"/>).</summary>
    public uint HeldTag;
    /// <summary>How many octets are held from <see cref="HeldSeq"/> on; 0: the reassembly queue is empty.</summary>
    public uint HeldLen;
    /// <summary>Octets received in order whose ACK is deferred (RFC 9293 §3.8.6.3): 0 unless delayed ACKs are on.</summary>
    public uint RcvUnacked;

    /// <summary>A fresh endpoint in CLOSED with the given ISN for its next connection.</summary>
    public static Endpoint Create(uint iss = 0, byte streamTag = 0) => new() { NextIss = iss, StreamTag = streamTag };

    public readonly bool Has(EndpointFlags f) => (Flags & f) != 0;

    /// <summary>The STATUS call (RFC 9293 §3.10.6).</summary>
    public readonly TcpStatus Status => new(State, SndUna, SndNxt, SndWnd, RcvNxt, RcvWnd, RcvBuffered,
        unchecked(SndWritten - SentText), Timers);

    /// <summary>Text octets already sent at least once.</summary>
    internal readonly uint SentText
    {
        get
        {
            if (!Seq.Gt(SndNxt, Iss)) return 0;
            uint span = SndNxt - Iss - 1; // minus the SYN
            return Has(EndpointFlags.FinSent) ? span - 1 : span;
        }
    }

    private readonly ReadOnlySpan<byte> Bytes =>
        MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in this), 1));

    public readonly bool Equals(Endpoint other) => Bytes.SequenceEqual(other.Bytes);

    public override readonly bool Equals(object? obj) => obj is Endpoint e && Equals(e);

    public override readonly int GetHashCode() => (int)Hash64();

    /// <summary>A deterministic 64-bit hash (the same in every process, unlike <see cref="HashCode"/>) of every byte, the tail that is not a whole word included.</summary>
    public readonly ulong Hash64()
    {
        var bytes = Bytes;
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (var w in words) h = Mix(h ^ w);
        ulong tail = 0;
        for (int i = words.Length * sizeof(ulong); i < bytes.Length; i++) tail = (tail << 8) | bytes[i];
        return words.Length * sizeof(ulong) == bytes.Length ? h : Mix(h ^ tail ^ 0xA5UL << 56);
    }

    /// <summary>A 64-bit finalizer (murmur3's fmix64): spreads bits so fingerprints of similar states differ.</summary>
    public static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53UL;
        x ^= x >> 33;
        return x;
    }

    public static bool operator ==(Endpoint a, Endpoint b) => a.Equals(b);

    public static bool operator !=(Endpoint a, Endpoint b) => !a.Equals(b);

    public override readonly string ToString() =>
        $"{State} ISS={Iss} IRS={Irs} SND.UNA={SndUna} SND.NXT={SndNxt} SND.WND={SndWnd} RCV.NXT={RcvNxt} RCV.WND={RcvWnd} flags={Flags} timers={Timers}" + (Has(EndpointFlags.RttMeasured) ? $" SRTT={Srtt} RTTVAR={RttVar}" : "");
}

/// <summary>What STATUS reports (RFC 9293 §3.10.6).</summary>
public readonly record struct TcpStatus(TcpState State, uint SndUna, uint SndNxt, ushort SndWnd, uint RcvNxt, ushort RcvWnd,
    uint AwaitingReceive, uint AwaitingSend, TimerKind Timers);
