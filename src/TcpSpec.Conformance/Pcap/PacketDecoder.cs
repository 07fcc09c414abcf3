using System.Buffers.Binary;
using System.Net;

namespace TcpSpec.Conformance.Pcap;

/// <summary>The link types the reader understands (LINKTYPE_* values of the pcap and pcapng formats).</summary>
public static class LinkTypes
{
    public const int Null = 0;          // BSD loopback: 4-byte address family in the writer's byte order
    public const int Ethernet = 1;
    public const int RawOpenBsd = 12;   // DLT_RAW as some systems wrote it into files
    public const int RawBsdOs = 14;     // DLT_RAW on BSD/OS
    public const int Raw = 101;
    public const int Loop = 108;        // OpenBSD loopback: address family in network byte order
    public const int LinuxSll = 113;
    public const int Ipv4 = 228;
    public const int Ipv6 = 229;
    public const int LinuxSll2 = 276;

    public static bool IsSupported(int linkType) => linkType is Null or Ethernet or RawOpenBsd or RawBsdOs or Raw or Loop or LinuxSll or Ipv4 or Ipv6 or LinuxSll2;

    public static string Name(int linkType) => linkType switch
    {
        Null => "NULL (BSD loopback)",
        Ethernet => "ETHERNET",
        RawOpenBsd or RawBsdOs or Raw => "RAW (IP)",
        Loop => "LOOP (OpenBSD loopback)",
        LinuxSll => "LINUX_SLL",
        Ipv4 => "IPV4",
        Ipv6 => "IPV6",
        LinuxSll2 => "LINUX_SLL2",
        _ => $"unknown",
    };

    public const string SupportedList = "ETHERNET (1, with 802.1Q/802.1ad VLAN tags), RAW (101, and 12/14), IPV4 (228), IPV6 (229), LINUX_SLL (113), LINUX_SLL2 (276), NULL (0), LOOP (108)";
}

/// <summary>What one packet turned out to be.</summary>
internal enum PacketKind
{
    /// <summary>A TCP segment, decoded.</summary>
    Tcp,
    /// <summary>Not TCP (another protocol, or not IP at all): counted and skipped.</summary>
    NotTcp,
    /// <summary>TCP that cannot be followed (a non-first fragment, a header the snapshot cut, a malformed header): skipped with a note.</summary>
    Skipped,
}

internal readonly record struct DecodedPacket(PacketKind Kind, string? Note, IPAddress? Src, ushort SrcPort, IPAddress? Dst, ushort DstPort,
    Segment Seg, int CapturedPayload, TcpOptionsInfo? Options)
{
    /// <summary>Linux cooked headers only: the device type (ARPHRD_*) and the packet type (PACKET_HOST 0, PACKET_OUTGOING 4...), or -1.</summary>
    public int ArpHrd { get; init; } = -1;

    public int LinuxPacketType { get; init; } = -1;

    public static DecodedPacket NotTcp(string what) => new(PacketKind.NotTcp, what, null, 0, null, 0, default, 0, null);

    public static DecodedPacket Skip(string why) => new(PacketKind.Skipped, why, null, 0, null, 0, default, 0, null);
}

/// <summary>
/// Decodes one captured packet: the link layer, IPv4 or IPv6, then the TCP header. Pure and
/// bounds-checked: whatever the bytes, it answers with a <see cref="DecodedPacket"/> and never
/// throws. <paramref name="originalLength"/> is the packet's length on the wire, used when an IP
/// length field is zero (segmentation offload captures).
/// </summary>
internal static class PacketDecoder
{
    public static DecodedPacket Decode(int linkType, ReadOnlySpan<byte> p, long originalLength, bool nullBigEndian = false)
    {
        switch (linkType)
        {
            case LinkTypes.Ethernet:
                return Ethernet(p, originalLength);
            case LinkTypes.Raw or LinkTypes.RawOpenBsd or LinkTypes.RawBsdOs:
                if (p.Length < 1) return DecodedPacket.Skip("empty packet");
                return (p[0] >> 4) switch
                {
                    4 => Ipv4(p, originalLength),
                    6 => Ipv6(p, originalLength),
                    var v => DecodedPacket.NotTcp($"IP version {v}"),
                };
            case LinkTypes.Ipv4:
                return Ipv4(p, originalLength);
            case LinkTypes.Ipv6:
                return Ipv6(p, originalLength);
            case LinkTypes.LinuxSll:
                if (p.Length < 16) return DecodedPacket.Skip("truncated Linux cooked (SLL) header");
                return ByEtherType(BinaryPrimitives.ReadUInt16BigEndian(p[14..]), p[16..], originalLength - 16) with
                {
                    ArpHrd = BinaryPrimitives.ReadUInt16BigEndian(p[2..]),
                    LinuxPacketType = BinaryPrimitives.ReadUInt16BigEndian(p),
                };
            case LinkTypes.LinuxSll2:
                if (p.Length < 20) return DecodedPacket.Skip("truncated Linux cooked v2 (SLL2) header");
                return ByEtherType(BinaryPrimitives.ReadUInt16BigEndian(p), p[20..], originalLength - 20) with
                {
                    ArpHrd = BinaryPrimitives.ReadUInt16BigEndian(p[8..]),
                    LinuxPacketType = p[10],
                };
            case LinkTypes.Null or LinkTypes.Loop:
            {
                if (p.Length < 4) return DecodedPacket.Skip("truncated loopback header");
                uint family = linkType == LinkTypes.Loop || nullBigEndian
                    ? BinaryPrimitives.ReadUInt32BigEndian(p)
                    : BinaryPrimitives.ReadUInt32LittleEndian(p);
                // A NULL header is in the writer's byte order; accept either when the other is absurd.
                if (family > 0xFFFF) family = BinaryPrimitives.ReverseEndianness(family);
                return family switch
                {
                    2 => Ipv4(p[4..], originalLength - 4),
                    24 or 28 or 30 => Ipv6(p[4..], originalLength - 4),
                    _ => DecodedPacket.NotTcp($"loopback address family {family}"),
                };
            }
            default:
                return DecodedPacket.Skip($"link type {linkType}");
        }
    }

