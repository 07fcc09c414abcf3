using System.Net;
using TcpSpec.Conformance.Pcap;

namespace TcpSpec.Conformance.Tests.Pcap;

public class ConnectionSplitterTests
{
    private static readonly IPAddress X = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Y = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress Z = IPAddress.Parse("2001:db8::7");

    private static long _index;

    private static CapturedSegment S(IPAddress src, ushort sp, IPAddress dst, ushort dp, uint seq, uint ack, TcpFlags f) =>
        new(++_index, _index, src, sp, dst, dp, new Segment(seq, ack, f, 100, 0), 0);

    [Fact]
    public void Segments_are_grouped_by_unordered_four_tuple_and_the_syn_sender_is_a()
    {
        var segs = new[]
        {
            S(Y, 80, X, 5000, 9, 0, TcpFlags.Ack),          // a stray segment first: still the same connection
            S(X, 5000, Y, 80, 100, 0, TcpFlags.Syn),
            S(X, 5001, Y, 80, 500, 0, TcpFlags.Syn),
            S(Y, 80, X, 5000, 300, 101, TcpFlags.Syn | TcpFlags.Ack),
            S(Z, 443, Z, 8443, 1, 0, TcpFlags.Syn),
        };
        var conns = ConnectionSplitter.Split(segs);
        Assert.Equal(3, conns.Count);
        Assert.Equal(new TcpAddress(X, 5000), conns[0].A);
        Assert.Equal(new TcpAddress(Y, 80), conns[0].B);
        Assert.Equal(3, conns[0].Segments.Count);
        Assert.Equal(1, conns[0].Segments[0].From);
        Assert.Equal(0, conns[0].Segments[1].From);
        Assert.Equal("sent the first SYN", conns[0].ClientReason);
        Assert.Equal((ushort)5001, conns[1].A.Port);
        Assert.Equal("[2001:db8::7]:443", conns[2].A.ToString());
    }

    [Fact]
    public void Without_a_syn_the_receiver_of_the_syn_ack_is_the_client()
    {
        var conns = ConnectionSplitter.Split([S(Y, 80, X, 5000, 300, 101, TcpFlags.Syn | TcpFlags.Ack), S(X, 5000, Y, 80, 101, 301, TcpFlags.Ack)]);
        Assert.Equal(new TcpAddress(X, 5000), Assert.Single(conns).A);
        Assert.False(conns[0].MidStream);
    }

    [Fact]
    public void Without_any_syn_the_capture_began_mid_connection()
    {
        var conns = ConnectionSplitter.Split([S(Y, 80, X, 5000, 300, 101, TcpFlags.Ack), S(X, 5000, Y, 80, 101, 301, TcpFlags.Ack)]);
        var c = Assert.Single(conns);
        Assert.True(c.MidStream);
        Assert.Equal(new TcpAddress(Y, 80), c.A);
        Assert.Contains("mid-connection", c.ClientReason);
    }

    [Fact]
    public void A_new_syn_after_a_close_starts_the_next_connection_on_the_four_tuple()
    {
        var segs = new[]
        {
            S(X, 5000, Y, 80, 100, 0, TcpFlags.Syn),
            S(Y, 80, X, 5000, 300, 101, TcpFlags.Syn | TcpFlags.Ack),
            S(X, 5000, Y, 80, 101, 301, TcpFlags.Fin | TcpFlags.Ack),
            S(X, 5000, Y, 80, 100, 0, TcpFlags.Syn),                  // the same SYN again: a retransmission, not a new connection
            S(Y, 80, X, 5000, 301, 102, TcpFlags.Fin | TcpFlags.Ack),
            S(X, 5000, Y, 80, 102, 302, TcpFlags.Ack),
            S(X, 5000, Y, 80, 90000, 0, TcpFlags.Syn),                // after the close: a new incarnation
            S(Y, 80, X, 5000, 7000, 90001, TcpFlags.Syn | TcpFlags.Ack),
            S(Y, 80, X, 5000, 7001, 90001, TcpFlags.Rst),
            S(Y, 80, X, 5000, 1, 0, TcpFlags.Syn),                    // after a reset: the server opens this time
        };
        var conns = ConnectionSplitter.Split(segs);
        Assert.Equal(3, conns.Count);
        Assert.Equal(6, conns[0].Segments.Count);
        Assert.Equal(3, conns[1].Segments.Count);
        Assert.Equal(2, conns[1].Incarnation);
        Assert.Equal(3, conns[2].Incarnation);
        Assert.Equal(new TcpAddress(Y, 80), conns[2].A);
    }

    [Fact]
    public void A_syn_with_another_isn_from_the_same_side_is_a_new_attempt()
    {
        var conns = ConnectionSplitter.Split([S(X, 5000, Y, 80, 100, 0, TcpFlags.Syn), S(X, 5000, Y, 80, 777, 0, TcpFlags.Syn)]);
        Assert.Equal(2, conns.Count);
    }

    [Fact]
    public void Simultaneous_open_stays_one_connection()
    {
        var conns = ConnectionSplitter.Split([S(X, 5000, Y, 6000, 100, 0, TcpFlags.Syn), S(Y, 6000, X, 5000, 300, 0, TcpFlags.Syn)]);
        Assert.Single(conns);
    }
}
