using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Scenarios;

/// <summary>
/// The user interface of RFC 9293 §3.10.1-§3.10.5 in every state: calls made before the
/// connection is synchronized, after it closed, twice, or never allowed. The property
/// calls-answered-per-rfc judges each reply.
/// </summary>
public static partial class ScenarioCatalog
{
    public static Scenario UserCalls => UserCallFamily.UserCalls;

    public static Scenario ListenForeign => UserCallFamily.ListenForeign;

    /// <summary>Its own class, so that the scenarios exist before <see cref="All"/> (in another file) lists them: C# orders static initializers only within a file.</summary>
    private static class UserCallFamily
    {
        public static readonly Scenario UserCalls = new()
        {
            Name = "user-calls",
            Description = "The client opens and closes; the server SENDs and CLOSEs at any moment, even in LISTEN and SYN-RECEIVED (the FIN waits for the queued text), and one stray call (OPEN, SEND, RECEIVE, CLOSE or ABORT) may come in any state: each is answered as RFC 9293 §3.10 says.",
            ScriptA = [Op(OpKind.OpenActive), Op(OpKind.Close, When.Open)],
            ScriptB = [Op(OpKind.OpenPassive), Op(OpKind.Send), Op(OpKind.Close)],
            // No prelude: the server's passive OPEN is a call the property judges too (its SYN may then meet a closed port).
            // A stray ABORT or CLOSE may end the connection by a reset, or leave a host listening.
            Graceful = false,
            Defaults = new Budgets { Loss = 0, Dup = 0, Calls = 1, Data = 1, MaxInFlight = 4 },
        };

        public static readonly Scenario ListenForeign = new()
        {
            Name = "listen-foreign",
            Description = "B listens with the foreign socket specified and SENDs: the listener turns active, its SYN opens the connection and the text waits for ESTABLISHED (RFC 9293 §3.10.2 LISTEN); A listens too, stops reading, and takes what is buffered with a RECEIVE after B's FIN (§3.10.3 CLOSE-WAIT), then closes.",
            ScriptA = [Op(OpKind.OpenPassive), Op(OpKind.PauseReceive), Op(OpKind.Receive, When.PeerClosed), Op(OpKind.Close, When.PeerClosed)],
            ScriptB = [Op(OpKind.OpenPassiveForeign), Op(OpKind.Send), Op(OpKind.Close, When.Open)],
            Prelude = [2, 1],
            Defaults = new Budgets { Loss = 1, Dup = 1, Data = 1, MaxInFlight = 4 },
        };
    }
}
