using System.Buffers.Binary;
using TcpSpec.Conformance.Pcap;
using static TcpSpec.Conformance.Tests.Pcap.Packets;

namespace TcpSpec.Conformance.Tests.Pcap;

/// <summary>Unreadable files fail with a <see cref="CaptureFormatException"/> that names the byte offset and the reason.</summary>
public class CaptureErrorTests
{
    private static readonly Segment Data = new(101, 301, TcpFlags.Ack, 512, 10);

    private static CaptureFormatException Fails(byte[] bytes) => Assert.Throws<CaptureFormatException>(() => CaptureReader.Read(bytes));

    [Fact]
    public void An_empty_or_tiny_file()
    {
        Assert.Equal(0, Fails([]).ByteOffset);
        Assert.Contains("too short", Fails([0xD4, 0xC3]).Message);
    }

    [Fact]
    public void Not_a_capture()
    {
        var ex = Fails("hello, world\n"u8.ToArray());
        Assert.Equal(0, ex.ByteOffset);
        Assert.Contains("not a pcap or pcapng file", ex.Message);
        Assert.StartsWith("byte 0: ", ex.Message);
    }

    [Fact]
    public void A_truncated_file_header()
    {
        var bytes = new PcapFile(101).Bytes[..20];
        var ex = Fails(bytes);
        Assert.Equal(20, ex.ByteOffset);
        Assert.Contains("truncated pcap file header", ex.Message);
    }

    [Fact]
    public void A_capture_cut_inside_its_last_record_is_read_up_to_the_cut()
    {
        var full = new PcapFile(101).Add(V4Segment(Data)).Add(V4Segment(Data)).Bytes;
        int second = 24 + 16 + V4Segment(Data).Length;

        var header = CaptureReader.Read(full[..(second + 10)]);
        Assert.Single(header.Segments);
        Assert.Equal(1, header.Packets);
        Assert.Equal(second, header.CutShort!.ByteOffset);
        Assert.Contains("truncated packet record header: 16 bytes needed, 10 present", header.CutShort.Reason);

        var packet = CaptureReader.Read(full[..^5]);
        Assert.Single(packet.Segments);
        Assert.Equal(second, packet.CutShort!.ByteOffset);
        Assert.Contains("truncated packet record: 50 bytes announced, 45 present", packet.CutShort.Reason);
        Assert.StartsWith($"cut short at byte {second} (", packet.CutShort.ToString());

        Assert.Null(CaptureReader.Read(full).CutShort);
    }

