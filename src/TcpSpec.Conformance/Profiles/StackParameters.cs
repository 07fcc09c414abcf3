namespace TcpSpec.Conformance.Profiles;

/// <summary>
/// A sysctl that switches a deviation of a profile on or off: when it is off, the overlay's rows
/// that name <see cref="Deviation"/> are left out of the merge.
/// </summary>
/// <param name="Sysctl">Its name, as <c>sysctl -w</c> writes it (<c>net.inet.tcp.insecure_syn</c>).</param>
/// <param name="Deviation">The overlay's deviation id it switches.</param>
/// <param name="Default">Its value when a script sets nothing (the value the overlay's rows are merged with for <c>conform</c>).</param>
public sealed record Knob(string Sysctl, string Deviation, bool Default);

/// <summary>
/// A sysctl that sets a parameter of the stack (a timer, a retry count, a buffer size), in the
/// unit the sysctl takes.
/// </summary>
public sealed record ParameterSysctl(string Sysctl, string Parameter, Func<StackParameters, long, StackParameters> Set);

/// <summary>
/// What a profile says about a stack besides its rows: its OS name (which <c>#ifdef</c> in a
/// script sees), its timers and retry counts, its buffer sizes and how it rounds them, the shape of
/// its resets, the numbers its <c>tcpi_state</c> uses, and the sysctls it knows. The table's own
/// profile (<c>rfc9293</c>) has RFC 9293's defaults and knows no sysctl.
/// </summary>
public sealed record StackParameters
{
    /// <summary>The name a script's <c>#ifdef</c> sees, as nplab's packetdrill defines it; null for the table alone.</summary>
    public string? OsName { get; init; }

    /// <summary>Initial RTO, maximum RTO, retry counts (R1, R2 for data and SYN), MSL (RFC 9293 §3.8.1, §3.8.3, §3.4.2).</summary>
    public TcpConfig Timers { get; init; } = TcpConfig.Default;

    /// <summary>How long the stack delays an ACK when delayed ACKs are on (RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2: less than 0.5 s): the table's DELAYED-ACK-TIMEOUT.</summary>
    public int DelayedAckMs { get; init; }

    /// <summary>Delayed ACKs are on (FreeBSD <c>net.inet.tcp.delayed_ack</c>); off: every ACK is sent at once.</summary>
    public bool DelayedAck { get; init; }

    /// <summary>
    /// The endpoint constants a run starts with: <see cref="Timers"/> with the delayed-ACK time
    /// when <see cref="DelayedAck"/> is on (capped below 0.5 s, MUST-40), else no delay.
    /// </summary>
    public TcpConfig Constants => Timers with { DelayedAckMs = DelayedAck ? Math.Clamp(DelayedAckMs, 0, 499) : 0 };

    /// <summary>The receive buffer a new socket has (<c>getsockopt(SO_RCVBUF)</c> before any set).</summary>
    public uint ReceiveBuffer { get; init; } = 8192;

    /// <summary>The send buffer a new socket has.</summary>
    public uint SendBuffer { get; init; } = 8192;

    /// <summary>The stack rounds the receive buffer up to a multiple of the MSS once the connection's MSS is known (FreeBSD tcp_mss_update).</summary>
    public bool RoundBufferToMss { get; init; }

    /// <summary>What <c>getsockopt</c> reports for a buffer set to N: N × this (Linux doubles it for its bookkeeping, sock_setsockopt).</summary>
    public int SetBufferFactor { get; init; } = 1;

    /// <summary>The reset of an abort or a drop is <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=RST,ACK&gt;</c> with window 0 (FreeBSD tcp_output for tcp_drop), not RFC 9293 §3.10.5's bare RST.</summary>
    public bool ResetCarriesAck { get; init; }

    /// <summary><c>tcpi_state</c> numbers by state name (CLOSED, LISTEN, ...); empty: names only.</summary>
    public IReadOnlyDictionary<int, string> TcpiStates { get; init; } = new Dictionary<int, string>();

    /// <summary>The sysctls that switch a deviation.</summary>
    public IReadOnlyList<Knob> Knobs { get; init; } = [];

    /// <summary>The sysctls that set a parameter.</summary>
    public IReadOnlyList<ParameterSysctl> Parameters { get; init; } = [];

    /// <summary>The deviations the knobs switch off by default.</summary>
    public IReadOnlySet<string> DefaultOff => Knobs.Where(k => !k.Default).Select(k => k.Deviation).ToHashSet();

    /// <summary>RFC 9293's defaults, no OS, no sysctl: the table alone.</summary>
    public static StackParameters Rfc9293 { get; } = new();

