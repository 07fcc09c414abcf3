using System.Buffers.Binary;

namespace TcpSpec.Conformance.Pcap;

/// <summary>
/// Reads pcap (both byte orders, microsecond and nanosecond timestamps, and the "modified" pcap
/// of old Linux patches) and pcapng (section header, interface description, enhanced, simple and
/// obsolete packet blocks; every other block is skipped; per-interface link type and timestamp
/// resolution; each section in its own byte order). A file that ends inside a packet record (the
/// writer was killed) is read up to the cut, which <see cref="Capture.CutShort"/> names, as tcpdump
/// does. A file cut inside its header, a corrupt file, or a packet on a link type the reader does
/// not know, is a <see cref="CaptureFormatException"/> with the byte offset; nothing else is ever
/// thrown. Packets that are not TCP are counted and skipped.
/// </summary>
public static class CaptureReader
{
    /// <summary>The largest packet record accepted (libpcap's own sanity limit is 256 KiB; pcapng allows more).</summary>
    public const int MaxRecord = 16 * 1024 * 1024;

    private const uint PcapMagicMicros = 0xA1B2C3D4;
    private const uint PcapMagicNanos = 0xA1B23C4D;
    private const uint PcapMagicModified = 0xA1B2CD34;
    private const uint BlockShb = 0x0A0D0D0A;
    private const uint ByteOrderMagic = 0x1A2B3C4D;

    /// <summary>Reads a capture file. I/O errors (a missing file, say) propagate as they are; the contents never throw anything but <see cref="CaptureFormatException"/>.</summary>
    public static Capture ReadFile(string path) => Read(File.ReadAllBytes(path));

