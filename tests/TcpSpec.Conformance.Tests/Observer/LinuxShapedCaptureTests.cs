using System.Net;
using TcpSpec.Conformance.Observer;
using TcpSpec.Conformance.Pcap;
using TcpSpec.Conformance.Tests.Pcap;

namespace TcpSpec.Conformance.Tests.Observer;

/// <summary>
/// A capture shaped like Linux on the loopback device (tcpdump -i lo: Ethernet framing with zero
/// addresses): SYNs with MSS, SACK-permitted, timestamps and window scale 7, a scaled window of
/// 512, timestamps on every segment, 64 KiB segments (loopback MTU, segmentation offload) with
/// more than 64 KiB in flight, ACKs that lag, a FIN that also acknowledges, an abort whose reset
/// carries ACK, and a connection refused. Written by hand from Linux's behaviour, not captured.
/// </summary>
public class LinuxShapedCaptureTests
{
    private static readonly IPAddress Lo = IPAddress.Loopback;
    private static readonly byte[] SynOptions = [2, 4, 0xFF, 0xD7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];
    private static readonly byte[] Timestamps = [1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1];

    private sealed class Builder
    {
        private readonly PcapFile _file = new(LinkTypes.Ethernet);
        private double _t = 1_700_000_000;

        public int Count { get; private set; }

        public Builder Add(ushort from, ushort to, uint seq, uint ack, TcpFlags flags, ushort window, int length = 0)
        {
            var seg = new Segment(seq, ack, flags, window, (ushort)length);
            var tcp = Packets.Tcp(from, to, seg, flags.HasFlag(TcpFlags.Syn) ? SynOptions : Timestamps);
            _t += 0.00002;
            _file.Add(Packets.Ethernet(0x0800, Packets.Ipv4(Lo, Lo, 6, tcp)), _t);
            Count++;
            return this;
        }

        public byte[] Bytes => _file.Bytes;
    }

    private const TcpFlags Ack = TcpFlags.Ack;
    private const TcpFlags Psh = TcpFlags.Psh | TcpFlags.Ack;

    private static Builder Session()
    {
        const ushort c = 45678, s = 8080;
        return new Builder()
            .Add(c, s, 1000, 0, TcpFlags.Syn, 65495)
            .Add(s, c, 5000, 1001, TcpFlags.Syn | TcpFlags.Ack, 65483)
            .Add(c, s, 1001, 5001, Ack, 512)
            .Add(c, s, 1001, 5001, Psh, 512, 5)
            .Add(s, c, 5001, 1006, Ack, 512)
            .Add(s, c, 5001, 1006, Psh, 512, 65483)
            .Add(s, c, 70484, 1006, Psh, 512, 34517)
            .Add(c, s, 1006, 70484, Ack, 1024)
            .Add(c, s, 1006, 105001, Ack, 1535)
            .Add(c, s, 1006, 105001, TcpFlags.Fin | TcpFlags.Ack, 1535)
            .Add(s, c, 105001, 1007, TcpFlags.Fin | TcpFlags.Ack, 512)
            .Add(c, s, 1007, 105002, Ack, 1535);
    }

    [Fact]
    public void A_linux_loopback_session_conforms_to_the_table()
    {
        var capture = CaptureReader.Read(Session().Bytes);
        Assert.All(capture.Segments, seg => Assert.True(seg.Options.Timestamps));
        var v = ConformanceChecker.Check(capture, new ConformOptions());
        var report = Conform.Report(v);
        Assert.True(v.Conforms, report);
        var conn = Assert.Single(v.Connections);
        Assert.Equal("127.0.0.1:45678", conn.Connection.A.ToString());
        Assert.Equal("CLOSED → SYN-SENT (OPEN-ACTIVE for #1) → ESTABLISHED (#2) → FIN-WAIT-1 (CLOSE for #10) → TIME-WAIT (#11)", conn.A.Result.States);
        Assert.Equal("LISTEN → SYN-RECEIVED (#1) → ESTABLISHED (#3) → CLOSE-WAIT (#10) → LAST-ACK (CLOSE for #11) → CLOSED (#12)", conn.B.Result.States);
    }

    [Fact]
    public void An_abort_with_reset_ack_and_a_refused_connect()
    {
        const ushort c = 45680, s = 8080, refused = 9999;
        var b = new Builder()
            .Add(c, s, 7000, 0, TcpFlags.Syn, 65495)
            .Add(s, c, 9000, 7001, TcpFlags.Syn | TcpFlags.Ack, 65483)
            .Add(c, s, 7001, 9001, Ack, 512)
            .Add(s, c, 9001, 7001, Psh, 512, 10)
            .Add(c, s, 7001, 9011, Ack, 512)
            // close() with unread data, or SO_LINGER 0: Linux resets, with ACK.
            .Add(c, s, 7001, 9011, TcpFlags.Rst | TcpFlags.Ack, 512)
            .Add(c, refused, 3000, 0, TcpFlags.Syn, 65495)
            .Add(refused, c, 0, 3001, TcpFlags.Rst | TcpFlags.Ack, 0);
        var capture = CaptureReader.Read(b.Bytes);

        var rfc = ConformanceChecker.Check(capture, new ConformOptions());
        Assert.Equal(2, rfc.Connections.Count);
        Assert.False(rfc.Connections[0].Conforms);
        Assert.Equal(6, rfc.Connections[0].A.Result.Failure!.Frame);
        Assert.True(rfc.Connections[0].B.Conforms, Conform.Report(rfc));
        Assert.True(rfc.Connections[1].Conforms, Conform.Report(rfc));

        var linux = ConformanceChecker.Check(capture, new ConformOptions { Linux = true });
        Assert.True(linux.Conforms, Conform.Report(linux));
        Assert.Equal("reset-with-ack", Assert.Single(linux.Connections[0].A.Assumptions).Id);
    }
}
