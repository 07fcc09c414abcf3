using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace TcpSpec.Checker.Model;

/// <summary>
/// The 64-bit fingerprint of a sequence of 64-bit words, deterministic in every process and on
/// every machine (integer arithmetic only). A multiply-fold sum in the manner of NH (UMAC's hash):
/// word <c>i</c> is XORed with a fixed key for its position, each pair of keyed words is
/// multiplied 64 × 64 → 128 bits and the product's halves are XORed together, and the pairs'
/// folds are summed; the sum, the length and the seed then pass an avalanche that is a bijection
/// (xorshift-multiply, xxHash64's), so it adds no collision of its own. One multiply per two words
/// (xxHash64 takes two per word), and the pairs are independent, so they overlap in the pipeline.
/// <para>
/// The position keys make the sum depend on where each word is (a plain sum would not see two
/// words swapped). A pair's fold loses its other word only when a keyed word is exactly zero,
/// i.e. when a word equals its position's key: 64 random bits, which the model's small fields and
/// 32-bit sequence numbers do not meet.
/// </para>
/// </summary>
internal static class Fingerprint
{
    private const ulong P1 = 0x9E3779B185EBCA87UL;
    private const ulong P2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong P3 = 0x165667B19E3779F9UL;

    /// <summary>The most words a fingerprint reads (a world's are fewer than 110).</summary>
    public const int MaxWords = 128;

    /// <summary>One key per word position, made by the avalanche from the position itself: the same on every machine, and distinct (the avalanche is a bijection).</summary>
    private static readonly ulong[] Keys = MakeKeys();

    private static ulong[] MakeKeys()
    {
        var keys = new ulong[MaxWords + 1]; // one past the end: a lone last word is paired with its neighbour's key
        for (int i = 0; i < keys.Length; i++) keys[i] = Avalanche((ulong)(i + 1) * P1);
        return keys;
    }

    /// <summary>The two keyed words of a pair, multiplied to 128 bits and folded to 64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Fold(ulong a, ulong b)
    {
        // The high half by MULX where there is one, the low half by a plain multiply: both stay in registers (Math.BigMul's
        // low half goes through memory, an out parameter). Math.BigMul elsewhere: the same product, so the same fingerprint.
        ulong hi = Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(a, b) : Math.BigMul(a, b, out _);
        return hi ^ (a * b);
    }

    /// <summary>xxHash64's final mix: shifts and odd multiplies, each step a bijection of 64 bits, so every input bit reaches every output bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Avalanche(ulong h)
    {
        h ^= h >> 33;
        h *= P2;
        h ^= h >> 29;
        h *= P3;
        h ^= h >> 32;
        return h;
    }

    public static ulong Of(ReadOnlySpan<ulong> words, ulong seed)
    {
        if (words.Length > MaxWords) throw new ArgumentException($"at most {MaxWords} words", nameof(words));
        ref ulong w = ref MemoryMarshal.GetReference(words); // read without a bounds check per word: the length is checked above
        ref ulong k = ref MemoryMarshal.GetArrayDataReference(Keys);
        ulong sum0 = 0, sum1 = 0;
        int left = words.Length;
        // Four words a round into two sums, so two multiplies are in flight and neither sum waits on the other.
        for (; left >= 4; left -= 4)
        {
            sum0 += Fold(w ^ k, Unsafe.Add(ref w, 1) ^ Unsafe.Add(ref k, 1));
            sum1 += Fold(Unsafe.Add(ref w, 2) ^ Unsafe.Add(ref k, 2), Unsafe.Add(ref w, 3) ^ Unsafe.Add(ref k, 3));
            w = ref Unsafe.Add(ref w, 4);
            k = ref Unsafe.Add(ref k, 4);
        }
        if (left >= 2)
        {
            sum0 += Fold(w ^ k, Unsafe.Add(ref w, 1) ^ Unsafe.Add(ref k, 1));
            w = ref Unsafe.Add(ref w, 2);
            k = ref Unsafe.Add(ref k, 2);
            left -= 2;
        }
        if (left != 0) sum1 += Fold(w ^ k, Unsafe.Add(ref k, 1)); // a lone last word, paired with a zero word
        // The length tells a lone last word of zero from none; the seed's rotation keeps it apart from the length.
        return Avalanche(sum0 + sum1 + ((ulong)words.Length * P1 ^ BitOperations.RotateLeft(seed, 17)));
    }
}
