using System.Buffers.Binary;
using System.Diagnostics;
using TcpSpec.Checker.Output;

namespace TcpSpec.Checker.Tests.Output;

/// <summary>
/// The pcap of a counterexample, read back byte by byte: the classic pcap headers, the IPv4 and
/// TCP headers of every segment, and both checksums. When tcpdump is on PATH, it must read the
/// file too and print each segment with its flags.
/// </summary>
public class PcapWriterTests
{
    private const uint SeqA = 100, SeqB = 300;

    /// <summary>A handshake with text, a close and a reset, as the model would send it: (sender, segment, time in µs).</summary>
    private static readonly (int From, Segment Seg, long Micros)[] Segments =
    [
        (0, new Segment(SeqA, 0, TcpFlags.Syn, 4, 0), 0),
        (1, new Segment(SeqB, SeqA + 1, TcpFlags.Syn | TcpFlags.Ack, 4, 0), 100_000),
        (0, new Segment(SeqA + 1, SeqB + 1, TcpFlags.Ack, 4, 0), 200_000),
        (0, new Segment(SeqA + 1, SeqB + 1, TcpFlags.Ack, 4, 3, Payload: 0x0100_0000), 1_300_000), // odd TCP length: the checksum pads
        (0, new Segment(SeqA + 4, SeqB + 1, TcpFlags.Fin | TcpFlags.Ack, 4, 0), 1_400_000),
        (1, new Segment(SeqB + 1, 999, TcpFlags.Rst, 0, 0), 2_500_000), // no ACK bit: the ACK field goes out as zero
        (1, new Segment(0, SeqA + 5, TcpFlags.Rst | TcpFlags.Ack, 0, 0), 3_000_001),
        (0, new Segment(0xFFFF_FFF0, 0x8000_0001, TcpFlags.Ack, 65535, 2, Payload: 25), 4_000_000), // big-endian high bits, wrapping text pattern
    ];

    private static byte[] WritePcap()
    {
        using var ms = new MemoryStream();
        using (var w = new PcapWriter(ms))
        {
            foreach (var (from, seg, micros) in Segments) w.Write(from, seg, micros);
        }
        return ms.ToArray();
    }

    private sealed record Packet(uint Seconds, uint Micros, byte[] Data);

