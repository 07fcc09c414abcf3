using System.Numerics;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Tests;

/// <summary>
/// The fingerprint is good enough for hash compaction: inputs shaped like a world's words (mostly
/// small fields, many zeros) that differ in one word or one bit never collide, each output bit is
/// set half the time, and a one-bit change of the input changes half the output bits.
/// </summary>
public class FingerprintTests
{
    private const ulong Seed = 0x51_7C_C1_B7_27_22_0A_95UL;

    /// <summary>About a world's length: two hosts, the budgets, the clock, five segments in flight.</summary>
    private const int Length = 43;

    /// <summary>A base input as a world is: small counters, 32-bit sequence numbers packed in pairs, zero words.</summary>
    private static ulong[] Base(int variant)
    {
        var words = new ulong[Length];
        for (int i = 0; i < Length; i++)
            words[i] = (i % 5) switch
            {
                0 => 0,
                1 => (ulong)(i + variant),
                2 => (ulong)(1000 + i) << 32 | (uint)(7000 + variant),
                3 => 1UL << (i % 64),
                _ => 0,
            };
        return words;
    }

    /// <summary>Every input that differs from a base in one word set to a small value, or in one bit: each once.</summary>
    private static IEnumerable<ulong[]> Neighbours(int variants, int values)
    {
        for (int v = 0; v < variants; v++)
        {
            var b = Base(v);
            yield return b;
            for (int i = 0; i < Length; i++)
            {
                var w = (ulong[])b.Clone();
                for (int x = 0; x < values; x++)
                {
                    w[i] = (ulong)x;
                    if (w[i] != b[i]) yield return w;
                }
                w[i] = b[i];
                for (int bit = 0; bit < 64; bit++)
                {
                    w[i] = b[i] ^ (1UL << bit);
                    if (w[i] >= (ulong)values) yield return w; // a smaller one was among the values
                }
                w[i] = b[i];
            }
        }
    }

    [Fact]
    public void Inputs_that_differ_in_one_word_or_one_bit_never_collide_and_fill_every_bit_evenly()
    {
        var seen = new HashSet<ulong>();
        var ones = new long[64];
        long n = 0;
        foreach (var w in Neighbours(variants: 4, values: 16_000))
        {
            ulong h = Fingerprint.Of(w, Seed);
            Assert.True(seen.Add(h), $"a collision at input {n}");
            for (int b = 0; b < 64; b++) ones[b] += (long)(h >> b) & 1;
            n++;
        }
        Assert.True(n > 2_500_000, $"{n} inputs");
        // Out of 2.5 M fair bits a count strays from half by about 800: 0.4 % of n is over ten times that.
        for (int b = 0; b < 64; b++) Assert.InRange(ones[b] / (double)n, 0.496, 0.504);
    }

    [Fact]
    public void A_one_bit_change_of_the_input_changes_half_the_output_bits()
    {
        var b = Base(0);
        ulong h = Fingerprint.Of(b, Seed);
        long flipped = 0, cases = 0;
        int fewest = 64;
        for (int i = 0; i < Length; i++)
            for (int bit = 0; bit < 64; bit++)
            {
                var w = (ulong[])b.Clone();
                w[i] ^= 1UL << bit;
                int d = BitOperations.PopCount(h ^ Fingerprint.Of(w, Seed));
                flipped += d;
                fewest = Math.Min(fewest, d);
                cases++;
            }
        Assert.InRange(flipped / (double)cases, 31.5, 32.5);
        Assert.True(fewest >= 12, $"a one-bit change flipped only {fewest} output bits");
    }

    [Fact]
    public void Where_a_word_stands_and_how_many_there_are_count()
    {
        ulong[] words = [1, 2, 3, 4, 5];
        Assert.NotEqual(Fingerprint.Of(words, Seed), Fingerprint.Of([2, 1, 3, 4, 5], Seed)); // two words swapped within a pair
        Assert.NotEqual(Fingerprint.Of(words, Seed), Fingerprint.Of([3, 4, 1, 2, 5], Seed)); // two pairs swapped
        Assert.NotEqual(Fingerprint.Of(words, Seed), Fingerprint.Of([1, 2, 3, 4, 5, 0], Seed)); // a zero word more
        Assert.NotEqual(Fingerprint.Of([], Seed), Fingerprint.Of([0], Seed));
        Assert.NotEqual(Fingerprint.Of(words, Seed), Fingerprint.Of(words, Seed + 1));
        Assert.Equal(Fingerprint.Of(words, Seed), Fingerprint.Of((ulong[])words.Clone(), Seed));
    }

    [Fact]
    public void Too_many_words_are_refused_not_read_past_the_keys()
    {
        Assert.Throws<ArgumentException>(() => Fingerprint.Of(new ulong[Fingerprint.MaxWords + 1], Seed));
        Fingerprint.Of(new ulong[Fingerprint.MaxWords], Seed);
    }

    [Fact]
    public void The_fullest_world_fits_the_fingerprints_keys()
    {
        // A world's words (every segment in flight, every old segment, every budget) must stay within what the keys cover:
        // a world grown past them would be refused only when a search first meets one that full.
        Assert.True(World.MaxWords <= Fingerprint.MaxWords, $"World.MaxWords {World.MaxWords} > Fingerprint.MaxWords {Fingerprint.MaxWords}");
    }
}
