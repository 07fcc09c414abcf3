namespace TcpSpec.Checker.Strategies;

/// <summary>
/// One BFS level's worlds, packed (<see cref="WorldCodec"/>) end to end in frontier order, as
/// TLC keeps its queue: written once by the merge, then read chunk by chunk by the workers
/// expanding the level. Small levels stay in memory blocks; a large one goes to a temporary file
/// (deleted when closed) so the frontier does not count against the process's memory — the
/// operating system's page cache holds it while it fits.
/// </summary>
internal sealed class LevelStream : IDisposable
{
    private const int BlockSize = 1 << 16;

    private readonly string _directory;
    private readonly Stack<byte[]> _pool;
    private readonly List<byte[]> _blocks = new();
    private readonly List<long> _chunkStarts = new();
    private FileStream? _file;
    private bool _toFile;

    /// <param name="directory">Where a level too large for memory goes.</param>
    /// <param name="pool">Memory blocks shared with the other level's stream.</param>
    public LevelStream(string directory, Stack<byte[]> pool)
    {
        _directory = directory;
        _pool = pool;
    }

    /// <summary>Worlds in the level.</summary>
    public int Count { get; private set; }

    /// <summary>Packed bytes in the level.</summary>
    public long Bytes { get; private set; }

    /// <summary>Whether this level is in a file.</summary>
    public bool InFile => _toFile;

    /// <summary>Bytes of memory the stream holds.</summary>
    public long MemoryBytes => (long)_blocks.Count * BlockSize;

    /// <summary>Empties the stream for the next level, in memory or in a file.</summary>
    public void Reset(bool toFile)
    {
        foreach (var b in _blocks) _pool.Push(b);
        _blocks.Clear();
        // A level in a file needs no blocks, nor does the next (it is at least as large, as a rule): the spare ones go back to the system.
        if (toFile) _pool.Clear();
        _chunkStarts.Clear();
        Count = 0;
        Bytes = 0;
        _toFile = toFile && OpenFile();
        if (_toFile)
        {
            _file!.SetLength(0);
            _file.Position = 0;
        }
    }

    /// <summary>Opens the level's file once; where none can be written (a read-only temp directory), the level stays in memory.</summary>
    private bool OpenFile()
    {
        if (_file is not null) return true;
        try
        {
            _file = new FileStream(Path.Combine(_directory, $"tcpspec-frontier-{Environment.ProcessId}-{Guid.NewGuid():N}.bin"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Appends one packed world (the merge thread alone).</summary>
    public void Add(ReadOnlySpan<byte> packed)
    {
        if (Count % Chunks.Size == 0) _chunkStarts.Add(Bytes);
        Count++;
        Append(packed);
    }

    private void Append(ReadOnlySpan<byte> packed)
    {
        if (_toFile) _file!.Write(packed);
        else
        {
            int at = (int)(Bytes % BlockSize);
            var rest = packed;
            while (rest.Length > 0)
            {
                if (at == 0 && Bytes / BlockSize == _blocks.Count) _blocks.Add(_pool.Count > 0 ? _pool.Pop() : new byte[BlockSize]);
                var block = _blocks[(int)(Bytes / BlockSize)];
                int n = Math.Min(rest.Length, BlockSize - at);
                rest[..n].CopyTo(block.AsSpan(at));
                rest = rest[n..];
                Bytes += n;
                at = 0;
            }
            return;
        }
        Bytes += packed.Length;
    }

    /// <summary>The level is written: it may be read.</summary>
    public void Complete() => _file?.Flush();

    /// <summary>Copies the packed worlds of chunk <paramref name="chunk"/> into <paramref name="buffer"/> (grown if needed); returns how many bytes. Safe from several threads once <see cref="Complete"/>d.</summary>
    public int ReadChunk(int chunk, ref byte[] buffer)
    {
        long start = _chunkStarts[chunk];
        long end = chunk + 1 < _chunkStarts.Count ? _chunkStarts[chunk + 1] : Bytes;
        int length = (int)(end - start);
        if (buffer.Length < length) buffer = new byte[Math.Max(length, buffer.Length * 2)];
        ReadAt(start, buffer.AsSpan(0, length));
        return length;
    }

    private void ReadAt(long start, Span<byte> into)
    {
        int length = into.Length;
        if (_toFile)
        {
            int read = 0;
            while (read < length)
            {
                int n = RandomAccess.Read(_file!.SafeFileHandle, into[read..], start + read);
                if (n <= 0) throw new IOException("the level's file is shorter than written");
                read += n;
            }
            return;
        }
        int done = 0;
        while (done < length)
        {
            long at = start + done;
            var block = _blocks[(int)(at / BlockSize)];
            int offset = (int)(at % BlockSize);
            int n = Math.Min(length - done, BlockSize - offset);
            block.AsSpan(offset, n).CopyTo(into[done..]);
            done += n;
        }
    }

    /// <summary>Writes the level (its worlds so far) to a checkpoint; safe while workers read it.</summary>
    public void Save(CheckpointWriter w)
    {
        _file?.Flush();
        w.Int(Count);
        w.Array<long>(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_chunkStarts));
        w.Long(Bytes);
        var buffer = new byte[1 << 20];
        for (long at = 0; at < Bytes; at += buffer.Length)
        {
            var piece = buffer.AsSpan(0, (int)Math.Min(buffer.Length, Bytes - at));
            ReadAt(at, piece);
            w.Bytes(piece);
        }
    }

    /// <summary>Empties the stream and reads into it what <see cref="Save"/> wrote (it may then be added to, or <see cref="Complete"/>d and read).</summary>
    public void Load(CheckpointReader r, long spillBytes)
    {
        int count = r.Int();
        var starts = r.Array<long>();
        long bytes = r.Length(1);
        Reset(toFile: bytes * 2 > spillBytes);
        if (count < 0 || starts.Length != (count + Chunks.Size - 1) / Chunks.Size || starts.Any(s => s < 0 || s > bytes)) throw new InvalidDataException("a level's chunk table disagrees with its worlds");
        var buffer = new byte[1 << 20];
        for (long at = 0; at < bytes; at += buffer.Length)
        {
            var piece = buffer.AsSpan(0, (int)Math.Min(buffer.Length, bytes - at));
            r.Bytes(piece);
            Append(piece);
        }
        _chunkStarts.AddRange(starts);
        Count = count;
    }

    public void Dispose() => _file?.Dispose();
}
