using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Strategies;

/// <summary>
/// A lossless, layout-independent packing of a <see cref="World"/>'s bytes for the frontier: most
/// of a world is zero (the empty in-flight slots, unset TCB fields), so it is stored as a mask of
/// its non-zero 8-byte words, then for each such word a mask of its non-zero bytes and those
/// bytes. Each word is first XORed with the same word of a reference world (the initial one), so
/// fields that rarely change (ISSs, windows, scripts) pack to nothing. It reads the world as raw
/// memory, so fields added to the world need no change here.
/// </summary>
internal static class WorldCodec
{
    private static readonly int Bytes = Unsafe.SizeOf<World>();
    private static readonly int Words = (Bytes + 7) / 8;
    private static readonly int MaskBytes = (Words + 7) / 8;

    /// <summary>The most bytes <see cref="Encode"/> writes.</summary>
    public static readonly int MaxLength = MaskBytes + Words * 9;

    /// <summary>The reference words <see cref="Encode"/> and <see cref="Decode"/> XOR with: <paramref name="reference"/>'s raw words.</summary>
    public static ulong[] ReferenceOf(in World reference)
    {
        var words = new ulong[Words];
        MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in reference), 1)).CopyTo(MemoryMarshal.AsBytes(words.AsSpan()));
        return words;
    }

    /// <summary>Packs <paramref name="w"/>, relative to <paramref name="reference"/>, into <paramref name="into"/>; returns the bytes written.</summary>
    public static int Encode(in World w, ReadOnlySpan<ulong> reference, Span<byte> into)
    {
        Span<byte> raw = stackalloc byte[Words * 8];
        MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in w), 1)).CopyTo(raw);
        raw[Bytes..].Clear();
        var words = MemoryMarshal.Cast<byte, ulong>(raw);
        var mask = into[..MaskBytes];
        mask.Clear();
        int n = MaskBytes;
        for (int i = 0; i < Words; i++)
        {
            ulong word = words[i] ^ reference[i];
            if (word == 0) continue;
            mask[i >> 3] |= (byte)(1 << (i & 7));
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
        return n;
    }

    /// <summary>Unpacks what <see cref="Encode"/> wrote, relative to the same <paramref name="reference"/>, into <paramref name="w"/>; returns the bytes read.</summary>
    public static int Decode(ReadOnlySpan<byte> from, ReadOnlySpan<ulong> reference, ref World w)
    {
        Span<ulong> words = stackalloc ulong[Words];
        reference.CopyTo(words);
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
