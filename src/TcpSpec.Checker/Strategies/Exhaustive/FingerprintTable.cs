using System.Runtime.CompilerServices;

namespace TcpSpec.Checker.Strategies;

/// <summary>
/// A map from 64-bit fingerprints to state ids: open addressing with linear probing over one
/// array of (fingerprint, id) entries, at most half full, so a lookup is usually one cache line
/// (a <see cref="Dictionary{TKey,TValue}"/> reads a bucket array, then an entry array).
/// <para>
/// One thread adds while others look up: an entry is published with its id written before its
/// fingerprint (a volatile write), and a larger array only once it is filled, so a concurrent
/// <see cref="TryGet"/> finds either nothing or a complete entry. It may miss a fingerprint added
/// meanwhile, never return a wrong id.
/// </para>
/// </summary>
internal sealed class FingerprintTable
{
    private struct Entry
    {
        public ulong Key;
        public int Id;
    }

    private Entry[] _entries;
    private int _count;
    // Key 0 marks an empty entry, so a fingerprint of 0 is kept aside.
    private int _zeroId = -1;

    public FingerprintTable(int capacity = 1 << 12)
    {
        int size = 16;
        while (size < capacity * 2) size <<= 1;
        _entries = new Entry[size];
    }

    public int Count => _count + (Volatile.Read(ref _zeroId) >= 0 ? 1 : 0);

    /// <summary>Bytes held by the table.</summary>
    public long Bytes => (long)_entries.Length * Unsafe.SizeOf<Entry>();

    /// <summary>Looks <paramref name="key"/> up; safe while another thread adds.</summary>
    public bool TryGet(ulong key, out int id)
    {
        if (key == 0)
        {
            id = Volatile.Read(ref _zeroId);
            return id >= 0;
        }
        var entries = Volatile.Read(ref _entries);
        int mask = entries.Length - 1;
        for (int i = (int)key & mask; ; i = (i + 1) & mask)
        {
            ref var e = ref entries[i];
            ulong k = Volatile.Read(ref e.Key);
            if (k == key)
            {
                id = e.Id;
                return true;
            }
            if (k == 0)
            {
                id = -1;
                return false;
            }
        }
    }

    /// <summary>Adds <paramref name="key"/> with <paramref name="id"/> unless present; returns the id it has now. One adding thread at a time.</summary>
    public int GetOrAdd(ulong key, int id, out bool added)
    {
        if (key == 0)
        {
            added = _zeroId < 0;
            if (added) Volatile.Write(ref _zeroId, id);
            return _zeroId;
        }
        if (2 * (_count + 1) > _entries.Length) Grow();
        var entries = _entries;
        int mask = entries.Length - 1;
        for (int i = (int)key & mask; ; i = (i + 1) & mask)
        {
            ref var e = ref entries[i];
            if (e.Key == key)
            {
                added = false;
                return e.Id;
            }
            if (e.Key == 0)
            {
                e.Id = id;
                Volatile.Write(ref e.Key, key);
                _count++;
                added = true;
                return id;
            }
        }
    }

    /// <summary>Empties the table, keeping its memory. Not while other threads read it.</summary>
    public void Clear()
    {
        if (_count > 0) Array.Clear(_entries);
        _count = 0;
        _zeroId = -1;
    }

    private void Grow()
    {
        var old = _entries;
        var entries = new Entry[old.Length * 2];
        int mask = entries.Length - 1;
        foreach (var e in old)
        {
            if (e.Key == 0) continue;
            int i = (int)e.Key & mask;
            while (entries[i].Key != 0) i = (i + 1) & mask;
            entries[i] = e;
        }
        Volatile.Write(ref _entries, entries);
    }
}