    public static Capture Read(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4) throw new CaptureFormatException(0, $"not a capture file: {data.Length} bytes is too short for a pcap or pcapng header");
        uint le = BinaryPrimitives.ReadUInt32LittleEndian(data);
        uint be = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (le == BlockShb) return new PcapNg().Read(data);
        foreach (var (magic, big) in new[] { (le, false), (be, true) })
        {
            if (magic is PcapMagicMicros or PcapMagicNanos or PcapMagicModified)
                return ReadPcap(data, big, magic == PcapMagicNanos, magic == PcapMagicModified);
        }
        throw new CaptureFormatException(0, $"not a pcap or pcapng file (magic number 0x{be:X8}; pcap starts with A1B2C3D4 or A1B23C4D in either byte order, pcapng with 0A0D0D0A)");
    }

    private static uint U32(ReadOnlySpan<byte> d, bool big) => big ? BinaryPrimitives.ReadUInt32BigEndian(d) : BinaryPrimitives.ReadUInt32LittleEndian(d);

    private static ushort U16(ReadOnlySpan<byte> d, bool big) => big ? BinaryPrimitives.ReadUInt16BigEndian(d) : BinaryPrimitives.ReadUInt16LittleEndian(d);

    private static Capture ReadPcap(ReadOnlySpan<byte> d, bool big, bool nanos, bool modified)
    {
        if (d.Length < 24) throw new CaptureFormatException(d.Length, $"truncated pcap file header: 24 bytes needed, {d.Length} present");
        ushort major = U16(d[4..], big);
        ushort minor = U16(d[6..], big);
        if (major != 2) throw new CaptureFormatException(4, $"unsupported pcap version {major}.{minor} (2.4 expected)");
        uint snaplen = U32(d[16..], big);
        int linkType = (int)(U32(d[20..], big) & 0xFFFF); // the upper bits carry FCS information
        if (!LinkTypes.IsSupported(linkType))
            throw new CaptureFormatException(20, $"unsupported link type {linkType} (supported: {LinkTypes.SupportedList})");
        var sink = new Sink();
        string format = $"pcap ({(big ? "big" : "little")}-endian, {(nanos ? "nanosecond" : "microsecond")} timestamps{(modified ? ", modified record headers" : "")})";
        int header = modified ? 24 : 16;
        long limit = Math.Max(MaxRecord, (long)snaplen);
        int off = 24;
        long frame = 0;
        while (off < d.Length)
        {
            if (d.Length - off < header)
            {
                sink.CutShort(off, $"truncated packet record header: {header} bytes needed, {d.Length - off} present");
                break;
            }
            uint sec = U32(d[off..], big);
            uint frac = U32(d[(off + 4)..], big);
            uint incl = U32(d[(off + 8)..], big);
            uint orig = U32(d[(off + 12)..], big);
            if (incl > limit)
                throw new CaptureFormatException(off + 8, $"packet record of {incl} bytes is implausible (snapshot length {snaplen}): the file is corrupt");
            if (d.Length - off - header < incl)
            {
                sink.CutShort(off, $"truncated packet record: {incl} bytes announced, {d.Length - off - header} present");
                break;
            }
            frame++;
            double time = sec + frac * (nanos ? 1e-9 : 1e-6);
            sink.Add(frame, time, off, PacketDecoder.Decode(linkType, d.Slice(off + header, (int)incl), orig, big));
            off += header + (int)incl;
        }
        return sink.ToCapture(format, new[] { linkType }, frame);
    }

    /// <summary>Collects decoded packets into a <see cref="Capture"/>.</summary>
    private sealed class Sink
    {
        private readonly List<CapturedSegment> _segments = new();
        private readonly SortedDictionary<string, long> _notTcp = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, long> _skipped = new(StringComparer.Ordinal);
        private readonly List<string> _notes = new();
        private readonly HashSet<string> _noted = new(StringComparer.Ordinal);

        private const int ArpHrdLoopback = 772;
        private const int PacketHost = 0;
        private const int PacketOutgoing = 4;
        private const string LoopbackCopy = "the received copy of a loopback packet also captured as sent (Linux cooked capture on the \"any\" device)";

        /// <summary>Loopback packets captured as they were sent, awaiting the copy captured as they are received.</summary>
        private readonly List<(string Key, long Frame)> _sentOnLoopback = new();

        public void Add(long frame, double time, long offset, DecodedPacket p)
        {
            if (p.Kind == PacketKind.Tcp && p.ArpHrd == ArpHrdLoopback && p.LinuxPacketType is PacketHost or PacketOutgoing)
            {
                string key = $"{p.Src}|{p.SrcPort}|{p.Dst}|{p.DstPort}|{p.Seg}|{p.Seg.Window}|{p.CapturedPayload}";
                if (p.LinuxPacketType == PacketOutgoing)
                {
                    _sentOnLoopback.Add((key, frame));
                    if (_sentOnLoopback.Count > 256) _sentOnLoopback.RemoveAt(0);
                }
                else
                {
                    int i = _sentOnLoopback.FindIndex(x => x.Key == key);
                    if (i >= 0)
                    {
                        _sentOnLoopback.RemoveAt(i);
                        _skipped[LoopbackCopy] = _skipped.GetValueOrDefault(LoopbackCopy) + 1;
                        return;
                    }
                }
            }
            switch (p.Kind)
            {
                case PacketKind.Tcp:
                    _segments.Add(new CapturedSegment(frame, time, p.Src!, p.SrcPort, p.Dst!, p.DstPort, p.Seg, p.CapturedPayload)
                    {
                        Options = p.Options ?? TcpOptionsInfo.None,
                        FileOffset = offset,
                    });
                    if (p.Note is not null) Note($"frame {frame}: {p.Note}", p.Note);
                    break;
                case PacketKind.NotTcp:
                    _notTcp[p.Note!] = _notTcp.GetValueOrDefault(p.Note!) + 1;
                    break;
                default:
                    _skipped[p.Note!] = _skipped.GetValueOrDefault(p.Note!) + 1;
                    Note($"frame {frame} (byte {offset}): skipped: {p.Note}", p.Note!);
                    break;
            }
        }

        private Truncation? _cut;

        /// <summary>The file ends inside a record (a capture whose writer was killed): keep what came before, as tcpdump does.</summary>
        public void CutShort(long offset, string reason) => _cut = new Truncation(offset, reason);

        public void Note(string text, string kind)
        {
            if (_noted.Add(kind) && _notes.Count < 50) _notes.Add(text);
        }

        public Capture ToCapture(string format, IReadOnlyList<int> linkTypes, long packets) =>
            new(format, linkTypes, packets, _segments, _notTcp, _skipped, _notes) { CutShort = _cut };
    }

    /// <summary>The pcapng reader: blocks, sections and interfaces (draft-ietf-opsawg-pcapng).</summary>
    private sealed class PcapNg
    {
        private sealed record Interface(int LinkType, uint SnapLen, double Resolution, long OffsetSeconds, long DeclaredAt);

        private readonly List<Interface> _interfaces = new();
        private readonly Sink _sink = new();
        private readonly List<int> _linkTypes = new();
        private bool _big;
        private long _frame;
        private double _lastTime;
        private int _sections;

        public Capture Read(ReadOnlySpan<byte> d)
        {
            int off = 0;
            while (off < d.Length)
            {
                if (d.Length - off < 12)
                {
                    if (_sections == 0) throw new CaptureFormatException(off, $"truncated block header: 12 bytes needed, {d.Length - off} present");
                    _sink.CutShort(off, $"truncated block header: 12 bytes needed, {d.Length - off} present");
                    break;
                }
                uint type = BinaryPrimitives.ReadUInt32LittleEndian(d[off..]);
                if (type == BlockShb)
                {
                    uint bom = BinaryPrimitives.ReadUInt32LittleEndian(d[(off + 8)..]);
                    if (bom == ByteOrderMagic) _big = false;
                    else if (BinaryPrimitives.ReverseEndianness(bom) == ByteOrderMagic) _big = true;
                    else throw new CaptureFormatException(off + 8, $"section header block with a bad byte-order magic 0x{bom:X8}");
                }
                else if (_big)
                {
                    type = BinaryPrimitives.ReverseEndianness(type);
                }
                uint total = U32(d[(off + 4)..], _big);
                if (total < 12 || total % 4 != 0)
                    throw new CaptureFormatException(off + 4, $"block of type 0x{type:X8} has an invalid length {total} (at least 12, a multiple of 4)");
                if (total > d.Length - off)
                {
                    if (_sections == 0) throw new CaptureFormatException(off, $"truncated block of type 0x{type:X8}: {total} bytes announced, {d.Length - off} present");
                    _sink.CutShort(off, $"truncated block of type 0x{type:X8}: {total} bytes announced, {d.Length - off} present");
                    break;
                }
                uint trailer = U32(d[(off + (int)total - 4)..], _big);
                if (trailer != total)
                    throw new CaptureFormatException(off + total - 4, $"block of type 0x{type:X8} ends with length {trailer}, not the {total} it starts with: the file is corrupt");
                var body = d.Slice(off + 8, (int)total - 12);
                Block(type, body, off);
                off += (int)total;
            }
            if (_sections == 0) throw new CaptureFormatException(0, "no section header block");
            string format = $"pcapng ({(_big ? "big" : "little")}-endian{(_sections > 1 ? $", {_sections} sections" : "")}, {_linkTypes.Count} interface(s))";
            return _sink.ToCapture(format, _linkTypes, _frame);
        }

        private void Block(uint type, ReadOnlySpan<byte> body, int off)
        {
            switch (type)
            {
                case BlockShb:
                {
                    if (body.Length < 16) throw new CaptureFormatException(off, "truncated section header block");
                    ushort major = U16(body[4..], _big);
                    if (major != 1) throw new CaptureFormatException(off + 12, $"unsupported pcapng version {major} (1 expected)");
                    _sections++;
                    _interfaces.Clear();
                    break;
                }
                case 1: // interface description
                {
                    if (body.Length < 8) throw new CaptureFormatException(off, "truncated interface description block");
                    int linkType = U16(body, _big);
                    uint snaplen = U32(body[4..], _big);
                    double resolution = 1e-6;
                    long offsetSeconds = 0;
                    foreach (var (code, value, at) in Options(body[8..], off + 16))
                    {
                        if (code == 9 && value.Length >= 1)
                        {
                            byte r = value[0];
                            resolution = (r & 0x80) != 0 ? Math.Pow(2, -(r & 0x7F)) : Math.Pow(10, -r);
                        }
                        else if (code == 14 && value.Length >= 8)
                        {
                            offsetSeconds = (long)(_big ? BinaryPrimitives.ReadUInt64BigEndian(value) : BinaryPrimitives.ReadUInt64LittleEndian(value));
                        }
                        _ = at;
                    }
                    _interfaces.Add(new Interface(linkType, snaplen, resolution, offsetSeconds, off));
                    _linkTypes.Add(linkType);
                    break;
                }
                case 6: // enhanced packet
                {
                    if (body.Length < 20) throw new CaptureFormatException(off, "truncated enhanced packet block");
                    uint id = U32(body, _big);
                    ulong ts = ((ulong)U32(body[4..], _big) << 32) | U32(body[8..], _big);
                    uint caplen = U32(body[12..], _big);
                    uint orig = U32(body[16..], _big);
                    if (caplen > body.Length - 20)
                        throw new CaptureFormatException(off + 20, $"enhanced packet block announces {caplen} captured bytes but holds {body.Length - 20}");
                    Packet(Iface(id, off), ts, body.Slice(20, (int)caplen), orig, off);
                    break;
                }
                case 2: // obsolete packet block
                {
                    if (body.Length < 20) throw new CaptureFormatException(off, "truncated packet block");
                    uint id = U16(body, _big);
                    ulong ts = ((ulong)U32(body[4..], _big) << 32) | U32(body[8..], _big);
                    uint caplen = U32(body[12..], _big);
                    uint orig = U32(body[16..], _big);
                    if (caplen > body.Length - 20)
                        throw new CaptureFormatException(off + 20, $"packet block announces {caplen} captured bytes but holds {body.Length - 20}");
                    Packet(Iface(id, off), ts, body.Slice(20, (int)caplen), orig, off);
                    break;
                }
                case 3: // simple packet: interface 0, no timestamp
                {
                    if (body.Length < 4) throw new CaptureFormatException(off, "truncated simple packet block");
                    var iface = Iface(0, off);
                    uint orig = U32(body, _big);
                    long len = Math.Min(orig, body.Length - 4);
                    if (iface.SnapLen != 0) len = Math.Min(len, iface.SnapLen);
                    Packet(iface, null, body.Slice(4, (int)len), orig, off);
                    break;
                }
                default:
                    break; // name resolution, statistics, decryption secrets, custom blocks...: not needed
            }
        }

        private Interface Iface(uint id, int off)
        {
            if (id >= _interfaces.Count)
                throw new CaptureFormatException(off + 8, $"packet on interface {id}, but the section declares {_interfaces.Count} interface(s)");
            return _interfaces[(int)id];
        }

        private void Packet(Interface iface, ulong? ts, ReadOnlySpan<byte> data, uint orig, int off)
        {
            _frame++;
            if (!LinkTypes.IsSupported(iface.LinkType))
                throw new CaptureFormatException(off, $"packet on an interface of unsupported link type {iface.LinkType} (declared at byte {iface.DeclaredAt}; supported: {LinkTypes.SupportedList})");
            // A simple packet block has no timestamp: it is taken to be the previous packet's.
            double time = ts is ulong t ? iface.OffsetSeconds + t * iface.Resolution : _lastTime;
            if (double.IsFinite(time)) _lastTime = time;
            else time = _lastTime;
            _sink.Add(_frame, time, off, PacketDecoder.Decode(iface.LinkType, data, orig, _big));
        }

        /// <summary>The options of a block (code, value, file offset), bounds-checked.</summary>
        private List<(ushort Code, byte[] Value, int At)> Options(ReadOnlySpan<byte> o, int fileOffset)
        {
            var list = new List<(ushort, byte[], int)>();
            int i = 0;
            while (o.Length - i >= 4)
            {
                ushort code = U16(o[i..], _big);
                ushort len = U16(o[(i + 2)..], _big);
                if (code == 0) break;
                int padded = (len + 3) & ~3;
                if (padded > o.Length - i - 4)
                    throw new CaptureFormatException(fileOffset + i, $"option {code} of length {len} runs past the end of its block");
                list.Add((code, o.Slice(i + 4, len).ToArray(), fileOffset + i));
                i += 4 + padded;
            }
            return list;
        }
    }
}