    private static DecodedPacket Ethernet(ReadOnlySpan<byte> p, long originalLength)
    {
        if (p.Length < 14) return DecodedPacket.Skip("truncated Ethernet header");
        int off = 12;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(p[off..]);
        off += 2;
        // 802.1Q, 802.1ad and the old QinQ tag: 4 bytes each, possibly stacked.
        for (int tags = 0; type is 0x8100 or 0x88A8 or 0x9100 or 0x9200; tags++)
        {
            if (tags == 8) return DecodedPacket.Skip("too many VLAN tags");
            if (p.Length < off + 4) return DecodedPacket.Skip("truncated VLAN tag");
            type = BinaryPrimitives.ReadUInt16BigEndian(p[(off + 2)..]);
            off += 4;
        }
        if (type <= 1500) return DecodedPacket.NotTcp("IEEE 802.3 frame (not IP)");
        return ByEtherType(type, p[off..], originalLength - off);
    }

    private static DecodedPacket ByEtherType(ushort type, ReadOnlySpan<byte> p, long originalLength) => type switch
    {
        0x0800 => Ipv4(p, originalLength),
        0x86DD => Ipv6(p, originalLength),
        0x0806 => DecodedPacket.NotTcp("ARP"),
        _ => DecodedPacket.NotTcp($"ethertype 0x{type:X4}"),
    };

    private static DecodedPacket Ipv4(ReadOnlySpan<byte> p, long originalLength)
    {
        if (p.Length < 20) return DecodedPacket.Skip("truncated IPv4 header");
        if (p[0] >> 4 != 4) return DecodedPacket.Skip($"IPv4 header with version {p[0] >> 4}");
        int ihl = (p[0] & 0x0F) * 4;
        if (ihl < 20) return DecodedPacket.Skip($"IPv4 header length {ihl} is below 20");
        if (p.Length < ihl) return DecodedPacket.Skip("truncated IPv4 options");
        int total = BinaryPrimitives.ReadUInt16BigEndian(p[2..]);
        if (total == 0)
        {
            // Segmentation offload: the stack hands the capture a packet whose length field is 0.
            total = (int)Math.Clamp(originalLength, 0, int.MaxValue);
        }
        if (total < ihl) return DecodedPacket.Skip($"IPv4 total length {total} is shorter than its header ({ihl})");
        byte proto = p[9];
        ushort frag = BinaryPrimitives.ReadUInt16BigEndian(p[6..]);
        int fragOffset = frag & 0x1FFF;
        bool moreFragments = (frag & 0x2000) != 0;
        if (proto != 6) return DecodedPacket.NotTcp(proto switch { 1 => "ICMP", 17 => "UDP", _ => $"IP protocol {proto}" });
        if (fragOffset != 0) return DecodedPacket.Skip("a non-first IPv4 fragment of a TCP segment");
        var src = new IPAddress(p.Slice(12, 4));
        var dst = new IPAddress(p.Slice(16, 4));
        var tcp = p[ihl..Math.Min(total, p.Length)];
        var result = Tcp(src, dst, tcp, total - ihl);
        if (moreFragments && result.Kind == PacketKind.Tcp)
            return result with { Note = "the first fragment of a fragmented TCP segment: its text length is the fragment's" };
        return result;
    }