    /// <summary>
    /// FreeBSD (head, as nplab's suite targets it): 1 s initial RTO (net.inet.tcp.rexmit_initial),
    /// 30 s MSL (net.inet.tcp.msl), TCP_MAXRXTSHIFT 12 data retransmissions and 3 SYN retries
    /// (tcp_syncache.c retransmits the SYN,ACK 3 times), delayed ACKs on (net.inet.tcp.delayed_ack=1) with 100 ms (net.inet.tcp.delacktime),
    /// receive and send buffers of net.inet.tcp.recvspace 65536 and sendspace 32768, the receive
    /// buffer rounded up to the MSS (tcp_input.c tcp_mss_update), resets as RST,ACK with window 0
    /// (tcp_output.c), TCPS_* numbers for tcpi_state (tcp_fsm.h).
    /// </summary>
    public static StackParameters FreeBsd { get; } = new()
    {
        OsName = "FreeBSD",
        Timers = TcpConfig.Default with { InitialRtoMs = 1000, MaxRtoMs = 64_000, MslMs = 30_000, MaxRetransmissions = 12, SynMaxRetransmissions = 3 },
        DelayedAckMs = 100,
        DelayedAck = true,
        ReceiveBuffer = 65536,
        SendBuffer = 32768,
        RoundBufferToMss = true,
        ResetCarriesAck = true,
        TcpiStates = new Dictionary<int, string>
        {
            [0] = "CLOSED", [1] = "LISTEN", [2] = "SYN-SENT", [3] = "SYN-RECEIVED", [4] = "ESTABLISHED", [5] = "CLOSE-WAIT",
            [6] = "FIN-WAIT-1", [7] = "CLOSING", [8] = "LAST-ACK", [9] = "FIN-WAIT-2", [10] = "TIME-WAIT",
        },
        Knobs =
        [
            new("net.inet.tcp.insecure_syn", "insecure_syn", false),
            new("net.inet.tcp.insecure_rst", "insecure_rst", false),
            new("net.inet.tcp.drop_synfin", "drop_synfin", false),
        ],
        Parameters =
        [
            new("net.inet.tcp.rexmit_initial", "initial RTO (ms)", (p, v) => p with { Timers = p.Timers with { InitialRtoMs = (int)Math.Clamp(v, 1, int.MaxValue) } }),
            new("net.inet.tcp.msl", "MSL (ms)", (p, v) => p with { Timers = p.Timers with { MslMs = (int)Math.Clamp(v, 1, int.MaxValue) } }),
            new("net.inet.tcp.delacktime", "delayed-ACK time (ms)", (p, v) => p with { DelayedAckMs = (int)Math.Clamp(v, 0, int.MaxValue) }),
            new("net.inet.tcp.delayed_ack", "delayed ACKs (0 off, 1 on)", (p, v) => p with { DelayedAck = v != 0 }),
            new("net.inet.tcp.recvspace", "receive buffer (octets)", (p, v) => p with { ReceiveBuffer = (uint)Math.Clamp(v, 0, int.MaxValue) }),
            new("net.inet.tcp.sendspace", "send buffer (octets)", (p, v) => p with { SendBuffer = (uint)Math.Clamp(v, 0, int.MaxValue) }),
        ],
    };

    /// <summary>
    /// Linux: 1 s initial RTO (TCP_TIMEOUT_INIT), 120 s maximum (TCP_RTO_MAX), 60 s TIME-WAIT
    /// (TCP_TIMEWAIT_LEN, MSL 30 s), net.ipv4.tcp_retries2 15 and tcp_syn_retries 6, 40 ms minimum
    /// delayed ACK (TCP_DELACK_MIN) but delayed ACKs off: a new connection starts in quick-ACK mode
    /// (tcp_input.c tcp_incr_quickack, up to TCP_MAX_QUICKACKS = 16 segments acknowledged at once),
    /// which is all a packetdrill script of a few segments sees; tcp_rmem/tcp_wmem defaults 131072 and 16384, a set buffer
    /// reported doubled (sock_setsockopt), TCP_* numbers for tcpi_state (include/net/tcp_states.h).
    /// net.ipv4.tcp_rfc1337 is 0 by default, as in Linux (net/ipv4/sysctl_net_ipv4.c, tcp_timewait_state_process:
    /// an RST in TIME-WAIT kills it, as the table does); a script's sysctl line switches it on.
    /// </summary>
    public static StackParameters Linux { get; } = new()
    {
        OsName = "Linux",
        Timers = TcpConfig.Default with { InitialRtoMs = 1000, MaxRtoMs = 120_000, MslMs = 30_000, MaxRetransmissions = 15, SynMaxRetransmissions = 6 },
        DelayedAckMs = 40,
        ReceiveBuffer = 131072,
        SendBuffer = 16384,
        SetBufferFactor = 2,
        TcpiStates = new Dictionary<int, string>
        {
            [1] = "ESTABLISHED", [2] = "SYN-SENT", [3] = "SYN-RECEIVED", [4] = "FIN-WAIT-1", [5] = "FIN-WAIT-2", [6] = "TIME-WAIT",
            [7] = "CLOSED", [8] = "CLOSE-WAIT", [9] = "LAST-ACK", [10] = "LISTEN", [11] = "CLOSING",
        },
        Knobs = [new("net.ipv4.tcp_rfc1337", "tcp_rfc1337", false)],
        Parameters =
        [
            new("net.ipv4.tcp_syn_retries", "SYN retries", (p, v) => p with { Timers = p.Timers with { SynMaxRetransmissions = (int)Math.Clamp(v, 1, 255) } }),
            new("net.ipv4.tcp_retries2", "R2 (retransmissions)", (p, v) => p with { Timers = p.Timers with { MaxRetransmissions = (int)Math.Clamp(v, 1, 255) } }),
            new("net.ipv4.tcp_retries1", "R1 (retransmissions)", (p, v) => p with { Timers = p.Timers with { R1Retransmissions = (int)Math.Clamp(v, 1, 255) } }),
        ],
    };

    /// <summary>The parameters of a built-in profile by name; the table's defaults for any other.</summary>
    public static StackParameters For(string profileName) => profileName switch
    {
        Profile.LinuxName => Linux,
        Profile.FreeBsdName => FreeBsd,
        _ => Rfc9293,
    };
}
