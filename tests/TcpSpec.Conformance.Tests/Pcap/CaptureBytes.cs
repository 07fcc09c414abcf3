using System.Buffers.Binary;
using System.Net;
using TcpSpec.Checker.Output;
using TcpSpec.Conformance.Pcap;

namespace TcpSpec.Conformance.Tests.Pcap;

/// <summary>Builds packets and capture files byte by byte, for the reader's tests.</summary>
internal static class Packets
{
    public static readonly IPAddress V4A = IPAddress.Parse("10.0.0.1");
    public static readonly IPAddress V4B = IPAddress.Parse("10.0.0.2");
    public static readonly IPAddress V6A = IPAddress.Parse("2001:db8::1");
    public static readonly IPAddress V6B = IPAddress.Parse("2001:db8::2");

    /// <summary>A TCP header (and text of <paramref name="text"/> octets, of which <paramref name="textPresent"/> are present) with the given options bytes.</summary>
    public static byte[] Tcp(ushort srcPort, ushort dstPort, in Segment seg, byte[]? options = null, int? textPresent = null)
    {
        options ??= [];
        int optLen = (options.Length + 3) & ~3;
        int present = textPresent ?? seg.Length;
        var t = new byte[20 + optLen + present];
        BinaryPrimitives.WriteUInt16BigEndian(t, srcPort);
        BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(2), dstPort);
        BinaryPrimitives.WriteUInt32BigEndian(t.AsSpan(4), seg.Seq);
        BinaryPrimitives.WriteUInt32BigEndian(t.AsSpan(8), seg.Ack);
        t[12] = (byte)(((20 + optLen) / 4) << 4);
        t[13] = (byte)seg.Flags;
        BinaryPrimitives.WriteUInt16BigEndian(t.AsSpan(14), seg.Window);
        options.CopyTo(t, 20);
        for (int i = 0; i < present; i++) t[20 + optLen + i] = (byte)('a' + i % 26);
        return t;
    }

    /// <summary>An IPv4 packet around a payload; <paramref name="payloadLength"/> is what the header says (default: the payload's length).</summary>
    public static byte[] Ipv4(IPAddress src, IPAddress dst, byte protocol, byte[] payload, int? payloadLength = null, ushort fragment = 0x4000, byte[]? options = null)
    {
        options ??= [];
        int ihl = 20 + options.Length;
        var p = new byte[ihl + payload.Length];
        p[0] = (byte)(0x40 | (ihl / 4));
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)(ihl + (payloadLength ?? payload.Length)));
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(6), fragment);
        p[8] = 64;
        p[9] = protocol;
        src.GetAddressBytes().CopyTo(p, 12);
        dst.GetAddressBytes().CopyTo(p, 16);
        options.CopyTo(p, 20);
        payload.CopyTo(p, ihl);
        return p;
    }

    /// <summary>An IPv6 packet; <paramref name="extensions"/> are (next header value, header bytes) in order, ending in <paramref name="protocol"/>.</summary>
    public static byte[] Ipv6(IPAddress src, IPAddress dst, byte protocol, byte[] payload, int? payloadLength = null, params (byte Type, byte[] Bytes)[] extensions)
    {
        var ext = new List<byte>();
        for (int i = 0; i < extensions.Length; i++)
        {
            var h = (byte[])extensions[i].Bytes.Clone();
            h[0] = i + 1 < extensions.Length ? extensions[i + 1].Type : protocol;
            ext.AddRange(h);
        }
        var p = new byte[40 + ext.Count + payload.Length];
        p[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(4), (ushort)(ext.Count + (payloadLength ?? payload.Length)));
        p[6] = extensions.Length > 0 ? extensions[0].Type : protocol;
        p[7] = 64;
        src.GetAddressBytes().CopyTo(p, 8);
        dst.GetAddressBytes().CopyTo(p, 24);
        ext.CopyTo(p, 40);
        payload.CopyTo(p, 40 + ext.Count);
        return p;
    }

    /// <summary>An 8-octet IPv6 extension header (hop-by-hop, destination options: length 0 = 8 octets of padding).</summary>
    public static byte[] Ext8() => [0, 0, 1, 4, 0, 0, 0, 0];

    /// <summary>An IPv6 fragment header with the given offset (in 8-octet units) and M flag.</summary>
    public static byte[] Fragment6(int offset, bool more)
    {
        var h = new byte[8];
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(2), (ushort)((offset << 3) | (more ? 1 : 0)));
        return h;
    }

    public static byte[] Ethernet(ushort etherType, byte[] payload, params ushort[] vlanTpids)
    {
        var p = new List<byte>();
        p.AddRange(new byte[] { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 });
        foreach (var tpid in vlanTpids)
        {
            p.Add((byte)(tpid >> 8));
            p.Add((byte)tpid);
            p.AddRange(new byte[] { 0x00, 0x2A }); // VLAN 42
        }
        p.Add((byte)(etherType >> 8));
        p.Add((byte)etherType);
        p.AddRange(payload);
        return p.ToArray();
    }

    public const ushort ArpHrdEther = 1;
    public const ushort ArpHrdLoopback = 772;
    public const byte PacketHost = 0;
    public const byte PacketOutgoing = 4;

    public static byte[] Sll(ushort protocol, byte[] payload, ushort arphrd = ArpHrdEther, byte packetType = PacketHost)
    {
        var h = new byte[16];
        BinaryPrimitives.WriteUInt16BigEndian(h, packetType);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(2), arphrd);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(4), 6);
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(14), protocol);
        return [.. h, .. payload];
    }

    public static byte[] Sll2(ushort protocol, byte[] payload, ushort arphrd = ArpHrdEther, byte packetType = PacketOutgoing)
    {
        var h = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(h, protocol);
        BinaryPrimitives.WriteUInt32BigEndian(h.AsSpan(4), 3);  // interface index
        BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(8), arphrd);
        h[10] = packetType;
        h[11] = 6;
        return [.. h, .. payload];
    }

    public static byte[] Null(uint family, byte[] payload, bool bigEndian)
    {
        var h = new byte[4];
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(h, family);
        else BinaryPrimitives.WriteUInt32LittleEndian(h, family);
        return [.. h, .. payload];
    }

    /// <summary>A TCP segment from 10.0.0.1:40000 to 10.0.0.2:80 as an IPv4 packet (PcapWriter's own).</summary>
    public static byte[] V4Segment(in Segment seg, int from = 0) => PcapWriter.Packet(from, seg, 7);

    public static byte[] V6Segment(in Segment seg) => Ipv6(V6A, V6B, 6, Tcp(40000, 80, seg));

    public static byte[] Udp() => Ipv4(V4A, V4B, 17, new byte[12]);
}