    [Fact]
    public void An_implausible_record_length()
    {
        var bytes = new PcapFile(101).Add(V4Segment(Data)).Bytes;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24 + 8), 0x7FFF_FFF0);
        var ex = Fails(bytes);
        Assert.Equal(32, ex.ByteOffset);
        Assert.Contains("implausible", ex.Message);
    }

    [Fact]
    public void An_unknown_link_type()
    {
        var ex = Fails(new PcapFile(147).Add(V4Segment(Data)).Bytes);
        Assert.Equal(20, ex.ByteOffset);
        Assert.Contains("unsupported link type 147", ex.Message);
        Assert.Contains("LINUX_SLL2 (276)", ex.Message);
    }

    [Fact]
    public void An_unsupported_pcap_version()
    {
        var bytes = new PcapFile(101).Bytes;
        bytes[4] = 3;
        Assert.Contains("unsupported pcap version 3.4", Fails(bytes).Message);
    }

    [Fact]
    public void A_pcapng_block_whose_lengths_disagree()
    {
        var bytes = new PcapNgFile().Interface(101).Enhanced(0, 1, V4Segment(Data)).Bytes;
        int idb = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        int epb = idb + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(idb + 4));
        int epbLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(epb + 4));
        bytes[epb + epbLength - 4] ^= 0x40;
        var ex = Fails(bytes);
        Assert.Equal(epb + epbLength - 4, ex.ByteOffset);
        Assert.Contains("ends with length", ex.Message);
    }

    [Fact]
    public void A_pcapng_block_length_that_is_not_a_multiple_of_four_or_runs_past_the_end()
    {
        var bytes = new PcapNgFile().Interface(101).Bytes;
        int idb = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        var odd = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(odd.AsSpan(idb + 4), 30);
        Assert.Equal(idb + 4, Fails(odd).ByteOffset);
        // A length that runs past the end cannot be told from a cut: read up to it, as tcpdump does.
        var past = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(past.AsSpan(idb + 4), 4000);
        var cut = CaptureReader.Read(past).CutShort!;
        Assert.Equal(idb, cut.ByteOffset);
        Assert.Contains("truncated block of type 0x00000001: 4000 bytes announced", cut.Reason);
    }

    [Fact]
    public void A_pcapng_file_cut_inside_its_last_block_is_read_up_to_the_cut()
    {
        var bytes = new PcapNgFile().Interface(101).Enhanced(0, 1, V4Segment(Data)).Enhanced(0, 2, V4Segment(Data)).Bytes;
        var capture = CaptureReader.Read(bytes[..^7]);
        Assert.Single(capture.Segments);
        Assert.Contains("truncated block of type 0x00000006", capture.CutShort!.Reason);
        Assert.Equal(2, CaptureReader.Read(bytes).Segments.Count);
        Assert.Contains("truncated block header: 12 bytes needed, 5 present", CaptureReader.Read(bytes[..^(BlockLength(bytes, 1) - 5)]).CutShort!.Reason);
    }

    [Fact]
    public void A_pcapng_file_cut_inside_its_section_header_is_unreadable()
    {
        var bytes = new PcapNgFile().Interface(101).Bytes;
        var ex = Fails(bytes[..20]);
        Assert.Equal(0, ex.ByteOffset);
        Assert.Contains("truncated block of type 0x0A0D0D0A", ex.Message);
    }

    /// <summary>The length of the last-but-<paramref name="fromEnd"/> block, read from its trailer.</summary>
    private static int BlockLength(byte[] bytes, int fromEnd)
    {
        int end = bytes.Length;
        int length = 0;
        for (int i = 0; i < fromEnd; i++)
        {
            length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(end - 4));
            end -= length;
        }
        return length;
    }

    [Fact]
    public void A_pcapng_packet_on_an_undeclared_interface()
    {
        var ex = Fails(new PcapNgFile().Interface(101).Enhanced(3, 1, V4Segment(Data)).Bytes);
        Assert.Contains("packet on interface 3, but the section declares 1 interface(s)", ex.Message);
    }

    [Fact]
    public void A_pcapng_packet_on_an_interface_of_unknown_link_type()
    {
        var file = new PcapNgFile().Interface(101).Interface(189).Enhanced(0, 1, V4Segment(Data)).Enhanced(1, 2, new byte[8]);
        var bytes = file.Bytes;
        var ex = Fails(bytes);
        Assert.Contains("unsupported link type 189", ex.Message);
        Assert.Contains("declared at byte", ex.Message);
    }

    [Fact]
    public void A_pcapng_section_header_with_a_bad_byte_order_magic()
    {
        var bytes = new PcapNgFile().Bytes;
        bytes[8] = 0x99;
        var ex = Fails(bytes);
        Assert.Equal(8, ex.ByteOffset);
        Assert.Contains("byte-order magic", ex.Message);
    }

    [Fact]
    public void A_pcapng_option_that_runs_past_its_block()
    {
        var bytes = new PcapNgFile().Interface(101, tsresol: 9).Bytes;
        int idb = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        // The first option of the IDB (if_name, "eth0") claims 200 bytes.
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(idb + 16 + 2), 200);
        var ex = Fails(bytes);
        Assert.Equal(idb + 16, ex.ByteOffset);
        Assert.Contains("option 2 of length 200 runs past the end of its block", ex.Message);
    }

    [Fact]
    public void Malformed_packets_inside_a_sound_file_are_skipped_not_fatal()
    {
        var badIhl = V4Segment(Data);
        badIhl[0] = 0x43;
        var badOffset = V4Segment(Data);
        badOffset[20 + 12] = 0x20;
        var shortTotal = V4Segment(Data);
        BinaryPrimitives.WriteUInt16BigEndian(shortTotal.AsSpan(2), 10);
        var c = CaptureReader.Read(new PcapFile(101).Add(badIhl).Add(badOffset).Add(shortTotal).Add([]).Add(V4Segment(Data)).Bytes);
        Assert.Equal(5, c.Packets);
        Assert.Single(c.Segments);
        Assert.Equal(4, c.SkippedCount);
    }
}
