namespace TcpSpec.Tests.Engine;

/// <summary>
/// The base of every engine test class: short names for the harness, and the marker by which
/// <see cref="EngineTestCatalog"/> finds the tests the row-coverage sweep runs.
/// </summary>
public abstract class EngineTest
{
    /// <summary>A connection whose endpoint starts as <paramref name="ep"/>.</summary>
    protected static Conn At(Endpoint ep, TcpConfig? config = null) => new(ep, config);

    /// <summary>The row of the (state, event) cell guarded exactly by <paramref name="guard"/> ("" for the unguarded row).</summary>
    protected static TcpMachine.Row Row(TcpState state, TcpEvent @event, string guard = "") => TableRows.Find(state, @event, guard);

    protected static TimerCommand Arm(TimerKind timer, int ms) => Out.Arm(timer, ms);

    protected static TimerCommand Cancel(TimerKind timer) => Out.Cancel(timer);

    protected static Notice Note(NoticeKind kind) => Out.Note(kind);

    /// <summary>RFC 6298 §2.1: the initial RTO, 1 s.</summary>
    protected const int Rto = 1000;

    /// <summary>TIME-WAIT lasts 2 MSL (RFC 9293 §3.4.2), MSL being 2 minutes.</summary>
    protected const int TwoMsl = 2 * 120_000;

    protected const uint Iss = Fixtures.Iss;

    protected const uint Irs = Fixtures.Irs;
}