/// <summary>A classic pcap file, in either byte order and timestamp resolution.</summary>
internal sealed class PcapFile
{
    private readonly List<byte> _bytes = new();
    private readonly bool _big;
    private readonly bool _nanos;
    private readonly bool _modified;

    public PcapFile(uint linkType, bool bigEndian = false, bool nanos = false, bool modified = false, uint snaplen = 65535)
    {
        _big = bigEndian;
        _nanos = nanos;
        _modified = modified;
        U32(modified ? 0xA1B2CD34 : nanos ? 0xA1B23C4D : 0xA1B2C3D4);
        U16(2);
        U16(4);
        U32(0);
        U32(0);
        U32(snaplen);
        U32(linkType);
    }

    public PcapFile Add(byte[] packet, double time = 1.5, int? captured = null, int? original = null)
    {
        int incl = captured ?? packet.Length;
        U32((uint)Math.Floor(time));
        U32((uint)Math.Round((time - Math.Floor(time)) * (_nanos ? 1e9 : 1e6)));
        U32((uint)incl);
        U32((uint)(original ?? packet.Length));
        if (_modified)
        {
            U32(1);
            U16(0x0800);
            _bytes.Add(0);
            _bytes.Add(0);
        }
        _bytes.AddRange(packet.Take(incl));
        return this;
    }

    public byte[] Bytes => _bytes.ToArray();

    private void U32(uint v)
    {
        var b = new byte[4];
        if (_big) BinaryPrimitives.WriteUInt32BigEndian(b, v);
        else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        _bytes.AddRange(b);
    }

    private void U16(ushort v)
    {
        var b = new byte[2];
        if (_big) BinaryPrimitives.WriteUInt16BigEndian(b, v);
        else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        _bytes.AddRange(b);
    }
}

/// <summary>A pcapng writer for tests: sections, interfaces (link type, timestamp resolution), enhanced, simple and obsolete packet blocks, and blocks a reader must skip.</summary>
internal sealed class PcapNgFile
{
    private readonly List<byte> _bytes = new();
    private bool _big;

    public PcapNgFile(bool bigEndian = false) => Section(bigEndian);

