namespace TcpSpec.Checker.Strategies;

using TcpSpec.Checker.Model;

/// <summary>
/// Fixed-size byte blocks shared by the chunks of an exhaustive search: a chunk takes blocks as
/// it packs worlds and gives them back when its level is no longer needed, so the search holds
/// about as many blocks as two consecutive levels' packed worlds fill, never copies a block to
/// grow a buffer, and keeps no half-empty arrays (a block stays below the large-object heap).
/// </summary>
internal sealed class WorldBlocks(in World reference)
{
    /// <summary>The words worlds are packed relative to (<see cref="WorldCodec"/>).</summary>
    public readonly ulong[] Reference = WorldCodec.ReferenceOf(in reference);

    public const int Size = 1 << 14;

    private readonly Stack<byte[]> _free = new();
    private long _allocated;

    /// <summary>Bytes of blocks allocated so far (in use or free).</summary>
    public long Bytes => Interlocked.Read(ref _allocated) * Size;

    public byte[] Take()
    {
        lock (_free)
        {
            if (_free.Count > 0) return _free.Pop();
        }
        Interlocked.Increment(ref _allocated);
        return new byte[Size];
    }

    public void Give(List<byte[]> blocks)
    {
        lock (_free)
        {
            foreach (var b in blocks) _free.Push(b);
        }
        blocks.Clear();
    }
}

/// <summary>The worlds one chunk stored, packed by <see cref="WorldCodec"/> end to end in blocks taken from a shared <see cref="WorldBlocks"/>.</summary>
internal sealed class WorldStore(WorldBlocks blocks)
{
    private readonly List<byte[]> _blocks = new();
    // Where each world starts: block index << 16 | offset in the block.
    private int[] _starts = new int[256];
    private ushort[] _lengths = new ushort[256];
    private int _used = WorldBlocks.Size;

    public int Count { get; private set; }

    /// <summary>The words worlds are packed relative to.</summary>
    public ulong[] Reference => blocks.Reference;

    /// <summary>Unpacks world <paramref name="i"/> into <paramref name="w"/>.</summary>
    public void Read(int i, ref World w)
    {
        int start = _starts[i];
        WorldCodec.Decode(_blocks[start >> 16].AsSpan(start & 0xFFFF), blocks.Reference, ref w);
    }

    /// <summary>World <paramref name="i"/> as packed.</summary>
    public ReadOnlySpan<byte> Packed(int i)
    {
        int start = _starts[i];
        return _blocks[start >> 16].AsSpan(start & 0xFFFF, _lengths[i]);
    }

    public int Add(in World w)
    {
        int i = Count;
        if (_used + WorldCodec.MaxLength > WorldBlocks.Size)
        {
            _blocks.Add(blocks.Take());
            _used = 0;
        }
        if (i == _starts.Length)
        {
            Array.Resize(ref _starts, i * 2);
            Array.Resize(ref _lengths, i * 2);
        }
        _starts[i] = (_blocks.Count - 1) << 16 | _used;
        int n = WorldCodec.Encode(in w, blocks.Reference, _blocks[^1].AsSpan(_used));
        _lengths[i] = (ushort)n;
        _used += n;
        Count = i + 1;
        return i;
    }

    /// <summary>Empties the store and gives its blocks back.</summary>
    public void Clear()
    {
        blocks.Give(_blocks);
        _used = WorldBlocks.Size;
        Count = 0;
    }
}
