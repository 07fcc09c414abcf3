using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using TcpSpec.Conformance.Observer;
using TcpSpec.Conformance.Pcap;
using TcpSpec.Conformance.Tests.Observer;
using static TcpSpec.Conformance.Tests.Pcap.Packets;

namespace TcpSpec.Conformance.Tests.Pcap;

/// <summary>
/// Whatever the bytes, the reader answers with a capture or a <see cref="CaptureFormatException"/>
/// whose offset lies inside the file, never another exception; and whatever it reads, the
/// conformance check follows it without throwing.
/// </summary>
public class ReaderRobustnessProperties
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    /// <summary>Valid captures to mutate: the engine's own traffic through PcapWriter, and pcapng files of every block kind and link type.</summary>
    private static readonly byte[][] Seeds = BuildSeeds();

    private static byte[][] BuildSeeds()
    {
        var sim = Sim.Established(Sim.A);
        sim.Send(Sim.A, 700).DeliverAll().Close(Sim.A).DeliverAll().Close(Sim.B).DeliverAll();
        var pcap = sim.Pcap();
        var data = new Segment(101, 301, TcpFlags.Ack, 512, 10);
        var ng = new PcapNgFile().Interface(1).Interface(101, tsresol: 9).Interface(276).Others()
            .Enhanced(0, 1, Ethernet(0x0800, V4Segment(data), 0x8100))
            .Enhanced(1, 2, V6Segment(data))
            .Enhanced(2, 3, Sll2(0x86DD, Ipv6(V6A, V6B, 6, Tcp(1, 2, data), null, (0, Ext8()), (44, Fragment6(0, true)))))
            .Obsolete(1, 4, V4Segment(data))
            .Simple(Ethernet(0x0806, new byte[28]))
            .Section(true).Interface(113).Enhanced(0, 5, Sll(0x0800, V4Segment(data)));
        var big = new PcapFile(1, bigEndian: true, nanos: true).Add(Ethernet(0x86DD, V6Segment(data))).Add(Ethernet(0x0800, Udp())).Bytes;
        return [pcap, ng.Bytes, big];
    }

    private static void ReadsOrFailsCleanly(byte[] bytes)
    {
        Capture capture;
        try
        {
            capture = CaptureReader.Read(bytes);
        }
        catch (CaptureFormatException ex)
        {
            Assert.InRange(ex.ByteOffset, 0, Math.Max(0, bytes.Length));
            Assert.False(string.IsNullOrWhiteSpace(ex.Reason));
            return;
        }
        Assert.True(capture.Segments.Count <= capture.Packets);
        // Whatever was read can be followed through the table without an exception.
        var verdict = ConformanceChecker.Check(capture, new ConformOptions { Hints = false, Observer = new ObserverOptions { MaxCandidates = 32 } });
        Assert.NotNull(ReportText(verdict));
    }

    private static string ReportText(CaptureVerdict v)
    {
        var w = new StringWriter();
        ReportWriter.Write(w, "fuzz.pcap", v, verbose: true);
        return w.ToString();
    }

    [Fact]
    public void Random_bytes() =>
        Check.One(Quick, Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes => ReadsOrFailsCleanly(bytes ?? [])));

    [Fact]
    public void Random_bytes_after_a_valid_magic()
    {
        var magics = new byte[][] { [0xD4, 0xC3, 0xB2, 0xA1], [0xA1, 0xB2, 0x3C, 0x4D], [0x0A, 0x0D, 0x0D, 0x0A], [0x34, 0xCD, 0xB2, 0xA1] };
        var gen = from m in Gen.Elements(magics)
                  from tail in ArbMap.Default.GeneratorFor<byte[]>()
                  select m.Concat(tail ?? []).ToArray();
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), ReadsOrFailsCleanly));
    }

    /// <summary>A mutation of a valid capture: truncation, bit flips, a corrupted length field, or an inserted or deleted run of bytes.</summary>
    private static readonly Gen<byte[]> Mutated =
        from seed in Gen.Elements(Seeds)
        from kind in Gen.Choose(0, 4)
        from at in Gen.Choose(0, seed.Length - 1)
        from count in Gen.Choose(1, 8)
        from value in Gen.Choose(0, int.MaxValue)
        select Mutate(seed, kind, at, count, value);

    private static byte[] Mutate(byte[] seed, int kind, int at, int count, int value)
    {
        var b = (byte[])seed.Clone();
        switch (kind)
        {
            case 0: // truncation
                return b[..at];
            case 1: // bit flips
                for (int i = 0; i < count; i++) b[(at + i * 7) % b.Length] ^= (byte)(1 << ((value >> i) & 7));
                return b;
            case 2: // a 32-bit field (a length, most likely, at a 4-byte boundary) overwritten
            {
                int p = Math.Min(at & ~3, b.Length - 4);
                uint v = (value % 3) switch { 0 => (uint)value, 1 => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(p)) + (uint)(value % 64) - 32, _ => 0xFFFF_FFFF };
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(p), v);
                return b;
            }
            case 3: // a 16-bit field (IP and TCP lengths, offsets) overwritten
            {
                int p = Math.Min(at, b.Length - 2);
                BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(p), (ushort)value);
                return b;
            }
            default: // a run of bytes deleted
                return [.. b[..at], .. b[Math.Min(b.Length, at + count)..]];
        }
    }

    [Fact]
    public void Mutations_of_valid_captures() => Check.One(Quick, Prop.ForAll(Mutated.ToArbitrary(), ReadsOrFailsCleanly));

    [Fact]
    public void Every_truncation_of_a_valid_capture_fails_at_an_offset_inside_it_or_reads()
    {
        foreach (var seed in Seeds)
        {
            for (int n = 0; n < seed.Length; n += 3)
            {
                try
                {
                    var c = CaptureReader.Read(seed[..n]);
                    Assert.True(c.Packets >= 0);
                }
                catch (CaptureFormatException ex)
                {
                    Assert.InRange(ex.ByteOffset, 0, n);
                }
            }
        }
    }

    [Fact]
    public void The_seeds_themselves_read()
    {
        foreach (var seed in Seeds) Assert.NotEmpty(CaptureReader.Read(seed).Segments);
    }
}