    public PcapNgFile Section(bool bigEndian)
    {
        _big = bigEndian;
        var body = new List<byte>();
        body.AddRange(U32(0x1A2B3C4D));
        body.AddRange(U16(1));
        body.AddRange(U16(0));
        body.AddRange(U64(ulong.MaxValue)); // section length unknown
        body.AddRange(Option(4, System.Text.Encoding.ASCII.GetBytes("tcpspec tests"))); // shb_userappl
        body.AddRange(U32(0));              // opt_endofopt
        return Block(0x0A0D0D0A, body);
    }

    /// <summary>An interface; <paramref name="tsresol"/> is the if_tsresol byte (null: the default, microseconds).</summary>
    public PcapNgFile Interface(ushort linkType, byte? tsresol = null, uint snaplen = 0, long? tsoffset = null)
    {
        var body = new List<byte>();
        body.AddRange(U16(linkType));
        body.AddRange(U16(0));
        body.AddRange(U32(snaplen));
        body.AddRange(Option(2, System.Text.Encoding.ASCII.GetBytes("eth0")));
        if (tsresol is byte r) body.AddRange(Option(9, [r]));
        if (tsoffset is long o) body.AddRange(Option(14, U64((ulong)o)));
        body.AddRange(U32(0));
        return Block(1, body);
    }

    public PcapNgFile Enhanced(uint iface, ulong timestamp, byte[] packet, int? captured = null, bool withOptions = true)
    {
        int cap = captured ?? packet.Length;
        var body = new List<byte>();
        body.AddRange(U32(iface));
        body.AddRange(U32((uint)(timestamp >> 32)));
        body.AddRange(U32((uint)timestamp));
        body.AddRange(U32((uint)cap));
        body.AddRange(U32((uint)packet.Length));
        body.AddRange(Pad(packet.Take(cap).ToArray()));
        if (withOptions)
        {
            body.AddRange(Option(1, System.Text.Encoding.ASCII.GetBytes("a comment")));
            body.AddRange(U32(0));
        }
        return Block(6, body);
    }

    public PcapNgFile Simple(byte[] packet)
    {
        var body = new List<byte>();
        body.AddRange(U32((uint)packet.Length));
        body.AddRange(Pad(packet));
        return Block(3, body);
    }

    public PcapNgFile Obsolete(ushort iface, ulong timestamp, byte[] packet)
    {
        var body = new List<byte>();
        body.AddRange(U16(iface));
        body.AddRange(U16(0));
        body.AddRange(U32((uint)(timestamp >> 32)));
        body.AddRange(U32((uint)timestamp));
        body.AddRange(U32((uint)packet.Length));
        body.AddRange(U32((uint)packet.Length));
        body.AddRange(Pad(packet));
        return Block(2, body);
    }

    /// <summary>Blocks a reader must skip: name resolution, interface statistics, a custom block.</summary>
    public PcapNgFile Others()
    {
        var nrb = new List<byte>();
        nrb.AddRange(U16(1));
        nrb.AddRange(U16(12));
        nrb.AddRange(new byte[] { 10, 0, 0, 1, (byte)'a', (byte)'.', (byte)'e', (byte)'x', 0, 0, 0, 0 });
        nrb.AddRange(U32(0));
        Block(4, nrb);
        var isb = new List<byte>();
        isb.AddRange(U32(0));
        isb.AddRange(U32(0));
        isb.AddRange(U32(0));
        Block(5, isb);
        return Block(0x00000BAD, [.. U32(32473), 1, 2, 3, 4]);
    }

    public byte[] Bytes => _bytes.ToArray();

    private PcapNgFile Block(uint type, List<byte> body)
    {
        uint total = (uint)(12 + body.Count);
        _bytes.AddRange(U32(type));
        _bytes.AddRange(U32(total));
        _bytes.AddRange(body);
        _bytes.AddRange(U32(total));
        return this;
    }

    private List<byte> Option(ushort code, byte[] value)
    {
        var o = new List<byte>();
        o.AddRange(U16(code));
        o.AddRange(U16((ushort)value.Length));
        o.AddRange(Pad(value));
        return o;
    }

    private static byte[] Pad(byte[] b) => [.. b, .. new byte[(4 - b.Length % 4) % 4]];

    private byte[] U32(uint v)
    {
        var b = new byte[4];
        if (_big) BinaryPrimitives.WriteUInt32BigEndian(b, v);
        else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }

    private byte[] U16(ushort v)
    {
        var b = new byte[2];
        if (_big) BinaryPrimitives.WriteUInt16BigEndian(b, v);
        else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        return b;
    }

    private byte[] U64(ulong v)
    {
        var b = new byte[8];
        if (_big) BinaryPrimitives.WriteUInt64BigEndian(b, v);
        else BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        return b;
    }
}
