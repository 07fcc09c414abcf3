using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Scenarios;

/// <summary>
/// ICMP errors (RFC 9293 §3.9.2.2): the network answers a segment in flight with an error to its
/// sender instead of delivering it (<see cref="Budgets.Icmp"/>).
/// </summary>
public static partial class ScenarioCatalog
{
    /// <summary>A nested class, so that its fields are initialized before <see cref="All"/> reads them.</summary>
    public static class IcmpFamily
    {
        /// <summary>
        /// One ICMP error, soft or hard, in answer to any segment of the run: the client's SYN (a
        /// hard error aborts the attempt), the server's SYN,ACK, data or FIN (reported, the
        /// connection stays), a pure ACK, TIME-WAIT's last ACK or a segment of a host already
        /// CLOSED (quoting nothing in flight: ignored), and an old RST of each host's previous
        /// incarnation, in flight from the start and dropped by its receiver wherever it arrives
        /// (its sequence number is far left of any window), whose error reaches its sender in
        /// CLOSED, LISTEN, SYN-SENT or later, quoting a sequence number this connection never sent
        /// (ignored: RFC 5927 §4.1). Both hosts may close at once, so CLOSING meets an error too.
        /// 19,064 states.
        /// </summary>
        public static readonly Scenario IcmpErrors = new()
        {
            Name = "icmp-errors",
            Description = "The network may answer one segment with an ICMP error to its sender instead of delivering it: a hard error aborts the client's SYN-SENT with \"unreachable\"; any other error for the connection is reported and the connection stays; an error quoting no segment in flight (an ACK, an old incarnation's RST, a segment of a host now in CLOSED, LISTEN or TIME-WAIT) is ignored (RFC 9293 §3.9.2.2; RFC 5461 §4; RFC 5927 §4.1).",
            ScriptA = [Op(OpKind.OpenActive), Op(OpKind.Close, When.Open)],
            ScriptB = [Op(OpKind.OpenPassive), Op(OpKind.Send, When.Open), Op(OpKind.Close, When.Open)],
            InitialFlights = s =>
            [
                new Flight(new Segment(s.IssA - 20, 0, TcpFlags.Rst, 0, 0), 0, Flight.PreviousLife),
                new Flight(new Segment(s.IssB - 20, 0, TcpFlags.Rst, 0, 0), 1, Flight.PreviousLife),
            ],
            Prelude = [0, 1],
            Graceful = false, // a hard error in SYN-SENT aborts the attempt
            ListenAtEnd = [false, true],
            Defaults = new Budgets { Loss = 0, Dup = 0, Icmp = 1, Data = 1, MaxInFlight = 4 },
        };
    }
}
