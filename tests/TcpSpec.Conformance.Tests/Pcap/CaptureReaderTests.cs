using System.Net;
using TcpSpec.Checker.Output;
using TcpSpec.Conformance.Pcap;
using static TcpSpec.Conformance.Tests.Pcap.Packets;

namespace TcpSpec.Conformance.Tests.Pcap;

public class CaptureReaderTests
{
    private static readonly Segment SynAck = new(300, 101, TcpFlags.Syn | TcpFlags.Ack, 8192, 0);
    private static readonly Segment Data = new(101, 301, TcpFlags.Ack | TcpFlags.Psh, 512, 10);

    private static CapturedSegment Single(Capture c)
    {
        Assert.Equal(1, c.Packets);
        return Assert.Single(c.Segments);
    }

    private static void AssertV4Data(CapturedSegment s)
    {
        Assert.Equal(V4A, s.Src);
        Assert.Equal((ushort)40000, s.SrcPort);
        Assert.Equal(V4B, s.Dst);
        Assert.Equal((ushort)80, s.DstPort);
        Assert.Equal(101u, s.Seg.Seq);
        Assert.Equal(301u, s.Seg.Ack);
        Assert.Equal(TcpFlags.Ack | TcpFlags.Psh, s.Seg.Flags);
        Assert.Equal((ushort)512, s.Seg.Window);
        Assert.Equal((ushort)10, s.Seg.Length);
        Assert.Equal(10, s.CapturedPayload);
    }

    public static TheoryData<string, uint, byte[]> LinkLayers => new()
    {
        { "raw (101)", 101, V4Segment(Data) },
        { "raw (12)", 12, V4Segment(Data) },
        { "raw (14)", 14, V4Segment(Data) },
        { "IPv4 (228)", 228, V4Segment(Data) },
        { "Ethernet", 1, Ethernet(0x0800, V4Segment(Data)) },
        { "Ethernet, 802.1Q", 1, Ethernet(0x0800, V4Segment(Data), 0x8100) },
        { "Ethernet, QinQ", 1, Ethernet(0x0800, V4Segment(Data), 0x88A8, 0x8100) },
        { "Linux SLL", 113, Sll(0x0800, V4Segment(Data)) },
        { "Linux SLL2", 276, Sll2(0x0800, V4Segment(Data)) },
        { "NULL, little-endian family", 0, Null(2, V4Segment(Data), bigEndian: false) },
        { "LOOP, network order", 108, Null(2, V4Segment(Data), bigEndian: true) },
    };

    [Theory, MemberData(nameof(LinkLayers))]
    public void Every_link_type_yields_the_tcp_segment(string what, uint linkType, byte[] packet)
    {
        var c = CaptureReader.Read(new PcapFile(linkType).Add(packet, 1.25).Bytes);
        var s = Single(c);
        AssertV4Data(s);
        Assert.Equal(1.25, s.Time, 6);
        Assert.Equal(1, s.Index);
        Assert.Equal((int)linkType, c.LinkTypes[0]);
        Assert.False(string.IsNullOrEmpty(what));
    }

    public static TheoryData<string, uint, byte[]> V6LinkLayers => new()
    {
        { "raw (101)", 101, V6Segment(Data) },
        { "IPv6 (229)", 229, V6Segment(Data) },
        { "Ethernet", 1, Ethernet(0x86DD, V6Segment(Data)) },
        { "Ethernet, 802.1Q", 1, Ethernet(0x86DD, V6Segment(Data), 0x8100) },
        { "Linux SLL", 113, Sll(0x86DD, V6Segment(Data)) },
        { "Linux SLL2", 276, Sll2(0x86DD, V6Segment(Data)) },
        { "NULL, AF_INET6 of BSD", 0, Null(24, V6Segment(Data), bigEndian: false) },
        { "NULL, AF_INET6 of macOS", 0, Null(30, V6Segment(Data), bigEndian: false) },
    };

