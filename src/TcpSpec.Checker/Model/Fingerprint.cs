using System.Numerics;
using System.Runtime.CompilerServices;

namespace TcpSpec.Checker.Model;

/// <summary>
/// The 64-bit fingerprint of a sequence of 64-bit words: xxHash64's stripes, rounds and
/// avalanche (Yann Collet's XXH64, here over whole words), with four independent lanes so a
/// world's ~40 words hash in a few dozen cycles. Deterministic in every process.
/// </summary>
internal static class Fingerprint
{
    private const ulong P1 = 0x9E3779B185EBCA87UL;
    private const ulong P2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong P3 = 0x165667B19E3779F9UL;
    private const ulong P4 = 0x85EBCA77C2B2AE63UL;
    private const ulong P5 = 0x27D4EB2F165667C5UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Round(ulong acc, ulong input) => BitOperations.RotateLeft(acc + input * P2, 31) * P1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MergeRound(ulong acc, ulong v) => (acc ^ Round(0, v)) * P1 + P4;

    public static ulong Of(ReadOnlySpan<ulong> words, ulong seed)
    {
        int i = 0;
        ulong h;
        if (words.Length >= 4)
        {
            ulong v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
            ref ulong w = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(words); // read without a bounds check per word
            for (; i + 4 <= words.Length; i += 4)
            {
                v1 = Round(v1, Unsafe.Add(ref w, i));
                v2 = Round(v2, Unsafe.Add(ref w, i + 1));
                v3 = Round(v3, Unsafe.Add(ref w, i + 2));
                v4 = Round(v4, Unsafe.Add(ref w, i + 3));
            }
            h = BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7) + BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18);
            h = MergeRound(h, v1);
            h = MergeRound(h, v2);
            h = MergeRound(h, v3);
            h = MergeRound(h, v4);
        }
        else
        {
            h = seed + P5;
        }
        h += (ulong)words.Length * 8;
        for (; i < words.Length; i++) h = BitOperations.RotateLeft(h ^ Round(0, words[i]), 27) * P1 + P4;
        h ^= h >> 33;
        h *= P2;
        h ^= h >> 29;
        h *= P3;
        h ^= h >> 32;
        return h;
    }
}
