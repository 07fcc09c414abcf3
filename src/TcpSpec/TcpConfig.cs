namespace TcpSpec;

/// <summary>
/// The constants of an endpoint: they never change during a connection, so they live outside
/// the <see cref="Endpoint"/> value the checker hashes. Times are in milliseconds; the machine
/// itself never reads a clock, it only asks for timers of these lengths.
/// </summary>
public sealed record TcpConfig
{
    /// <summary>The default: RFC 6298's 1 s initial RTO and 60 s maximum, MSL of 2 minutes, R1 of 3 retransmissions, R2 of 6 (data) and 7 (SYN).</summary>
    public static readonly TcpConfig Default = new();

    /// <summary>Maximum segment size: the most text octets one segment carries.</summary>
    public ushort Mss { get; init; } = 536;

    /// <summary>
    /// The receive buffer's size (RCV.BUFF): the window offered while nothing awaits RECEIVE. Text
    /// the user has not read takes its space, so RCV.WND = RCV.BUFF − unread octets (RFC 9293 §3.8.6);
    /// a user that stops reading closes the window.
    /// </summary>
    public ushort ReceiveWindow { get; init; } = 8192;

    /// <summary>The initial retransmission timeout (RFC 6298 §2.1: 1 second).</summary>
    public int InitialRtoMs { get; init; } = 1000;

    /// <summary>The least RTO computed from samples (RFC 6298 §2.4: 1 second).</summary>
    public int MinRtoMs { get; init; } = 1000;

    /// <summary>G, the clock granularity of RTT samples in ms (RFC 6298 §2.2: RTO = SRTT + max(G, K·RTTVAR)).</summary>
    public int ClockGranularityMs { get; init; } = 1;

    /// <summary>The cap on the backed-off RTO (RFC 6298 §2.5 allows a maximum of at least 60 s).</summary>
    public int MaxRtoMs { get; init; } = 60_000;

    /// <summary>
    /// R2 for data and FIN as a count: after this many retransmissions of one segment the connection
    /// is given up (RFC 9293 §3.8.3, MUST-20). 6 with the 1 s minimum RTO doubling to 60 s gives up
    /// 1+2+4+8+16+32+60 = 123 s after the first transmission, at least the 100 s of SHLD-11.
    /// </summary>
    public int MaxRetransmissions { get; init; } = 6;

    /// <summary>
    /// R2 for a SYN (or SYN,ACK) as a count (RFC 9293 §3.8.3: R1 and R2 may differ for SYNs). 7
    /// gives up 1+2+4+8+16+32+60+60 = 183 s after the first SYN: at least the 3 minutes of MUST-23.
    /// </summary>
    public int SynMaxRetransmissions { get; init; } = 7;

    /// <summary>R1 as a count: at this many retransmissions of one segment the user is told of the delivery problem (RFC 9293 §3.8.3, SHLD-9, SHLD-10: at least 3).</summary>
    public int R1Retransmissions { get; init; } = 3;

    /// <summary>Maximum segment lifetime; TIME-WAIT lasts 2 × MSL (RFC 9293 §3.4.2).</summary>
    public int MslMs { get; init; } = 120_000;

    /// <summary>The user timeout, or 0 for none (RFC 9293 §3.10.8; like Linux's TCP_USER_TIMEOUT).</summary>
    public int UserTimeoutMs { get; init; }

    /// <summary>
    /// How long the ACK of new in-order text may be deferred, or 0 for no delayed ACKs (the
    /// default). RFC 9293 §3.8.6.3 and RFC 1122 §4.2.3.2: less than 0.5 s (MUST-40), and at least
    /// every second full-sized segment is acknowledged (SHLD-19). Linux uses 40 ms (at least), FreeBSD 100 ms.
    /// </summary>
    public int DelayedAckMs
    {
        get => _delayedAckMs;
        init => _delayedAckMs = value is >= 0 and < 500
            ? value
            : throw new ArgumentOutOfRangeException(nameof(DelayedAckMs), value, "a delayed ACK waits 0 (off) to 499 ms: less than 0.5 s (RFC 9293 §3.8.6.3, MUST-40)");
    }

    private readonly int _delayedAckMs;

    /// <summary>How far the ISN generator moves after each connection an endpoint opens (RFC 9293 §3.4.1's clock, made deterministic).</summary>
    public uint IssStep { get; init; } = 64_000;
}