    [Theory, MemberData(nameof(V6LinkLayers))]
    public void Ipv6_over_every_link_type(string what, uint linkType, byte[] packet)
    {
        var s = Single(CaptureReader.Read(new PcapFile(linkType).Add(packet).Bytes));
        Assert.Equal(V6A, s.Src);
        Assert.Equal(V6B, s.Dst);
        Assert.Equal(Data, s.Seg);
        Assert.Equal("[2001:db8::1]:40000", CapturedSegment.Format(s.Src, s.SrcPort));
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void Ipv6_extension_headers_are_skipped()
    {
        var packet = Ipv6(V6A, V6B, 6, Tcp(40000, 80, Data), null, (0, Ext8()), (60, Ext8()), (44, Fragment6(0, false)));
        var s = Single(CaptureReader.Read(new PcapFile(229).Add(packet).Bytes));
        Assert.Equal(Data, s.Seg);
    }

    [Fact]
    public void Non_first_fragments_are_skipped_with_a_note()
    {
        var v6 = Ipv6(V6A, V6B, 6, new byte[16], null, (44, Fragment6(185, false)));
        var v4 = Ipv4(V4A, V4B, 6, new byte[16], fragment: 0x00B9);
        var c = CaptureReader.Read(new PcapFile(101).Add(v6).Add(v4).Add(V4Segment(Data)).Bytes);
        Assert.Equal(3, c.Packets);
        var s = Assert.Single(c.Segments);
        Assert.Equal(3, s.Index);
        Assert.Equal(2, c.SkippedCount);
        Assert.Contains(c.Notes, n => n.StartsWith("frame 1 (byte 24): skipped: a non-first IPv6 fragment"));
        Assert.Contains(c.Notes, n => n.Contains("frame 2") && n.Contains("a non-first IPv4 fragment"));
    }

    [Fact]
    public void A_first_fragment_is_read_with_a_note()
    {
        var v4 = Ipv4(V4A, V4B, 6, Tcp(40000, 80, Data), fragment: 0x2000);
        var c = CaptureReader.Read(new PcapFile(101).Add(v4).Bytes);
        Assert.Equal(Data, Single(c).Seg);
        Assert.Contains(c.Notes, n => n.Contains("first fragment"));
    }

    [Fact]
    public void Non_tcp_traffic_is_counted_and_skipped()
    {
        var arp = Ethernet(0x0806, new byte[28]);
        var udp = Ethernet(0x0800, Udp());
        var icmp6 = Ethernet(0x86DD, Ipv6(V6A, V6B, 58, new byte[8]));
        var lldp = Ethernet(0x88CC, new byte[10]);
        var c = CaptureReader.Read(new PcapFile(1).Add(arp).Add(udp).Add(Ethernet(0x0800, V4Segment(Data))).Add(icmp6).Add(lldp).Bytes);
        Assert.Equal(5, c.Packets);
        var s = Assert.Single(c.Segments);
        Assert.Equal(3, s.Index);
        Assert.Equal(4, c.NotTcpCount);
        Assert.Equal(1, c.NotTcp["ARP"]);
        Assert.Equal(1, c.NotTcp["UDP"]);
        Assert.Equal(1, c.NotTcp["ICMPv6"]);
        Assert.Equal(1, c.NotTcp["ethertype 0x88CC"]);
    }

    [Fact]
    public void A_snapshot_length_cut_keeps_the_text_length_of_the_ip_header()
    {
        var packet = V4Segment(Data);
        var c = CaptureReader.Read(new PcapFile(101, snaplen: 44).Add(packet, captured: 44).Bytes);
        var s = Single(c);
        Assert.Equal((ushort)10, s.Seg.Length);
        Assert.Equal(4, s.CapturedPayload);
    }

    [Fact]
    public void A_header_cut_by_the_snapshot_length_is_skipped_not_fatal()
    {
        var c = CaptureReader.Read(new PcapFile(101, snaplen: 30).Add(V4Segment(Data), captured: 30).Add(V4Segment(Data)).Bytes);
        Assert.Single(c.Segments);
        Assert.Equal(1, c.Skipped["TCP header cut by the capture's snapshot length"]);
    }

    [Fact]
    public void Options_are_recorded_not_interpreted()
    {
        byte[] options = [2, 4, 0x05, 0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];
        var syn = new Segment(100, 0, TcpFlags.Syn, 65535, 0);
        var s = Single(CaptureReader.Read(new PcapFile(228).Add(Ipv4(V4A, V4B, 6, Tcp(40000, 80, syn, options))).Bytes));
        Assert.Equal(syn, s.Seg);
        Assert.True(s.Options.Present);
        Assert.Equal(1460, s.Options.Mss);
        Assert.Equal(7, s.Options.WindowScale);
        Assert.True(s.Options.SackPermitted);
        Assert.True(s.Options.Timestamps);
        Assert.False(s.Options.Malformed);
    }

    [Fact]
    public void The_acknowledgment_number_is_zero_without_the_ack_bit()
    {
        var raw = Tcp(40000, 80, new Segment(100, 0, TcpFlags.Syn, 100, 0));
        raw[8] = 0xDE; // garbage in the ACK field of a SYN
        var s = Single(CaptureReader.Read(new PcapFile(228).Add(Ipv4(V4A, V4B, 6, raw)).Bytes));
        Assert.Equal(0u, s.Seg.Ack);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Pcap_in_both_byte_orders_and_both_resolutions(bool big, bool nanos)
    {
        var c = CaptureReader.Read(new PcapFile(101, big, nanos).Add(V4Segment(SynAck), 1700000000.123456).Add(V4Segment(Data), 1700000000.5).Bytes);
        Assert.Equal(2, c.Segments.Count);
        Assert.Equal(SynAck, c.Segments[0].Seg);
        AssertV4Data(c.Segments[1]);
        Assert.Equal(1700000000.123456, c.Segments[0].Time, 5);
        Assert.Contains(big ? "big-endian" : "little-endian", c.Format);
        Assert.Contains(nanos ? "nanosecond" : "microsecond", c.Format);
    }

    [Fact]
    public void Modified_pcap_record_headers()
    {
        var c = CaptureReader.Read(new PcapFile(101, modified: true).Add(V4Segment(Data)).Add(V4Segment(SynAck)).Bytes);
        Assert.Equal(2, c.Segments.Count);
        AssertV4Data(c.Segments[0]);
    }

    [Fact]
    public void The_checkers_pcap_writer_reads_back()
    {
        using var ms = new MemoryStream();
        using (var w = new PcapWriter(ms))
        {
            w.Write(0, new Segment(100, 0, TcpFlags.Syn, 4, 0), 0);
            w.Write(1, SynAck, 1500);
            w.Write(0, Data with { Payload = 0x01000000 }, 2_000_000);
        }
        var c = CaptureReader.Read(ms.ToArray());
        Assert.Equal(3, c.Segments.Count);
        Assert.Equal(V4B, c.Segments[1].Src);
        Assert.Equal(SynAck, c.Segments[1].Seg);
        Assert.Equal(2.0, c.Segments[2].Time, 6);
        Assert.Equal((ushort)10, c.Segments[2].Seg.Length);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pcapng_with_several_interfaces_and_resolutions(bool big)
    {
        var file = new PcapNgFile(big)
            .Interface(1)                       // Ethernet, microseconds
            .Interface(101, tsresol: 9)         // raw IP, nanoseconds
            .Interface(276, tsresol: 0x80 | 10) // SLL2, 1/1024 s
            .Others()
            .Enhanced(0, 1_700_000_000_000_000, Ethernet(0x0800, V4Segment(Data)))
            .Enhanced(1, 1_700_000_000_500_000_000, V6Segment(SynAck))
            .Enhanced(2, 1024UL * 1_700_000_001, Sll2(0x0800, V4Segment(Data)))
            .Obsolete(1, 1_700_000_002_000_000_000, V4Segment(SynAck))
            .Simple(Ethernet(0x0806, new byte[28]))
            .Simple(Ethernet(0x0800, V4Segment(Data)));
        var c = CaptureReader.Read(file.Bytes);
        Assert.Equal(6, c.Packets);
        Assert.Equal(new[] { 1, 101, 276 }, c.LinkTypes);
        Assert.Equal(5, c.Segments.Count);
        Assert.Equal(1, c.NotTcp["ARP"]);
        AssertV4Data(c.Segments[0]);
        Assert.Equal(1_700_000_000.0, c.Segments[0].Time, 3);
        Assert.Equal(V6A, c.Segments[1].Src);
        Assert.Equal(1_700_000_000.5, c.Segments[1].Time, 3);
        Assert.Equal(1_700_000_001.0, c.Segments[2].Time, 3);
        Assert.Equal(1_700_000_002.0, c.Segments[3].Time, 3);
        // A simple packet block has no timestamp: the previous one's.
        Assert.Equal(c.Segments[3].Time, c.Segments[4].Time);
        Assert.Equal(6, c.Segments[4].Index);
        Assert.Contains(big ? "big-endian" : "little-endian", c.Format);
    }

    [Fact]
    public void Pcapng_sections_each_have_their_byte_order_and_interfaces()
    {
        var file = new PcapNgFile(false).Interface(101).Enhanced(0, 5, V4Segment(Data))
            .Section(true).Interface(1, tsresol: 3).Enhanced(0, 7000, Ethernet(0x0800, V4Segment(SynAck)));
        var c = CaptureReader.Read(file.Bytes);
        Assert.Equal(2, c.Segments.Count);
        Assert.Equal(SynAck, c.Segments[1].Seg);
        Assert.Equal(7.0, c.Segments[1].Time, 6);
        Assert.Contains("2 sections", c.Format);
    }

    [Fact]
    public void Pcapng_timestamp_offset()
    {
        var c = CaptureReader.Read(new PcapNgFile().Interface(101, tsresol: 0, tsoffset: 1000).Enhanced(0, 5, V4Segment(Data)).Bytes);
        Assert.Equal(1005.0, Single(c).Time, 6);
    }

    [Theory]
    [InlineData(113)]
    [InlineData(276)]
    public void Loopback_on_the_any_device_keeps_one_copy_of_each_packet(uint linkType)
    {
        byte[] Cooked(byte[] ip, byte type) => linkType == 113 ? Sll(0x0800, ip, ArpHrdLoopback, type) : Sll2(0x0800, ip, ArpHrdLoopback, type);
        var syn = V4Segment(new Segment(100, 0, TcpFlags.Syn, 100, 0));
        var synAck = V4Segment(SynAck, from: 1);
        var file = new PcapFile(linkType)
            .Add(Cooked(syn, PacketOutgoing)).Add(Cooked(syn, PacketHost))
            .Add(Cooked(synAck, PacketOutgoing)).Add(Cooked(synAck, PacketHost))
            .Add(Cooked(syn, PacketHost));                 // a copy with no outgoing twin: kept
        var c = CaptureReader.Read(file.Bytes);
        Assert.Equal(5, c.Packets);
        Assert.Equal(new long[] { 1, 3, 5 }, c.Segments.Select(s => s.Index));
        Assert.Equal(2, c.SkippedCount);
        // On an Ethernet device nothing is dropped.
        var eth = new PcapFile(linkType).Add(linkType == 113 ? Sll(0x0800, syn, ArpHrdEther, PacketOutgoing) : Sll2(0x0800, syn, ArpHrdEther, PacketOutgoing))
            .Add(linkType == 113 ? Sll(0x0800, syn, ArpHrdEther, PacketHost) : Sll2(0x0800, syn, ArpHrdEther, PacketHost));
        Assert.Equal(2, CaptureReader.Read(eth.Bytes).Segments.Count);
    }
}
