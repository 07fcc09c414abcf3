using System.Numerics;

namespace TcpSpec.Checker.Strategies;

/// <summary>The set of visited fingerprints the exhaustive search asks: exact (<see cref="FingerprintTable"/>) or a Bloom filter (<see cref="BitstateSet"/>).</summary>
internal interface IStateSet
{
    /// <summary>Whether <paramref name="key"/> is (or seems) present; safe while the one adding thread adds.</summary>
    bool TryGet(ulong key, out int id);

    /// <summary>Starts fetching the memory a <see cref="TryGet"/> of <paramref name="key"/> will read (a hint: no effect on results).</summary>
    void Prefetch(ulong key) { }

    /// <summary>Adds <paramref name="key"/> unless present; returns the id it has (see <see cref="FingerprintTable.GetOrAdd"/>).</summary>
    int GetOrAdd(ulong key, int id, out bool added);

    /// <summary>Gives the memory up; the set is not used again.</summary>
    void Release();

    /// <summary>Writes the set to a checkpoint (one byte first says which kind).</summary>
    void Save(CheckpointWriter w);
}

/// <summary>What a bitstate run can say of its coverage, as SPIN does.</summary>
/// <param name="Bits">The filter's size in bits (2^<c>--bitstate</c>).</param>
/// <param name="HashFunctions">Bits set per state.</param>
/// <param name="HashFactor">Bits per state stored (SPIN: coverage is good when above 100).</param>
/// <param name="OmissionProbability">The chance that a new state met at the end was taken for a visited one: the fraction of bits set, to the power of the hash functions.</param>
/// <param name="ExpectedOmitted">About how many states were wrongly taken for visited (and so not explored): the sum of the omission probability at each state added.</param>
public sealed record BitstateStats(long Bits, int HashFunctions, double HashFactor, double OmissionProbability, double ExpectedOmitted);

/// <summary>
/// Bitstate hashing (Holzmann's supertrace, SPIN's <c>-DBITSTATE</c>): a Bloom filter of 2^n bits
/// with three bits per state taken from the 64-bit fingerprint (double hashing). A state costs
/// no memory of its own, so searches far past memory run — at the price of states wrongly taken
/// for visited (never the other way), whose expected number <see cref="Stats"/> estimates.
/// One thread adds while others read: bits are only ever set, so a reader that finds all of a
/// state's bits set would find them set at the merge too.
/// </summary>
internal sealed class BitstateSet(int log2Bits) : IStateSet
{
    public const int HashFunctions = 3;

    private readonly ulong[] _words = new ulong[Math.Max(1, (1L << log2Bits) / 64)];
    private readonly ulong _mask = (1UL << log2Bits) - 1;
    private long _setBits, _added;
    private double _expectedOmitted;

    public long Bits => 1L << log2Bits;

    public bool TryGet(ulong key, out int id)
    {
        id = 0;
        ulong h = key, step = (key >> 32) | 1;
        for (int i = 0; i < HashFunctions; i++, h += step)
        {
            ulong bit = h & _mask;
            if ((Volatile.Read(ref _words[bit >> 6]) & (1UL << (int)(bit & 63))) == 0) return false;
        }
        return true;
    }

    public int GetOrAdd(ulong key, int id, out bool added)
    {
        added = false;
        ulong h = key, step = (key >> 32) | 1;
        for (int i = 0; i < HashFunctions; i++, h += step)
        {
            ulong bit = h & _mask;
            ref ulong word = ref _words[bit >> 6];
            ulong m = 1UL << (int)(bit & 63);
            if ((word & m) != 0) continue;
            Volatile.Write(ref word, word | m);
            _setBits++;
            added = true;
        }
        if (!added) return 0;
        _added++;
        double fill = _setBits / (double)Bits;
        _expectedOmitted += fill * fill * fill;
        return id;
    }

    public void Release()
    {
    }

    public void Save(CheckpointWriter w)
    {
        w.Int(log2Bits);
        w.Long(_setBits);
        w.Long(_added);
        w.Double(_expectedOmitted);
        w.Array<ulong>(_words);
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public static BitstateSet Load(CheckpointReader r, int log2Bits)
    {
        int written = r.Int();
        if (written != log2Bits) throw new InvalidDataException($"a filter of 2^{written} bits where 2^{log2Bits} were expected");
        var set = new BitstateSet(log2Bits) { _setBits = r.Long(), _added = r.Long(), _expectedOmitted = r.Double() };
        r.Into<ulong>(set._words);
        return set;
    }

    public BitstateStats Stats()
    {
        double fill = _setBits / (double)Bits;
        return new BitstateStats(Bits, HashFunctions, Bits / (double)Math.Max(1, _added), Math.Pow(fill, HashFunctions), _expectedOmitted);
    }

    /// <summary>Bits actually set (a check of the arithmetic: equals the count kept while adding).</summary>
    public long CountSetBits()
    {
        long n = 0;
        foreach (var w in _words) n += BitOperations.PopCount(w);
        return n;
    }
}
