namespace TcpSpec.Checker.Strategies;

/// <summary>
/// An append-only list of values in fixed blocks of 2^16: growing never copies what it holds
/// (a <see cref="List{T}"/> doubles, so at times holds three times what it needs), and no block
/// is on the large-object heap for small <typeparamref name="T"/>.
/// </summary>
internal sealed class BlockList<T> where T : unmanaged
{
    private const int Shift = 16, Size = 1 << Shift, Mask = Size - 1;
    private T[][] _blocks = new T[4][];
    private int _blockCount;

    public long Count { get; private set; }

    /// <summary>Bytes held.</summary>
    public long Bytes => (long)_blockCount * Size * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    public ref T this[long i] => ref _blocks[i >> Shift][i & Mask];

    public void Add(T value)
    {
        long i = Count;
        int b = (int)(i >> Shift);
        if (b == _blockCount)
        {
            if (b == _blocks.Length) Array.Resize(ref _blocks, b * 2);
            _blocks[b] = new T[Size];
            _blockCount++;
        }
        _blocks[b][i & Mask] = value;
        Count = i + 1;
    }

    /// <summary>Writes the values to a checkpoint.</summary>
    public void Save(CheckpointWriter w)
    {
        w.Long(Count);
        for (int b = 0; b < _blockCount; b++)
        {
            long at = (long)b * Size;
            int n = (int)Math.Min(Size, Count - at);
            w.Bytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_blocks[b].AsSpan(0, n)));
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public static BlockList<T> Load(CheckpointReader r)
    {
        var list = new BlockList<T>();
        long count = r.Length(System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        int blocks = (int)((count + Size - 1) >> Shift);
        list._blocks = new T[Math.Max(4, blocks)][];
        for (int b = 0; b < blocks; b++)
        {
            list._blocks[b] = new T[Size];
            int n = (int)Math.Min(Size, count - (long)b * Size);
            r.Bytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(list._blocks[b].AsSpan(0, n)));
        }
        list._blockCount = blocks;
        list.Count = count;
        return list;
    }

    /// <summary>Moves the list into one array (for readers that want a span), dropping each block once copied so the list is never held twice; the list is empty after.</summary>
    public T[] MoveToArray()
    {
        var all = GC.AllocateUninitializedArray<T>(checked((int)Count));
        for (int b = 0; b < _blockCount; b++)
        {
            long at = (long)b * Size;
            int n = (int)Math.Min(Size, Count - at);
            _blocks[b].AsSpan(0, n).CopyTo(all.AsSpan((int)at, n));
            _blocks[b] = null!;
        }
        _blocks = new T[4][];
        _blockCount = 0;
        Count = 0;
        return all;
    }
}
