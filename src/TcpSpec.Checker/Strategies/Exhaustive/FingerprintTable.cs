using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace TcpSpec.Checker.Strategies;

/// <summary>
/// A set of 64-bit fingerprints, optionally mapping each to a state id: open addressing with
/// linear probing over parallel arrays of keys (8 bytes) and ids (4 bytes, only when asked for),
/// split into segments chosen by the fingerprint's top bits. A segment's size need not be a power
/// of two (a fingerprint's home slot is its low 32 bits scaled to the size, as Lemire's fast range
/// reduction does), so a segment grows by half when <see cref="MaxLoad"/> full: a segment is
/// between 57 % and 85 % full, and as the segments' sizes are staggered over one growth step they
/// grow one after another, so the table stays about 70 % full — 11.4 bytes per fingerprint without
/// ids, 17 with them, at any count (with segments of one size it swung between 9.4 and 14 bytes,
/// with segments that doubled at three quarters between 10.7 and 21; a
/// <see cref="Dictionary{TKey,TValue}"/> needs ~24 plus its growth copies). Segments grow one at a
/// time, so the table never holds two copies of itself.
/// <para>
/// One thread adds while others look up: an entry is published with its id written before its
/// key (a volatile write), and a grown segment only once it is filled, so a concurrent
/// <see cref="TryGet"/> finds either nothing or a complete entry. It may miss a fingerprint added
/// meanwhile, never return a wrong id.
/// </para>
/// </summary>
internal sealed class FingerprintTable : IStateSet
{
    /// <summary>One segment's arrays, replaced whole when it grows (readers see the old or the new one, each complete).</summary>
    private sealed class Segment(ulong[] keys, int[]? ids)
    {
        public Segment(int size, bool withIds) : this(new ulong[size], withIds ? new int[size] : null) { }

        public readonly ulong[] Keys = keys;
        public readonly int[]? Ids = ids;
        public int Count;
    }

    /// <summary>A segment grows when an add would fill it beyond this (linear probing stays short: ~3.8 probes to find a key at the worst, ~23 to miss one).</summary>
    public const double MaxLoad = 0.85;

    private readonly Segment[] _segments;
    private readonly int _shift;
    private readonly bool _withIds;
    private int _count;
    // Key 0 marks an empty entry, so a fingerprint of 0 is kept aside.
    private int _zeroId = -1;

    /// <param name="capacity">Fingerprints the table holds before it first grows.</param>
    /// <param name="withIds">Keep a state id per fingerprint; without, <see cref="TryGet"/> and <see cref="GetOrAdd"/> say only whether it is present.</param>
    /// <param name="segmentBits">The table is split into 2^segmentBits segments that grow one at a time.</param>
    public FingerprintTable(int capacity = 1 << 12, bool withIds = true, int segmentBits = 0)
    {
        _withIds = withIds;
        int segments = 1 << segmentBits;
        _shift = 64 - segmentBits;
        int size = 16;
        while (Full(size) < capacity / segments) size = GrownSize(size);
        _segments = new Segment[segments];
        // Segments fill alike (a fingerprint's top bits are uniform), so segments of one size would all grow at once and the
        // table would swing between 57 % and 85 % full, holding its old and new segments together at the swing. Staggered
        // sizes (segment s starts 1.5^(s/segments) times larger) grow one after another: the table stays ~70 % full throughout.
        for (int s = 0; s < segments; s++) _segments[s] = new Segment((int)Math.Round(size * Math.Pow(1.5, (double)s / segments)), withIds);
        foreach (var seg in _segments) _slots += seg.Keys.Length;
    }

    public int Count => _count + (Volatile.Read(ref _zeroId) >= 0 ? 1 : 0);

    // Slots in all segments (kept as they grow: the merge reads the table's size after every chunk).
    private long _slots;

    /// <summary>Bytes held by the table.</summary>
    public long Bytes => _slots * (_withIds ? 12 : 8);

    /// <summary>Bytes of the segments replaced by larger ones so far: garbage for the collector (see <see cref="HeapCompaction"/>).</summary>
    public long DroppedBytes { get; private set; }

    private int SegmentOf(ulong key) => _shift == 64 ? 0 : (int)(key >> _shift);

    /// <summary>The slot where <paramref name="key"/>'s probe starts in a segment of <paramref name="size"/> slots: its low 32 bits scaled to the size (the segment is chosen by the top bits).</summary>
    private static int HomeOf(ulong key, int size) => (int)(((ulong)(uint)key * (uint)size) >> 32);

    /// <summary>The most fingerprints a segment of <paramref name="size"/> slots holds before it grows.</summary>
    private static int Full(int size) => (int)(size * MaxLoad);

    /// <summary>The size a segment grows to: half as large again.</summary>
    private static int GrownSize(int size) => checked(size + size / 2);

    /// <summary>Starts fetching <paramref name="key"/>'s home slot (key and id) into the cache, so that a <see cref="TryGet"/> soon after does not wait for memory; safe while another thread adds.</summary>
    public unsafe void Prefetch(ulong key)
    {
        if (!Sse.IsSupported) return;
        var seg = Volatile.Read(ref _segments[SegmentOf(key)]);
        int home = HomeOf(key, seg.Keys.Length);
        Sse.Prefetch0(Unsafe.AsPointer(ref seg.Keys[home]));
        if (seg.Ids is { } ids) Sse.Prefetch0(Unsafe.AsPointer(ref ids[home]));
    }

