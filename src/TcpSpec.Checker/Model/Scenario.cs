namespace TcpSpec.Checker.Model;

/// <summary>Fault and size budgets of a run: how far the environment may go.</summary>
public sealed record Budgets
{
    /// <summary>Segments the network may lose.</summary>
    public int Loss { get; init; }
    /// <summary>Segments the network may duplicate.</summary>
    public int Dup { get; init; }
    /// <summary>Crash-and-restarts of the hosts the scenario lets crash.</summary>
    public int Crash { get; init; }
    /// <summary>Octets each sending application sends (one octet per segment: the model's MSS is 1).</summary>
    public int Data { get; init; } = 1;
    /// <summary>The most segments in flight; worlds beyond it are not explored (counted as "bounded").</summary>
    public int MaxInFlight { get; init; } = 4;
    /// <summary>Old segments (sent earlier in the run, by any incarnation) the network may deliver again after the connection moved on.</summary>
    public int Stale { get; init; }
    /// <summary>Segments a blind off-path attacker may forge (RFC 5961's threat model).</summary>
    public int Attack { get; init; }
    /// <summary>Calls an application may make beyond its script, at any moment and in any state: OPEN, SEND, RECEIVE, CLOSE or ABORT (a "stray call").</summary>
    public int Calls { get; init; }
    /// <summary>ICMP errors the network may send in answer to a segment in flight, instead of delivering it (RFC 9293 §3.9.2.2; RFC 1122 §4.2.3.9).</summary>
    public int Icmp { get; init; }

    public override string ToString() => $"loss={Loss} dup={Dup} crash={Crash} data={Data} in-flight={MaxInFlight}"
        + (Stale != 0 ? $" stale={Stale}" : "") + (Attack != 0 ? $" attack={Attack}" : "") + (Calls != 0 ? $" calls={Calls}" : "") + (Icmp != 0 ? $" icmp={Icmp}" : "");
}

/// <summary>
/// A named situation to explore: each host's application script, where the run starts, which
/// faults are in play by default, and what counts as a good ending.
/// </summary>
public sealed record Scenario
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required AppOp[] ScriptA { get; init; }
    public required AppOp[] ScriptB { get; init; }
    public Budgets Defaults { get; init; } = new();

    /// <summary>No reset, abort, give-up or crash is expected: a run that ends in one is a violation.</summary>
    public bool Graceful { get; init; } = true;

    /// <summary>Which hosts the crash budget may crash (bit 0: A, bit 1: B).</summary>
    public int Crashable { get; init; }

    /// <summary>Where a host's script resumes after a crash and restart (null: it has nothing more to do).</summary>
    public int?[] RestartPc { get; init; } = { null, null };

    /// <summary>Start with both hosts ESTABLISHED (the handshake done without faults), skipping its interleavings.</summary>
    public bool StartEstablished { get; init; }

    /// <summary>How many of each host's first script steps are taken before exploring, without faults (B's first, then A's): e.g. the server is already listening.</summary>
    public int[] Prelude { get; init; } = { 0, 0 };

    /// <summary>A host may crash only while its peer's connection is open (ESTABLISHED or CLOSE-WAIT), as in RFC 9293 Figures 9-11.</summary>
    public bool CrashOnlyWhilePeerOpen { get; init; }

    /// <summary>Segments in flight at the start, e.g. an old duplicate SYN of a previous incarnation.</summary>
    public Func<Setup, IEnumerable<Flight>>? InitialFlights { get; init; }

    /// <summary>Per host: may a graceful run end with it in LISTEN (e.g. a connection that never completed returned it there)?</summary>
    public bool[] ListenAtEnd { get; init; } = { false, false };

    /// <summary>Both hosts' receive buffer in octets (RCV.BUFF, the window offered when nothing awaits RECEIVE); null: the model options' (<see cref="Exploration.ModelOptions.Config"/>).</summary>
    public ushort? ReceiveBuffer { get; init; }

    /// <summary>Delayed ACKs (RFC 9293 §3.8.6.3): the endpoints' <see cref="TcpConfig.DelayedAckMs"/>; 0 (off) in the default suite.</summary>
    public int DelayedAckMs { get; init; }

    /// <summary>
    /// Which hosts no segment reaches (bit 0: A, bit 1: B): the path to them is down or they are
    /// silent, so the network loses every segment sent to them. A scenario setting, not a fault
    /// budget: it costs no loss budget and holds for the whole run. While ICMP errors are left
    /// (<see cref="Budgets.Icmp"/>) such a segment stays in flight until the dead path loses it or
    /// answers it with an error; it is never delivered.
    /// </summary>
    public int Unreachable { get; init; }

    /// <summary>
    /// The retransmission limits of RFC 9293 §3.8.3 and the user timeout in force, as given: the
    /// model does not raise R2 above the fault budgets, so a host really gives up. Null: R2 is raised
    /// above every fault the budgets allow (a connection gives up only when the protocol stops making progress).
    /// </summary>
    public RetryLimits? Limits { get; init; }

    /// <summary>
    /// The blind attacker's guesses in play, by <see cref="Forgery.Name"/> (null: every guess). A
    /// scenario aimed at one cell offers only the guesses that reach it, so that the others cost no
    /// states and raise no consequences that belong to other scenarios.
    /// </summary>
    public string[]? AttackGuesses { get; init; }

    /// <summary>Host names for traces and diagrams.</summary>
    public string[] HostNames { get; init; } = { "A", "B" };

    public AppOp[] Script(int host) => host == 0 ? ScriptA : ScriptB;
}

/// <summary>R1 and R2 as counts of retransmissions of one segment (RFC 9293 §3.8.3; R2 for a SYN separate), and the user timeout (0: none).</summary>
public sealed record RetryLimits(int R1, int R2, int SynR2, int UserTimeoutMs = 0);

/// <summary>The constants a scenario's initial world is built from.</summary>
public sealed record Setup(uint IssA, uint IssB, uint IssStride, TcpConfig Config);
