using TcpSpec.Engines;

namespace TcpSpec.Conformance.Packetdrill;

/// <summary>How <see cref="PacketdrillRunner"/> runs a script.</summary>
public sealed record PacketdrillOptions
{
    /// <summary>packetdrill's default timing tolerance.</summary>
    public const long DefaultToleranceUsecs = 4000;

    /// <summary>How far an event may be from its scripted time; null: the script's <c>--tolerance_usecs</c>, else <see cref="DefaultToleranceUsecs"/>.</summary>
    public long? ToleranceUsecs { get; init; }

    /// <summary>The table to run (an edited one through <see cref="InterpretedEngine"/>); null: the generated engine.</summary>
    public IEngine? Engine { get; init; }

    /// <summary>
    /// The endpoint's constants; null: <see cref="TcpConfig.Default"/> with the receive window the
    /// script's first outbound <c>win</c> states and the send MSS of the peer's first SYN's
    /// <c>mss</c> option (RFC 9293 §3.7.1; 536 without one).
    /// </summary>
    public TcpConfig? Config { get; init; }

    /// <summary>The ISS of the stack under test (scripts never see it: outbound numbers are relative to it).</summary>
    public uint LocalIss { get; init; } = 0x1000_0000;

    /// <summary>The ISN the script's peer uses: inbound sequence numbers are relative to it.</summary>
    public uint RemoteIsn { get; init; } = 0x4000_0000;

    /// <summary>
    /// Today's stricter rule: every packet the engine sends must be expected before the next
    /// inbound packet or call, and none may follow the last line. Off (packetdrill's own rule): a
    /// sent packet is compared only when a line expects one, and nothing is checked after the end.
    /// </summary>
    public bool Strict { get; init; }

    /// <summary>The stack profile: its timers, buffers, reset shape, sysctl knobs and <c>tcpi_state</c> numbers; null: the table alone (<see cref="Profiles.StackParameters.Rfc9293"/>). Its engine is used unless <see cref="Engine"/> is set.</summary>
    public Profiles.Profile? Profile { get; init; }
}

/// <summary>The outcome of one script.</summary>
/// <param name="Failure">The first mismatch, or null if the script passed.</param>
/// <param name="Skipped">Lines not run, with why.</param>
/// <param name="Notes">What the runner ignored on lines it did run (TCP options, PSH, ports...).</param>
/// <param name="Cells">The (state, event) cell each injected segment met, and the row that decided it.</param>
/// <param name="LinesRun">Lines run (packets and socket calls).</param>
/// <param name="Checks">Lines whose expectation was checked: an outbound packet compared, a call's result, a state assertion.</param>
public sealed record ScriptResult(string Path, LineFailure? Failure, IReadOnlyList<SkippedReport> Skipped, IReadOnlyList<LineNote> Notes,
    IReadOnlyList<CellHit> Cells, int LinesRun, long ToleranceUsecs, int Checks = 0)
{
    /// <summary>No mismatch and at least one line checked.</summary>
    public bool Passed => Failure is null && Checks > 0;

    /// <summary>No mismatch, but no line was checked either: NOT RUN, not PASS (an empty script, or one whose every check was skipped).</summary>
    public bool NotRun => Failure is null && Checks == 0;

    /// <summary>Lines skipped that would have checked something (a state assertion, a socket option read, a shell check).</summary>
    public int SkippedChecks => Skipped.Count(s => s.WasCheck);
}

/// <summary>A line the runner did not run; <paramref name="WasCheck"/> when the line would have checked the stack (not a setting).</summary>
public sealed record SkippedReport(int Line, string Text, string Reason, bool WasCheck = false);

/// <summary>Something a run line says that the engine does not model.</summary>
public sealed record LineNote(int Line, string Note);

/// <summary>An injected segment: the state it met, its event and the row that decided it (0: none).</summary>
public sealed record CellHit(int Line, string State, string Event, int Row);

/// <summary>
/// The first line whose expectation the engine did not meet.
/// </summary>
/// <param name="Message">What went wrong, in one sentence.</param>
/// <param name="Expected">What the script expects (a packet or a call's result), or null.</param>
/// <param name="Actual">What the engine did, or null.</param>
/// <param name="State">The endpoint's state (<c>SYN-SENT → ESTABLISHED</c> for the step that sent a packet).</param>
/// <param name="Row">The table row that produced the segment or decided the call, if any.</param>
/// <param name="AtUsecs">The virtual time of the mismatch.</param>
public sealed record LineFailure(int Line, string Text, string Message, string? Expected, string? Actual, string State, TcpMachine.Row? Row, long AtUsecs);
