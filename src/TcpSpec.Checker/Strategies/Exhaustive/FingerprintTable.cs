namespace TcpSpec.Checker.Strategies;

/// <summary>
/// A set of 64-bit fingerprints, optionally mapping each to a state id: open addressing with
/// linear probing over parallel arrays of keys (8 bytes) and ids (4 bytes, only when asked for),
/// split into segments chosen by the fingerprint's top bits. A segment grows alone when it is
/// three quarters full, so the table never holds two copies of itself and averages about
/// 14 bytes per fingerprint without ids, 21 with them (a <see cref="Dictionary{TKey,TValue}"/>
/// needs ~24 plus its growth copies).
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
        while (size * 3 / 4 < capacity / segments) size <<= 1;
        _segments = new Segment[segments];
        for (int s = 0; s < segments; s++) _segments[s] = new Segment(size, withIds);
    }

    public int Count => _count + (Volatile.Read(ref _zeroId) >= 0 ? 1 : 0);

    /// <summary>Bytes held by the table.</summary>
    public long Bytes
    {
        get
        {
            long entries = 0;
            foreach (var s in _segments) entries += s.Keys.Length;
            return entries * (_withIds ? 12 : 8);
        }
    }

    private int SegmentOf(ulong key) => _shift == 64 ? 0 : (int)(key >> _shift);

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
        int mask = keys.Length - 1;
        for (int i = (int)key & mask; ; i = (i + 1) & mask)
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
        if (4 * (seg.Count + 1) > 3 * seg.Keys.Length) seg = Grow(s);
        var keys = seg.Keys;
        int mask = keys.Length - 1;
        for (int i = (int)key & mask; ; i = (i + 1) & mask)
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
            if (keys.Length < 16 || (keys.Length & (keys.Length - 1)) != 0 || count < 0 || count >= keys.Length) throw new InvalidDataException("a fingerprint table segment of a bad size");
            var seg = new Segment(keys, withIds ? r.Array<int>() : null) { Count = count };
            if (seg.Ids is { } ids && ids.Length != keys.Length) throw new InvalidDataException("a fingerprint table segment's ids disagree with its keys");
            t._segments[s] = seg;
            total += count;
        }
        if (total != t._count) throw new InvalidDataException("the fingerprint table's count disagrees with its segments");
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
        _count = 0;
        _zeroId = -1;
    }

    private Segment Grow(int s)
    {
        var old = _segments[s];
        var grown = new Segment(old.Keys.Length * 2, _withIds) { Count = old.Count };
        int mask = grown.Keys.Length - 1;
        for (int j = 0; j < old.Keys.Length; j++)
        {
            ulong key = old.Keys[j];
            if (key == 0) continue;
            int i = (int)key & mask;
            while (grown.Keys[i] != 0) i = (i + 1) & mask;
            grown.Keys[i] = key;
            if (grown.Ids is { } ids) ids[i] = old.Ids![j];
        }
        Volatile.Write(ref _segments[s], grown);
        return grown;
    }
}
