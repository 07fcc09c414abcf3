using TcpSpec.Checker.Model;
using TcpSpec.Checker.Properties;

namespace TcpSpec.Checker.Scenarios;

/// <summary>
/// Scenarios in which a host really gives up (RFC 9293 §3.8.3): a peer that no segment reaches,
/// with the small R1 and R2 of <see cref="GiveUp.GiveUpLimits"/> instead of an R2 raised above the fault
/// budgets. Each host that retransmits tells its user at R1 and gives up at R2 (or at the user timeout).
/// </summary>
public static partial class ScenarioCatalog
{
    /// <summary>A nested class, so that its fields are initialized before <see cref="All"/> reads them (field initializers of a partial class's files run in no defined order).</summary>
    public static class GiveUp
    {
        /// <summary>R1 = 2 &lt; R2 = 3, and R2 for a SYN separate (4): the small limits of the give-up scenarios.</summary>
        public static readonly RetryLimits GiveUpLimits = new(R1: 2, R2: 3, SynR2: 4);

        public static readonly Scenario UnreachablePeer = new()
        {
            Name = "unreachable-peer",
            Description = "The client connects to a host that no segment reaches: its SYN is retransmitted, the user is told of the delivery problem at R1 and of the timeout at R2 for a SYN, and the connection is closed (RFC 9293 §3.8.3, MUST-20, MUST-23, SHLD-9).",
            ScriptA = [Op(OpKind.OpenActive)],
            ScriptB = [],
            Unreachable = 0b10,
            Limits = GiveUpLimits,
            Graceful = false,
            Defaults = new Budgets { Loss = 0, Dup = 0, Data = 1, MaxInFlight = 4 },
        };

        public static readonly Scenario UnansweredSynAck = new()
        {
            Name = "unanswered-syn-ack",
            Description = "The path back to the client is down: the listening server's SYN,ACK never arrives. The client gives up in SYN-SENT (CLOSED); the server, in SYN-RECEIVED after a passive OPEN, gives up at R2 and returns to LISTEN (RFC 9293 §3.8.3; §3.10.7.4 second).",
            ScriptA = [Op(OpKind.OpenActive)],
            ScriptB = [Op(OpKind.OpenPassive)],
            Prelude = [0, 1],
            Unreachable = 0b01,
            Limits = GiveUpLimits,
            Graceful = false,
            ListenAtEnd = [false, true],
            Defaults = new Budgets { Loss = 0, Dup = 0, Data = 1, MaxInFlight = 4 },
        };

        public static readonly Scenario SimultaneousOpenOneWay = new()
        {
            Name = "simultaneous-open-one-way",
            Description = "Both hosts open actively, but only the path to B works: B enters SYN-RECEIVED on A's SYN, its SYN,ACK never arrives, and it gives up at the SYN's R2 with a reset (an active open: CLOSED, not LISTEN); A gives up in SYN-SENT (RFC 9293 §3.8.3).",
            ScriptA = [Op(OpKind.OpenActive)],
            ScriptB = [Op(OpKind.OpenActive)],
            Prelude = [1, 1],
            Unreachable = 0b01,
            Limits = GiveUpLimits,
            Graceful = false,
            Defaults = new Budgets { Loss = 0, Dup = 0, Data = 1, MaxInFlight = 4 },
        };

        public static readonly Scenario PathDown = new()
        {
            Name = "path-down",
            Description = "From ESTABLISHED the path fails both ways and each host sends an octet that is never acknowledged: each tells its user at R1, gives up at R2 and sends a reset (RFC 9293 §3.8.3, MUST-20, SHLD-10; RFC 1122 §4.2.3.5). The dead path may answer one segment with an ICMP error, which is reported and aborts nothing (§3.9.2.2, MUST-56; RFC 5461 §4).",
            ScriptA = [Op(OpKind.Send)],
            ScriptB = [Op(OpKind.Send)],
            StartEstablished = true,
            Unreachable = 0b11,
            Limits = GiveUpLimits,
            Graceful = false,
            Defaults = new Budgets { Loss = 0, Dup = 0, Icmp = 1, Data = 1, MaxInFlight = 4 },
        };

        public static readonly Scenario UserTimeout = new()
        {
            Name = "user-timeout",
            Description = "Like path-down with a user timeout of 4 s, shorter than R2's 15 s: after the R1 notice the user timeout fires first and aborts the connection (RFC 9293 §3.10.8 USER TIMEOUT, §3.8.3).",
            ScriptA = [Op(OpKind.Send)],
            ScriptB = [Op(OpKind.Send)],
            StartEstablished = true,
            Unreachable = 0b11,
            Limits = GiveUpLimits with { UserTimeoutMs = 4_000 },
            Graceful = false,
            Defaults = new Budgets { Loss = 0, Dup = 0, Data = 1, MaxInFlight = 4 },
        };

        /// <summary>The ending of a give-up scenario: each of <paramref name="hosts"/> gave up (R2 or the user timeout) and was told so (MUST-20, §3.10.8).</summary>
        internal static IProperty EndsTimedOut(params int[] hosts) => Property.Ending("gave-up-and-told",
            "Every host whose segments are never acknowledged gives up at R2 or at the user timeout and tells its user (RFC 9293 §3.8.3, MUST-20; §3.10.8), unless an ICMP hard error ended its connection attempt first with \"unreachable\" (§3.9.2.2, SHLD-26).",
            (model, w) =>
            {
                foreach (int h in hosts)
                    if (!w.Host(h).Has(HostMarks.TimedOut) && !w.Host(h).Has(HostMarks.Unreachable)) return $"{model.Scenario.HostNames[h]} never gave up (or never told its user) though nothing it sent was acknowledged";
                return null;
            });
    }
}