    private static List<Packet> ReadPcap(byte[] file)
    {
        var span = file.AsSpan();
        Assert.True(file.Length >= 24, "no global header");
        Assert.Equal(0xA1B2C3D4u, BinaryPrimitives.ReadUInt32LittleEndian(span));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(span[4..]));
        Assert.Equal(4, BinaryPrimitives.ReadUInt16LittleEndian(span[6..]));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(span[8..]));   // thiszone
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(span[12..])); // sigfigs
        Assert.Equal(65535u, BinaryPrimitives.ReadUInt32LittleEndian(span[16..])); // snaplen
        Assert.Equal(101u, BinaryPrimitives.ReadUInt32LittleEndian(span[20..])); // LINKTYPE_RAW
        Assert.Equal(101u, PcapWriter.LinkTypeRaw);

        var packets = new List<Packet>();
        int at = 24;
        while (at < file.Length)
        {
            Assert.True(at + 16 <= file.Length, "truncated record header");
            uint sec = BinaryPrimitives.ReadUInt32LittleEndian(span[at..]);
            uint usec = BinaryPrimitives.ReadUInt32LittleEndian(span[(at + 4)..]);
            uint incl = BinaryPrimitives.ReadUInt32LittleEndian(span[(at + 8)..]);
            uint orig = BinaryPrimitives.ReadUInt32LittleEndian(span[(at + 12)..]);
            Assert.Equal(orig, incl);
            Assert.True(usec < 1_000_000);
            Assert.True(at + 16 + incl <= file.Length, "truncated record");
            packets.Add(new Packet(sec, usec, span.Slice(at + 16, (int)incl).ToArray()));
            at += 16 + (int)incl;
        }
        Assert.Equal(file.Length, at);
        return packets;
    }

    /// <summary>The one's-complement sum of <paramref name="data"/> (odd length padded with a zero octet), folded to 16 bits.</summary>
    private static uint FoldedSum(ReadOnlySpan<byte> data, uint sum = 0)
    {
        for (int i = 0; i < data.Length; i += 2)
            sum += (uint)(data[i] << 8 | (i + 1 < data.Length ? data[i + 1] : 0));
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return sum;
    }

    [Fact]
    public void Global_header_and_records_are_classic_pcap_with_the_times_given()
    {
        var packets = ReadPcap(WritePcap());
        Assert.Equal(Segments.Length, packets.Count);
        for (int i = 0; i < Segments.Length; i++)
        {
            Assert.Equal((uint)(Segments[i].Micros / 1_000_000), packets[i].Seconds);
            Assert.Equal((uint)(Segments[i].Micros % 1_000_000), packets[i].Micros);
            Assert.Equal(40 + Segments[i].Seg.Length, packets[i].Data.Length);
        }
    }

    [Fact]
    public void Every_packet_carries_the_segment_in_ipv4_and_tcp_headers()
    {
        var packets = ReadPcap(WritePcap());
        for (int i = 0; i < Segments.Length; i++)
        {
            var (from, seg, _) = Segments[i];
            var p = packets[i].Data.AsSpan();

            // IPv4 header.
            Assert.Equal(0x45, p[0]); // version 4, IHL 5
            Assert.Equal(p.Length, BinaryPrimitives.ReadUInt16BigEndian(p[2..]));
            Assert.Equal(i + 1, BinaryPrimitives.ReadUInt16BigEndian(p[4..])); // identification counts up
            Assert.Equal(0x4000, BinaryPrimitives.ReadUInt16BigEndian(p[6..])); // DF, offset 0
            Assert.Equal(64, p[8]);
            Assert.Equal(6, p[9]); // TCP
            byte[] a = [10, 0, 0, 1], b = [10, 0, 0, 2];
            Assert.Equal(from == 0 ? a : b, p[12..16].ToArray());
            Assert.Equal(from == 0 ? b : a, p[16..20].ToArray());

            // TCP header.
            var tcp = p[20..];
            Assert.Equal(from == 0 ? 40000 : 80, BinaryPrimitives.ReadUInt16BigEndian(tcp));
            Assert.Equal(from == 0 ? 80 : 40000, BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]));
            Assert.Equal(seg.Seq, BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]));
            Assert.Equal(seg.IsAck ? seg.Ack : 0u, BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]));
            Assert.Equal(5 << 4, tcp[12]); // data offset 5 words, no options
            Assert.Equal((byte)seg.Flags, tcp[13]);
            Assert.Equal(seg.Window, BinaryPrimitives.ReadUInt16BigEndian(tcp[14..]));
            Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(tcp[18..])); // urgent pointer
            Assert.Equal(seg.Length, tcp.Length - 20);
            for (int k = 0; k < seg.Length; k++)
            {
                Assert.InRange(tcp[20 + k], (byte)'a', (byte)'z');
                Assert.Equal((byte)('a' + ((seg.Payload + (uint)k) & 0x00FF_FFFF) % 26), tcp[20 + k]);
            }
        }
    }

    [Fact]
    public void Text_octets_follow_the_stream_offset_so_consecutive_segments_continue_the_pattern()
    {
        // Payload 25 is 'z'; the next octet wraps to 'a'. The tag in the high octet does not change the letters.
        var p = PcapWriter.Packet(0, new Segment(1, 1, TcpFlags.Ack, 4, 2, Payload: 25), 1);
        Assert.Equal("za", System.Text.Encoding.ASCII.GetString(p, 40, 2));
        var tagged = PcapWriter.Packet(0, new Segment(1, 1, TcpFlags.Ack, 4, 2, Payload: 0x0300_0000 | 25), 1);
        Assert.Equal("za", System.Text.Encoding.ASCII.GetString(tagged, 40, 2));
    }

    [Fact]
    public void Ip_and_tcp_checksums_verify()
    {
        foreach (var packet in ReadPcap(WritePcap()))
        {
            var p = packet.Data.AsSpan();
            // IPv4 header checksum: the header, checksum included, sums to 0xFFFF.
            Assert.Equal(0xFFFFu, FoldedSum(p[..20]));
            Assert.NotEqual(0, BinaryPrimitives.ReadUInt16BigEndian(p[10..]));

            // TCP checksum over the pseudo-header (source, destination, zero, protocol, TCP length) and the segment.
            var tcp = p[20..];
            uint pseudo = FoldedSum(p[12..20]) + 6u + (uint)tcp.Length;
            Assert.Equal(0xFFFFu, FoldedSum(tcp, pseudo));
        }
    }

    [Fact]
    public void A_corrupted_octet_breaks_the_checksum()
    {
        // The verification above is not vacuous: flipping any octet of a packet breaks one of the two sums.
        var original = PcapWriter.Packet(1, Segments[3].Seg, 7);
        for (int i = 0; i < original.Length; i++)
        {
            var p = (byte[])original.Clone();
            p[i] ^= 0x5A;
            bool ipOk = FoldedSum(p.AsSpan(0, 20)) == 0xFFFF;
            bool tcpOk = FoldedSum(p.AsSpan(20), FoldedSum(p.AsSpan(12, 8)) + 6u + (uint)(p.Length - 20)) == 0xFFFF;
            Assert.False(ipOk && tcpOk, $"octet {i} corrupted and both checksums still verify");
        }
    }

    [Fact]
    public void Checksum_is_the_rfc_1071_example()
    {
        // RFC 1071 §3: the octets 00 01 f2 03 f4 f5 f6 f7 sum to ddf2; the checksum is its complement.
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        Assert.Equal((ushort)0x220d, PcapWriter.Checksum(data, 0));
        Assert.Equal(0xddf2u, FoldedSum(data));
        // An odd length pads with a zero octet.
        Assert.Equal((ushort)0x54FF, PcapWriter.Checksum([0xAB], 0));
    }

    [Fact]
    public void Tcpdump_reads_every_segment_with_its_flags_and_numbers()
    {
        var bytes = WritePcap();
        // Always: the file parses and verifies here, whether or not tcpdump is installed.
        var packets = ReadPcap(bytes);
        Assert.Equal(Segments.Length, packets.Count);

        var tcpdump = FindOnPath("tcpdump");
        if (tcpdump is null) return; // CI installs tcpdump; the parse above is the check without it

        var path = Path.Combine(Path.GetTempPath(), $"tcpspec-{Guid.NewGuid():N}.pcap");
        File.WriteAllBytes(path, bytes);
        try
        {
            // -S: absolute sequence numbers, as the model writes them.
            var (exit, stdout, stderr) = RunTool(tcpdump, "-nn", "-S", "-r", path);
            Assert.True(exit == 0, $"tcpdump exited {exit}: {stderr}");
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Segments.Length, lines.Length);
            string[] flags = ["[S]", "[S.]", "[.]", "[.]", "[F.]", "[R]", "[R.]", "[.]"];
            string[] numbers =
            [
                "seq 100,", "seq 300, ack 101,", "ack 301,", "seq 101:104, ack 301,", "seq 104, ack 301,", "seq 301,", "seq 0, ack 105,",
                "seq 4294967280:4294967282, ack 2147483649, win 65535,",
            ];
            for (int i = 0; i < Segments.Length; i++)
            {
                var line = lines[i];
                string dir = Segments[i].From == 0 ? "IP 10.0.0.1.40000 > 10.0.0.2.80: " : "IP 10.0.0.2.80 > 10.0.0.1.40000: ";
                Assert.Contains(dir, line);
                Assert.Contains($"Flags {flags[i]}, ", line);
                Assert.Contains(numbers[i], line);
                Assert.Contains($"length {Segments[i].Seg.Length}", line);
            }
            Assert.DoesNotContain("ack 999", stdout); // the ACK field of a segment without ACK is not shown: it is zero

            // -vv: tcpdump verifies the checksums itself.
            var (vexit, verbose, verr) = RunTool(tcpdump, "-nn", "-vv", "-r", path);
            Assert.True(vexit == 0, $"tcpdump -vv exited {vexit}: {verr}");
            Assert.Equal(Segments.Length, CountOf(verbose, "(correct)"));
            Assert.DoesNotContain("incorrect", verbose);
            Assert.DoesNotContain("bad cksum", verbose);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int CountOf(string s, string what)
    {
        int n = 0;
        for (int i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    internal static string? FindOnPath(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in OperatingSystem.IsWindows() ? new[] { tool + ".exe" } : new[] { tool })
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    private static (int Exit, string Out, string Err) RunTool(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Replace("\r\n", "\n"), stderr.Result);
    }
}
