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
        /// One ICMP error, soft or hard, in answer to any segment of a connection's life: the
        /// client's SYN (a hard error aborts the attempt), any segment later (reported, the
        /// connection stays), a pure ACK or the last ACK of TIME-WAIT (nothing in flight: ignored),
        /// and an old SYN,ACK of the server's previous incarnation in flight from the start, which
        /// quotes a sequence number the listening or connected server never sent (ignored, RFC 5927 §4.1).
        /// </summary>
        public static readonly Scenario IcmpErrors = new()
        {
            Name = "icmp-errors",
            Description = "The network may answer one segment with an ICMP error to its sender, instead of delivering it: a hard error aborts the client's SYN-SENT with \"unreachable\", any other is reported and the connection stays; an error quoting no segment in flight (an ACK, an old incarnation's SYN,ACK, TIME-WAIT's last ACK) is ignored (RFC 9293 §3.9.2.2; RFC 5461 §4; RFC 5927 §4.1).",
            ScriptA = [Op(OpKind.OpenActive), Op(OpKind.Send, When.Open), Op(OpKind.Close, When.Open)],
            ScriptB = [Op(OpKind.OpenPassive), Op(OpKind.Close, When.PeerClosed)],
            InitialFlights = s => [new Flight(new Segment(s.IssB - 20, s.IssA - 9, TcpFlags.Syn | TcpFlags.Ack, s.Config.ReceiveWindow, 0), 1, Flight.PreviousLife)],
            Prelude = [0, 1],
            Graceful = false, // a hard error in SYN-SENT aborts the attempt
            ListenAtEnd = [false, true],
            Defaults = new Budgets { Loss = 0, Dup = 0, Icmp = 1, Data = 1, MaxInFlight = 4 },
        };
    }
}
