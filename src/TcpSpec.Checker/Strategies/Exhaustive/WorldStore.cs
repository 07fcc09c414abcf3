namespace TcpSpec.Checker.Strategies;

using TcpSpec.Checker.Model;

/// <summary>
/// Fixed-size blocks of worlds shared by the chunks of an exhaustive search: a chunk takes
/// blocks as it stores worlds and gives them back when its level is no longer needed, so the
/// search allocates about as many blocks as two consecutive levels hold at once, never copies a
/// world to grow a buffer, and keeps no half-empty arrays.
/// </summary>
internal sealed class WorldBlocks
{
    public const int Shift = 7;
    public const int Size = 1 << Shift;

    private readonly Stack<World[]> _free = new();

    public World[] Take()
    {
        lock (_free)
        {
            if (_free.Count > 0) return _free.Pop();
        }
        return new World[Size];
    }

    public void Give(List<World[]> blocks)
    {
        lock (_free)
        {
            foreach (var b in blocks) _free.Push(b);
        }
        blocks.Clear();
    }
}

/// <summary>The worlds one chunk stored, in blocks taken from a shared <see cref="WorldBlocks"/>.</summary>
internal sealed class WorldStore(WorldBlocks blocks)
{
    private readonly List<World[]> _blocks = new();

    public int Count { get; private set; }

    public ref World this[int i] => ref _blocks[i >> WorldBlocks.Shift][i & (WorldBlocks.Size - 1)];

    public int Add(in World w)
    {
        int i = Count;
        if ((i >> WorldBlocks.Shift) == _blocks.Count) _blocks.Add(blocks.Take());
        _blocks[i >> WorldBlocks.Shift][i & (WorldBlocks.Size - 1)] = w;
        Count = i + 1;
        return i;
    }

    /// <summary>Empties the store and gives its blocks back.</summary>
    public void Clear()
    {
        blocks.Give(_blocks);
        Count = 0;
    }
}
