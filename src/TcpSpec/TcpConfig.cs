namespace TcpSpec;

/// <summary>
/// The constants of an endpoint: they never change during a connection, so they live outside
/// the <see cref="Endpoint"/> value the checker hashes. Times are in milliseconds; the machine
/// itself never reads a clock, it only asks for timers of these lengths.
/// </summary>
public sealed record TcpConfig
{
    /// <summary>The default: RFC 6298's 1 s initial RTO and 60 s maximum, MSL of 2 minutes, R2 of 5 retransmissions.</summary>
    public static readonly TcpConfig Default = new();

    /// <summary>Maximum segment size: the most text octets one segment carries.</summary>
    public ushort Mss { get; init; } = 536;

    /// <summary>RCV.WND advertised by this endpoint (constant: the model's receive buffer never fills).</summary>
    public ushort ReceiveWindow { get; init; } = 8192;

    /// <summary>The initial retransmission timeout (RFC 6298 §2.1: 1 second).</summary>
    public int InitialRtoMs { get; init; } = 1000;

    /// <summary>The cap on the backed-off RTO (RFC 6298 §2.5 allows a maximum of at least 60 s).</summary>
    public int MaxRtoMs { get; init; } = 60_000;

    /// <summary>R2 as a count: after this many retransmissions of one segment the connection is given up (RFC 1122 §4.2.3.5).</summary>
    public int MaxRetransmissions { get; init; } = 5;

    /// <summary>Maximum segment lifetime; TIME-WAIT lasts 2 × MSL (RFC 9293 §3.4.2).</summary>
    public int MslMs { get; init; } = 120_000;

    /// <summary>The user timeout, or 0 for none (RFC 9293 §3.10.8; like Linux's TCP_USER_TIMEOUT).</summary>
    public int UserTimeoutMs { get; init; }

    /// <summary>How far the ISN generator moves after each connection an endpoint opens (RFC 9293 §3.4.1's clock, made deterministic).</summary>
    public uint IssStep { get; init; } = 64_000;
}
