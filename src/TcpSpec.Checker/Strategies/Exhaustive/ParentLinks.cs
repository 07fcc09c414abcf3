using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace TcpSpec.Checker.Strategies;

/// <summary>
/// How each state was first reached — its parent's id and the ordinal of the move among the
/// parent's enabled moves, 5 bytes — by state id. Links are written once, in id order, and read
/// only to rebuild a counterexample by replay (a few dozen reads per trace), so, as TLC keeps its
/// trace on disk, once they fill more than <c>spillBytes</c> every full block goes to a temporary
/// file (deleted when closed) and only the block being filled stays in memory: a large search
/// holds 80 KB of links instead of 5 bytes a state. Where no file can be written the links stay
/// in memory. One thread adds and reads.
/// </summary>
internal sealed class ParentLinks : IDisposable
{
    /// <summary>Bytes of one link: the parent's id (little-endian) and the move's ordinal.</summary>
    public const int LinkBytes = 5;

    // 16,384 links a block (80 KB): a block stays below the large-object heap.
    private const int Shift = 14, BlockLinks = 1 << Shift, Mask = BlockLinks - 1, BlockBytes = BlockLinks * LinkBytes;

    private readonly string? _directory;
    private readonly long _spillBytes;
    private readonly List<byte[]> _blocks = new();
    private byte[] _current = [];
    private int _at = BlockLinks; // links in _current
    private SafeFileHandle? _file;
    private bool _noFile;
    // Links [0, _spilled) are in the file, the rest in _blocks (the first of which holds link _spilled).
    private long _spilled;

    /// <param name="directory">Where the links go once they fill more than <paramref name="spillBytes"/> (null: always in memory).</param>
    public ParentLinks(string? directory = null, long spillBytes = long.MaxValue)
    {
        _directory = directory;
        _spillBytes = spillBytes;
    }

    public long Count { get; private set; }

    /// <summary>Links written to the file.</summary>
    public long Spilled => _spilled;

    /// <summary>Bytes of memory the links hold.</summary>
    public long Bytes => (long)_blocks.Count * BlockBytes;

    public void Add(int parent, byte move)
    {
        if (_at == BlockLinks)
        {
            // Every block is full: spill them all and refill one, or add one.
            if (_blocks.Count == 0 || Count * LinkBytes <= _spillBytes || !SpillFullBlocks()) _blocks.Add(new byte[BlockBytes]);
            _current = _blocks[^1];
            _at = 0;
        }
        int offset = _at * LinkBytes;
        BinaryPrimitives.WriteInt32LittleEndian(_current.AsSpan(offset), parent);
        _current[offset + 4] = move;
        _at++;
        Count++;
    }

    /// <summary>Writes every block (all full) to the file, keeping one to fill next; false when no file can be written.</summary>
    private bool SpillFullBlocks()
    {
        if (_file is null && !OpenFile()) return false;
        foreach (var b in _blocks)
        {
            RandomAccess.Write(_file!, b, _spilled * LinkBytes);
            _spilled += BlockLinks;
        }
        var keep = _blocks[0];
        _blocks.Clear();
        _blocks.Add(keep);
        return true;
    }

    private bool OpenFile()
    {
        if (_noFile || _directory is null) return false;
        try
        {
            _file = File.OpenHandle(Path.Combine(_directory, $"tcpspec-parents-{Environment.ProcessId}-{Guid.NewGuid():N}.bin"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _noFile = true;
            return false;
        }
    }

    /// <summary>The parent of state <paramref name="id"/> (-1 for the initial world) and the ordinal of the move that reached it.</summary>
    public (int Parent, byte Move) this[long id]
    {
        get
        {
            Span<byte> link = stackalloc byte[LinkBytes];
            Read(id, link);
            return (BinaryPrimitives.ReadInt32LittleEndian(link), link[4]);
        }
    }

    private void Read(long id, Span<byte> into)
    {
        if ((ulong)id >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(id));
        if (id < _spilled)
        {
            if (RandomAccess.Read(_file!, into, id * LinkBytes) != into.Length) throw new IOException("the parent links' file is shorter than written");
            return;
        }
        long i = id - _spilled;
        _blocks[(int)(i >> Shift)].AsSpan((int)(i & Mask) * LinkBytes, LinkBytes).CopyTo(into);
    }

    /// <summary>Writes the links to a checkpoint: their count, then the links end to end.</summary>
    public void Save(CheckpointWriter w)
    {
        w.Long(Count);
        var buffer = new byte[BlockBytes];
        for (long at = 0; at < _spilled; at += BlockLinks)
        {
            int n = (int)Math.Min(BlockLinks, _spilled - at) * LinkBytes;
            if (RandomAccess.Read(_file!, buffer.AsSpan(0, n), at * LinkBytes) != n) throw new IOException("the parent links' file is shorter than written");
            w.Bytes(buffer.AsSpan(0, n));
        }
        for (int b = 0; b < _blocks.Count; b++)
        {
            long first = _spilled + (long)b * BlockLinks;
            int n = (int)Math.Min(BlockLinks, Count - first);
            if (n > 0) w.Bytes(_blocks[b].AsSpan(0, n * LinkBytes));
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote into an empty store (spilling as <see cref="Add"/> does).</summary>
    public void Load(CheckpointReader r)
    {
        if (Count != 0) throw new InvalidOperationException("links are loaded into an empty store");
        long count = r.Length(LinkBytes);
        var buffer = new byte[BlockBytes];
        for (long at = 0; at < count; at += BlockLinks)
        {
            int n = (int)Math.Min(BlockLinks, count - at);
            r.Bytes(buffer.AsSpan(0, n * LinkBytes));
            for (int k = 0; k < n; k++) Add(BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(k * LinkBytes)), buffer[k * LinkBytes + 4]);
        }
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }
}
