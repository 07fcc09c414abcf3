namespace TcpSpec.Checker.Strategies;

/// <summary>
/// The state ids of one BFS level's worlds, in frontier order. Ids are given in breadth-first
/// order, so a level's are increasing and nearly consecutive (only the worlds beyond the in-flight
/// bound, which are never expanded, leave gaps): each chunk's first id is kept whole and every
/// other id as its distance from the one before, less one, in a variable-length byte (LEB128) —
/// about a byte an id instead of 4, in 64 KB blocks that never copy to grow. The merge reads a
/// chunk's ids back in one go. Written and read by the merging thread only.
/// </summary>
internal sealed class LevelIds
{
    private const int BlockSize = 1 << 16;

    private readonly List<byte[]> _blocks = new();
    private readonly List<(long Offset, int First)> _chunks = new();
    private long _bytes;
    private int _last = -1;

    public int Count { get; private set; }

    /// <summary>Bytes of memory held.</summary>
    public long Bytes => (long)_blocks.Count * BlockSize + (long)_chunks.Capacity * 16;

    /// <summary>Empties the list, keeping its blocks.</summary>
    public void Clear()
    {
        _chunks.Clear();
        _bytes = 0;
        _last = -1;
        Count = 0;
    }

    /// <summary>Appends <paramref name="id"/>, greater than every id before it.</summary>
    public void Add(int id)
    {
        if (id <= _last) throw new ArgumentException($"state id {id} after {_last}: a level's ids increase", nameof(id));
        if (Count % Chunks.Size == 0) _chunks.Add((_bytes, id));
        else
        {
            uint gap = (uint)(id - _last - 1);
            while (gap >= 0x80)
            {
                Append((byte)(gap | 0x80));
                gap >>= 7;
            }
            Append((byte)gap);
        }
        _last = id;
        Count++;
    }

    private void Append(byte b)
    {
        int block = (int)(_bytes / BlockSize);
        if (block == _blocks.Count) _blocks.Add(new byte[BlockSize]);
        _blocks[block][(int)(_bytes % BlockSize)] = b;
        _bytes++;
    }

    /// <summary>Writes the ids of chunk <paramref name="chunk"/> (the level's ids from <c>chunk * Chunks.Size</c> on) into <paramref name="into"/>; returns how many.</summary>
    public int ReadChunk(int chunk, Span<int> into)
    {
        int n = Math.Min(Chunks.Size, Count - chunk * Chunks.Size);
        var (at, id) = _chunks[chunk];
        into[0] = id;
        for (int i = 1; i < n; i++)
        {
            uint gap = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = _blocks[(int)(at / BlockSize)][(int)(at % BlockSize)];
                at++;
                gap |= (uint)(b & 0x7F) << shift;
                if (b < 0x80) break;
            }
            id += (int)gap + 1;
            into[i] = id;
        }
        return n;
    }

    /// <summary>Every id, in order (for a checkpoint).</summary>
    public int[] ToArray()
    {
        var all = new int[Count];
        for (int c = 0; c * Chunks.Size < Count; c++) ReadChunk(c, all.AsSpan(c * Chunks.Size));
        return all;
    }
}
