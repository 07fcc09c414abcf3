using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Strategies;

/// <summary>
/// A lossless, layout-independent packing of a <see cref="World"/>'s bytes for the frontier: most
/// of a world is zero (the empty in-flight slots, unset TCB fields), so it is stored as a mask of
/// its non-zero 8-byte words, then for each such word a mask of its non-zero bytes and those
/// bytes. Each word is first XORed with the same word of a reference world (the initial one), so
/// fields that rarely change (ISSs, windows, scripts) pack to nothing. It reads the world as raw
/// memory, so fields added to the world need no change here. Where the processor has BMI2 a
/// word's bytes are gathered and scattered whole (PEXT, PDEP); elsewhere byte by byte, to the same bytes.
/// </summary>
internal static class WorldCodec
{
    private static readonly int Bytes = Unsafe.SizeOf<World>();
    private static readonly int Words = (Bytes + 7) / 8;
    private static readonly int MaskBytes = (Words + 7) / 8;

    /// <summary>The most bytes <see cref="Encode"/> writes.</summary>
    public static readonly int MaxLength = MaskBytes + Words * 9;

    /// <summary>The words of a world rounded up to whole groups of eight, one group per mask byte: the unit the encoder compares at once.</summary>
    private static readonly int PaddedWords = MaskBytes * 8;

    /// <summary>The reference words <see cref="Encode"/> and <see cref="Decode"/> XOR with: <paramref name="reference"/>'s raw words (zero past its end, to whole groups of eight).</summary>
    public static ulong[] ReferenceOf(in World reference)
    {
        var words = new ulong[PaddedWords];
        MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in reference), 1)).CopyTo(MemoryMarshal.AsBytes(words.AsSpan()));
        return words;
    }

    /// <summary>Packs <paramref name="w"/>, relative to <paramref name="reference"/> (from <see cref="ReferenceOf"/>), into <paramref name="into"/>; returns the bytes written.</summary>
    [SkipLocalsInit] // the stack copy is written whole before it is read
    public static int Encode(in World w, ReadOnlySpan<ulong> reference, Span<byte> into)
    {
        Span<byte> raw = stackalloc byte[PaddedWords * 8];
        MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in w), 1)).CopyTo(raw);
        raw[Bytes..].Clear();
        var words = MemoryMarshal.Cast<byte, ulong>(raw);
        reference = reference[..PaddedWords];
        int n = MaskBytes;
        for (int m = 0; m < MaskBytes; m++)
        {
            // Which of the group's eight words differ from the reference: one comparison of the group where vectors are eight words wide.
            uint bits = DifferingWords(words.Slice(m * 8, 8), reference.Slice(m * 8, 8));
            into[m] = (byte)bits;
            while (bits != 0)
            {
                int i = m * 8 + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                ulong word = words[i] ^ reference[i];
                if (Bmi2.X64.IsSupported)
                {
                    // The word's non-zero bytes, gathered to the low end and written whole: at most 1 + 8 bytes, as MaxLength allows for each word.
                    ulong lanes = NonZeroLanes(word);
                    uint bytes = (uint)Bmi2.X64.ParallelBitExtract(lanes, 0x0101_0101_0101_0101UL);
                    into[n] = (byte)bytes;
                    MemoryMarshal.Write(into[(n + 1)..], Bmi2.X64.ParallelBitExtract(word, lanes * 0xFF));
                    n += 1 + BitOperations.PopCount(bytes);
                    continue;
                }
                int at = n++;
                byte bytesMask = 0;
                for (int b = 0; b < 8; b++)
                {
                    byte v = (byte)(word >> (8 * b));
                    if (v == 0) continue;
                    bytesMask |= (byte)(1 << b);
                    into[n++] = v;
                }
                into[at] = bytesMask;
            }
        }
        return n;
    }

    /// <summary>A bit for each of the eight words of <paramref name="words"/> that differs from the same word of <paramref name="reference"/>.</summary>
    private static uint DifferingWords(ReadOnlySpan<ulong> words, ReadOnlySpan<ulong> reference)
    {
        if (Vector512.IsHardwareAccelerated)
            return 0xFF & ~(uint)Vector512.Equals(Vector512.Create(words), Vector512.Create(reference)).ExtractMostSignificantBits();
        if (Vector256.IsHardwareAccelerated)
            return 0xFF & ~((uint)Vector256.Equals(Vector256.Create(words), Vector256.Create(reference)).ExtractMostSignificantBits()
                            | (uint)Vector256.Equals(Vector256.Create(words[4..]), Vector256.Create(reference[4..])).ExtractMostSignificantBits() << 4);
        uint bits = 0;
        for (int i = 0; i < 8; i++)
            if (words[i] != reference[i]) bits |= 1u << i;
        return bits;
    }

    /// <summary>0x01 in each byte of <paramref name="word"/> that is not zero, 0x00 in the others.</summary>
    private static ulong NonZeroLanes(ulong word)
    {
        ulong t = word | word >> 4;
        t |= t >> 2;
        t |= t >> 1;
        return t & 0x0101_0101_0101_0101UL;
    }

    /// <summary>Unpacks what <see cref="Encode"/> wrote, relative to the same <paramref name="reference"/>, into <paramref name="w"/>; returns the bytes read.</summary>
    [SkipLocalsInit]
    public static int Decode(ReadOnlySpan<byte> from, ReadOnlySpan<ulong> reference, ref World w)
    {
        Span<ulong> words = stackalloc ulong[Words];
        reference[..Words].CopyTo(words);
        int n = MaskBytes;
        for (int m = 0; m < MaskBytes; m++)
        {
            uint bits = from[m];
            while (bits != 0)
            {
                int i = m * 8 + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                uint bytesMask = from[n++];
                ulong word = 0;
                if (Bmi2.X64.IsSupported && n + 8 <= from.Length)
                {
                    ulong lanes = Bmi2.X64.ParallelBitDeposit(bytesMask, 0x0101_0101_0101_0101UL) * 0xFF;
                    words[i] ^= Bmi2.X64.ParallelBitDeposit(MemoryMarshal.Read<ulong>(from[n..]), lanes);
                    n += BitOperations.PopCount(bytesMask);
                    continue;
                }
                while (bytesMask != 0)
                {
                    int b = BitOperations.TrailingZeroCount(bytesMask);
                    bytesMask &= bytesMask - 1;
                    word |= (ulong)from[n++] << (8 * b);
                }
                words[i] ^= word;
            }
        }
        MemoryMarshal.AsBytes(words)[..Bytes].CopyTo(MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref w, 1)));
        return n;
    }
}