    private static DecodedPacket Ipv6(ReadOnlySpan<byte> p, long originalLength)
    {
        if (p.Length < 40) return DecodedPacket.Skip("truncated IPv6 header");
        if (p[0] >> 4 != 6) return DecodedPacket.Skip($"IPv6 header with version {p[0] >> 4}");
        long end = 40 + BinaryPrimitives.ReadUInt16BigEndian(p[4..]);
        if (end == 40) end = Math.Max(40, originalLength); // jumbogram or segmentation offload: the length is the packet's
        byte next = p[6];
        var src = new IPAddress(p.Slice(8, 16));
        var dst = new IPAddress(p.Slice(24, 16));
        int off = 40;
        for (int hops = 0; ; hops++)
        {
            if (hops == 16) return DecodedPacket.Skip("too many IPv6 extension headers");
            switch (next)
            {
                case 6:
                {
                    long tcpLen = end - off;
                    if (tcpLen < 0) return DecodedPacket.Skip("IPv6 extension headers longer than the payload length");
                    var tcp = p[off..(int)Math.Min(end, p.Length)];
                    return Tcp(src, dst, tcp, tcpLen);
                }
                case 0 or 43 or 60 or 135 or 139 or 140:
                    if (p.Length < off + 2) return DecodedPacket.Skip("truncated IPv6 extension header");
                    next = p[off];
                    off += (p[off + 1] + 1) * 8;
                    break;
                case 51: // authentication header
                    if (p.Length < off + 2) return DecodedPacket.Skip("truncated IPv6 authentication header");
                    next = p[off];
                    off += (p[off + 1] + 2) * 4;
                    break;
                case 44: // fragment
                {
                    if (p.Length < off + 8) return DecodedPacket.Skip("truncated IPv6 fragment header");
                    next = p[off];
                    int fragOffset = BinaryPrimitives.ReadUInt16BigEndian(p[(off + 2)..]) >> 3;
                    if (fragOffset != 0) return next == 6 ? DecodedPacket.Skip("a non-first IPv6 fragment of a TCP segment") : DecodedPacket.NotTcp("a non-first IPv6 fragment");
                    off += 8;
                    break;
                }
                default:
                    return DecodedPacket.NotTcp(next switch { 17 => "UDP", 58 => "ICMPv6", 50 => "ESP", 59 => "IPv6 with no next header", _ => $"IPv6 next header {next}" });
            }
            if (off > p.Length) return DecodedPacket.Skip("truncated IPv6 extension header");
        }
    }

    /// <summary>The TCP header in <paramref name="t"/> (the captured bytes); <paramref name="tcpLength"/> is the length the IP header gives.</summary>
    private static DecodedPacket Tcp(IPAddress src, IPAddress dst, ReadOnlySpan<byte> t, long tcpLength)
    {
        if (t.Length < 20)
            return DecodedPacket.Skip(tcpLength < 20 ? "TCP segment shorter than its 20-byte header" : "TCP header cut by the capture's snapshot length");
        int dataOffset = (t[12] >> 4) * 4;
        if (dataOffset < 20) return DecodedPacket.Skip($"TCP data offset {dataOffset} is below 20");
        if (dataOffset > tcpLength) return DecodedPacket.Skip($"TCP data offset {dataOffset} is beyond the segment ({tcpLength} bytes)");
        long textLength = tcpLength - dataOffset;
        if (textLength > ushort.MaxValue) return DecodedPacket.Skip($"TCP segment with {textLength} octets of text (more than 65535: not supported)");
        ushort srcPort = BinaryPrimitives.ReadUInt16BigEndian(t);
        ushort dstPort = BinaryPrimitives.ReadUInt16BigEndian(t[2..]);
        uint seq = BinaryPrimitives.ReadUInt32BigEndian(t[4..]);
        uint ack = BinaryPrimitives.ReadUInt32BigEndian(t[8..]);
        var flags = (TcpFlags)(t[13] & 0x3F); // FIN SYN RST PSH ACK URG; ECE, CWR and NS are not the machine's
        ushort window = BinaryPrimitives.ReadUInt16BigEndian(t[14..]);
        if ((flags & TcpFlags.Ack) == 0) ack = 0;
        var options = dataOffset == 20 ? TcpOptionsInfo.None : Options(t[20..Math.Min(dataOffset, t.Length)], dataOffset <= t.Length);
        int captured = (int)Math.Max(0, Math.Min(textLength, t.Length - dataOffset));
        var seg = new Segment(seq, ack, flags, window, (ushort)textLength);
        return new DecodedPacket(PacketKind.Tcp, null, src, srcPort, dst, dstPort, seg, captured, options);
    }

    private static TcpOptionsInfo Options(ReadOnlySpan<byte> o, bool complete)
    {
        int wscale = -1, mss = -1;
        bool sackOk = false, sack = false, ts = false, malformed = !complete;
        int i = 0;
        while (i < o.Length)
        {
            byte kind = o[i];
            if (kind == 0) break;
            if (kind == 1) { i++; continue; }
            if (i + 1 >= o.Length) { malformed = true; break; }
            int len = o[i + 1];
            if (len < 2 || i + len > o.Length) { malformed = true; break; }
            var v = o.Slice(i + 2, len - 2);
            switch (kind)
            {
                case 2 when v.Length == 2: mss = BinaryPrimitives.ReadUInt16BigEndian(v); break;
                case 3 when v.Length == 1: wscale = Math.Min((int)v[0], 14); break; // RFC 7323 §2.3: a shift above 14 is taken as 14
                case 4: sackOk = true; break;
                case 5: sack = true; break;
                case 8: ts = true; break;
            }
            i += len;
        }
        return new TcpOptionsInfo(true, wscale, mss, sackOk, sack, ts, malformed);
    }
}
