using TcpSpec.Protocol;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// The fixtures are built by hand; these tests check that each equals, field for field, the
/// endpoint the runtime reaches from CLOSED by the events that define the state, so a test that
/// starts from a fixture starts from a state the machine really reaches.
/// </summary>
public class FixtureTests : EngineTest
{
    private static Endpoint Drive(Endpoint start, params Func<Conn, Step>[] events)
    {
        var c = At(start);
        foreach (var e in events) Assert.NotEqual(0, e(c).Row); // a row decided every event
        return c.Ep;
    }

    private static Segment SynAckOfOurSyn => Peer.SynAck(seq: Irs, ack: Iss + 1);

    public static TheoryData<string> Names =>
    [
        "Listen", "ListenForeign", "SynSent", "SynReceivedPassive", "SynReceivedActive", "Established",
        "FinWait1", "FinWait2", "CloseWait", "Closing", "LastAck", "TimeWait",
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void Fixture_equals_the_endpoint_reached_by_real_events(string name)
    {
        var (fixture, reached) = name switch
        {
            "Listen" => (Fixtures.Listen(), Drive(Fixtures.Closed(), c => c.OpenPassive())),
            "ListenForeign" => (Fixtures.Listen(foreignSpecified: true), Drive(Fixtures.Closed(), c => c.OpenPassive(foreignSpecified: true))),
            "SynSent" => (Fixtures.SynSent(), Drive(Fixtures.Closed(), c => c.OpenActive())),
            "SynReceivedPassive" => (Fixtures.SynReceivedPassive(), Drive(Fixtures.Listen(), c => c.Arrive(Peer.Syn(Irs)))),
            "SynReceivedActive" => (Fixtures.SynReceivedActive(), Drive(Fixtures.SynSent(), c => c.Arrive(Peer.Syn(Irs)))),
            "Established" => (Fixtures.Established(), Drive(Fixtures.SynSent(), c => c.Arrive(SynAckOfOurSyn))),
            "FinWait1" => (Fixtures.FinWait1(), Drive(Fixtures.Established(), c => c.Close())),
            "FinWait2" => (Fixtures.FinWait2(), Drive(Fixtures.FinWait1(), c => c.Arrive(Peer.Ack(Irs + 1, Iss + 2)))),
            "CloseWait" => (Fixtures.CloseWait(), Drive(Fixtures.Established(), c => c.Arrive(Peer.FinAck(Irs + 1, Iss + 1)))),
            "Closing" => (Fixtures.Closing(), Drive(Fixtures.FinWait1(), c => c.Arrive(Peer.FinAck(Irs + 1, Iss + 1)))),
            "LastAck" => (Fixtures.LastAck(), Drive(Fixtures.CloseWait(), c => c.Close())),
            "TimeWait" => (Fixtures.TimeWait(), Drive(Fixtures.FinWait2(), c => c.Arrive(Peer.FinAck(Irs + 1, Iss + 2)))),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        EndpointAssert.Equal(fixture, reached);
    }

    [Fact]
    public void The_whole_chain_from_closed_reaches_the_same_endpoints()
    {
        // CLOSED -> SYN-SENT -> ESTABLISHED -> FIN-WAIT-1 -> FIN-WAIT-2 -> TIME-WAIT, one connection.
        var c = At(Fixtures.Closed());
        c.OpenActive();
        EndpointAssert.Equal(Fixtures.SynSent(), c.Ep);
        c.Arrive(SynAckOfOurSyn);
        EndpointAssert.Equal(Fixtures.Established(), c.Ep);
        c.Close();
        EndpointAssert.Equal(Fixtures.FinWait1(), c.Ep);
        c.Arrive(Peer.Ack(Irs + 1, Iss + 2));
        EndpointAssert.Equal(Fixtures.FinWait2(), c.Ep);
        c.Arrive(Peer.FinAck(Irs + 1, Iss + 2));
        EndpointAssert.Equal(Fixtures.TimeWait(), c.Ep);
    }
}
