using System.Buffers.Binary;
using System.Text;

namespace TcpSpec.Checker.Output;

/// <summary>
/// Writes segments as a pcapng file (the IETF pcapng draft, draft-ietf-opsawg-pcapng): a Section
/// Header Block, one Interface Description Block (link type RAW: IPv4 packets, microsecond
/// timestamps), and an Enhanced Packet Block per packet with an <c>opt_comment</c> saying why
/// the packet is there. Wireshark shows the comments (pkt_comment), tcpdump reads the file. The
/// packets themselves are those of <see cref="PcapWriter.Packet"/>.
/// </summary>
public sealed class PcapngWriter : IDisposable
{
    private const uint SectionHeader = 0x0A0D0D0A;
    private const uint InterfaceDescription = 1;
    private const uint EnhancedPacket = 6;
    private const ushort OptEndOfOpt = 0;
    private const ushort OptComment = 1;
    private const ushort ShbUserAppl = 4;
    private const ushort IfTsResol = 9;

    private readonly Stream _out;
    private ushort _ipId = 1;

    public PcapngWriter(Stream output)
    {
        _out = output;
        var shb = new List<byte>();
        U32(shb, 0x1A2B3C4D);
        U16(shb, 1);
        U16(shb, 0);
        U32(shb, 0xFFFFFFFF); // section length: unknown (-1)
        U32(shb, 0xFFFFFFFF);
        Option(shb, ShbUserAppl, Encoding.UTF8.GetBytes("tcpspec check"));
        Option(shb, OptEndOfOpt, []);
        Block(SectionHeader, shb);

        var idb = new List<byte>();
        U16(idb, (ushort)PcapWriter.LinkTypeRaw);
        U16(idb, 0);
        U32(idb, 65535);
        Option(idb, IfTsResol, [6]); // 10^-6 s
        Option(idb, OptEndOfOpt, []);
        Block(InterfaceDescription, idb);
    }

    /// <summary>Packets written so far; the next one is number <see cref="Count"/> + 1, as Wireshark numbers them.</summary>
    public int Count { get; private set; }

    /// <summary>Writes one segment sent by host <paramref name="from"/> (0 or 1) at <paramref name="micros"/> microseconds, with its comment.</summary>
    public void Write(int from, in Segment seg, long micros, string comment)
    {
        var packet = PcapWriter.Packet(from, seg, _ipId++);
        var epb = new List<byte>();
        U32(epb, 0); // interface 0
        U32(epb, (uint)((ulong)micros >> 32));
        U32(epb, (uint)micros);
        U32(epb, (uint)packet.Length);
        U32(epb, (uint)packet.Length);
        epb.AddRange(packet);
        Pad(epb);
        if (comment.Length > 0) Option(epb, OptComment, Encoding.UTF8.GetBytes(comment));
        Option(epb, OptEndOfOpt, []);
        Block(EnhancedPacket, epb);
        Count++;
    }

    private void Block(uint type, List<byte> body)
    {
        uint total = (uint)(12 + body.Count);
        var block = new byte[total];
        BinaryPrimitives.WriteUInt32LittleEndian(block, type);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), total);
        body.CopyTo(block, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan((int)total - 4), total);
        _out.Write(block);
    }

    private static void Option(List<byte> to, ushort code, byte[] value)
    {
        U16(to, code);
        U16(to, (ushort)value.Length);
        to.AddRange(value);
        Pad(to);
    }

    private static void Pad(List<byte> to)
    {
        while (to.Count % 4 != 0) to.Add(0);
    }

    private static void U16(List<byte> to, ushort v)
    {
        to.Add((byte)v);
        to.Add((byte)(v >> 8));
    }

    private static void U32(List<byte> to, uint v)
    {
        U16(to, (ushort)v);
        U16(to, (ushort)(v >> 16));
    }

    public void Dispose() => _out.Flush();
}
