using System.Buffers.Binary;

namespace TcpSpec.Checker.Output;

/// <summary>
/// Writes segments as a classic pcap file (link type RAW: IPv4 packets) that Wireshark and
/// tcpdump open. Host A is 10.0.0.1:40000, host B 10.0.0.2:80; checksums are computed, so the
/// tools do not flag the packets. Text octets are a pattern derived from their payload tag.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    public const uint LinkTypeRaw = 101;

    private static readonly byte[][] Addresses = { new byte[] { 10, 0, 0, 1 }, new byte[] { 10, 0, 0, 2 } };
    private static readonly ushort[] Ports = { 40000, 80 };

    private readonly Stream _out;
    private ushort _ipId = 1;

    public PcapWriter(Stream output)
    {
        _out = output;
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeRaw);
        _out.Write(header);
    }

    /// <summary>Writes one segment sent by host <paramref name="from"/> (0 or 1) at <paramref name="micros"/> microseconds.</summary>
    public void Write(int from, in Segment seg, long micros)
    {
        var packet = Packet(from, seg, _ipId++);
        Span<byte> rec = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)(micros / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(rec[4..], (uint)(micros % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(rec[8..], (uint)packet.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(rec[12..], (uint)packet.Length);
        _out.Write(rec);
        _out.Write(packet);
    }

    /// <summary>An IPv4 packet carrying the segment, with both checksums.</summary>
    public static byte[] Packet(int from, in Segment seg, ushort ipId)
    {
        int tcpLen = 20 + seg.Length;
        var p = new byte[20 + tcpLen];
        var ip = p.AsSpan(0, 20);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)p.Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], ipId);
        ip[6] = 0x40; // don't fragment
        ip[8] = 64;
        ip[9] = 6;
        Addresses[from].CopyTo(ip[12..]);
        Addresses[1 - from].CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip, 0));

        var tcp = p.AsSpan(20);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, Ports[from]);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], Ports[1 - from]);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], seg.Seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], seg.IsAck ? seg.Ack : 0);
        tcp[12] = 5 << 4;
        tcp[13] = (byte)seg.Flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], seg.Window);
        for (int i = 0; i < seg.Length; i++) tcp[20 + i] = (byte)('a' + (((seg.Payload + (uint)i) & 0x00FF_FFFF) % 26));

        // Pseudo-header sum for the TCP checksum.
        uint sum = 0;
        for (int i = 12; i < 20; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(ip[i..]);
        sum += 6;
        sum += (uint)tcpLen;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], Checksum(tcp, sum));
        return p;
    }

    /// <summary>The Internet checksum (RFC 1071) of <paramref name="data"/>, starting from a partial sum.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data, uint sum)
    {
        int i = 0;
        for (; i + 1 < data.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length) sum += (uint)data[i] << 8;
        while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    public void Dispose() => _out.Flush();
}