    /// <summary>Looks <paramref name="key"/> up; safe while another thread adds. Without ids, <paramref name="id"/> is 0 when found.</summary>
    public bool TryGet(ulong key, out int id)
    {
        if (key == 0)
        {
            id = Volatile.Read(ref _zeroId);
            return id >= 0;
        }
        var seg = Volatile.Read(ref _segments[SegmentOf(key)]);
        var keys = seg.Keys;
        for (int i = HomeOf(key, keys.Length); ; i = i + 1 == keys.Length ? 0 : i + 1)
        {
            ulong k = Volatile.Read(ref keys[i]);
            if (k == key)
            {
                id = seg.Ids is { } ids ? ids[i] : 0;
                return true;
            }
            if (k == 0)
            {
                id = -1;
                return false;
            }
        }
    }

    /// <summary>Adds <paramref name="key"/> with <paramref name="id"/> unless present; returns the id it has now (without ids: <paramref name="id"/> when added, else 0). One adding thread at a time.</summary>
    public int GetOrAdd(ulong key, int id, out bool added)
    {
        if (key == 0)
        {
            added = _zeroId < 0;
            if (added) Volatile.Write(ref _zeroId, id);
            return _withIds || added ? _zeroId : 0;
        }
        int s = SegmentOf(key);
        var seg = _segments[s];
        if (seg.Count + 1 > Full(seg.Keys.Length)) seg = Grow(s);
        var keys = seg.Keys;
        for (int i = HomeOf(key, keys.Length); ; i = i + 1 == keys.Length ? 0 : i + 1)
        {
            ulong k = keys[i];
            if (k == key)
            {
                added = false;
                return seg.Ids is { } ids ? ids[i] : 0;
            }
            if (k == 0)
            {
                if (seg.Ids is { } ids) ids[i] = id;
                Volatile.Write(ref keys[i], key);
                seg.Count++;
                _count++;
                added = true;
                return id;
            }
        }
    }

    public void Save(CheckpointWriter w)
    {
        w.Bool(_withIds);
        w.Int(_segments.Length);
        w.Int(_count);
        w.Int(_zeroId);
        foreach (var seg in _segments)
        {
            w.Int(seg.Count);
            w.Array<ulong>(seg.Keys);
            if (seg.Ids is { } ids) w.Array<int>(ids);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public static FingerprintTable Load(CheckpointReader r)
    {
        bool withIds = r.Bool();
        int segments = r.Int();
        if (segments <= 0 || segments > 1 << 16 || (segments & (segments - 1)) != 0) throw new InvalidDataException($"{segments} fingerprint table segments");
        var t = new FingerprintTable(16, withIds, System.Numerics.BitOperations.Log2((uint)segments));
        t._count = r.Int();
        t._zeroId = r.Int();
        long total = 0;
        for (int s = 0; s < segments; s++)
        {
            int count = r.Int();
            var keys = r.Array<ulong>();
            if (keys.Length < 16 || count < 0 || count > Full(keys.Length)) throw new InvalidDataException("a fingerprint table segment of a bad size");
            var seg = new Segment(keys, withIds ? r.Array<int>() : null) { Count = count };
            if (seg.Ids is { } ids && ids.Length != keys.Length) throw new InvalidDataException("a fingerprint table segment's ids disagree with its keys");
            t._segments[s] = seg;
            total += count;
        }
        if (total != t._count) throw new InvalidDataException("the fingerprint table's count disagrees with its segments");
        t._slots = 0;
        foreach (var seg in t._segments) t._slots += seg.Keys.Length;
        return t;
    }

    /// <summary>Empties the table, keeping its memory. Not while other threads read it.</summary>
    public void Clear()
    {
        if (_count > 0)
        {
            foreach (var seg in _segments)
            {
                if (seg.Count == 0) continue;
                Array.Clear(seg.Keys);
                seg.Count = 0;
            }
        }
        _count = 0;
        _zeroId = -1;
    }

    /// <summary>Gives the table's memory up once it is no longer needed; it reads as empty.</summary>
    public void Release()
    {
        for (int s = 0; s < _segments.Length; s++) _segments[s] = new Segment(16, _withIds);
        _slots = 16L * _segments.Length;
        _count = 0;
        _zeroId = -1;
    }

    private Segment Grow(int s)
    {
        var old = _segments[s];
        var grown = new Segment(GrownSize(old.Keys.Length), _withIds) { Count = old.Count };
        int size = grown.Keys.Length;
        for (int j = 0; j < old.Keys.Length; j++)
        {
            ulong key = old.Keys[j];
            if (key == 0) continue;
            int i = HomeOf(key, size);
            while (grown.Keys[i] != 0) i = i + 1 == size ? 0 : i + 1;
            grown.Keys[i] = key;
            if (grown.Ids is { } ids) ids[i] = old.Ids![j];
        }
        Volatile.Write(ref _segments[s], grown);
        DroppedBytes += (long)old.Keys.Length * (_withIds ? 12 : 8);
        _slots += size - old.Keys.Length;
        return grown;
    }
}
