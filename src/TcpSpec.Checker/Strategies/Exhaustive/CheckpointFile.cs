using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace TcpSpec.Checker.Strategies;

/// <summary>A checkpoint that cannot be resumed: unreadable, corrupt, or written for another table or other options (the CLI exits 2 with this message).</summary>
public sealed class CheckpointException(string message) : Exception(message);

/// <summary>
/// The file format of a search checkpoint: a magic and version, the identity of the search it
/// belongs to (table hash, scenario, budgets, options: compared field by field before anything
/// else is read), the search's state, and a CRC-32C of everything before it. Written to a
/// temporary file that is renamed over the old checkpoint once complete and flushed, so a crash
/// while writing leaves the previous checkpoint intact; a truncated or damaged file is reported
/// by name and offset, never half-loaded.
/// </summary>
internal static class CheckpointFile
{
    private static readonly byte[] Magic = "TCPSPEC-CHECKPOINT\n"u8.ToArray();
    private const int Version = 4; // 2: fingerprint table segments of any size (fast range reduction), not powers of two; 3: parent links as 5-byte records, kinds only with liveness; 4: fingerprints by a multiply-fold hash, not xxHash64

    /// <summary>Writes a checkpoint atomically: <paramref name="body"/> writes the state after the header.</summary>
    public static void Write(string path, IReadOnlyList<(string Name, string Value)> identity, Action<CheckpointWriter> body)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + ".tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                var crc = new CrcStream(file);
                using (var w = new CheckpointWriter(crc))
                {
                    w.Bytes(Magic);
                    w.Int(Version);
                    w.Int(identity.Count);
                    foreach (var (name, value) in identity)
                    {
                        w.String(name);
                        w.String(value);
                    }
                    body(w);
                    w.Flush();
                    uint sum = crc.Crc;
                    w.UInt(sum);
                    w.Flush();
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            throw new CheckpointException($"cannot write the checkpoint {path}: {ex.Message}");
        }
    }

    /// <summary>Reads a checkpoint: refuses one written for another <paramref name="identity"/>, then <paramref name="body"/> reads the state; the CRC is checked at the end.</summary>
    public static T Read<T>(string path, IReadOnlyList<(string Name, string Value)> identity, Func<CheckpointReader, T> body)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"cannot read the checkpoint {path}: {ex.Message}");
        }
        using (file)
        {
            var crc = new CrcStream(file);
            var r = new CheckpointReader(crc, file.Length);
            try
            {
                var magic = new byte[Magic.Length];
                r.Bytes(magic);
                if (!magic.AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("not a tcpspec checkpoint");
                int version = r.Int();
                // Another version's fingerprints and layout mean nothing to this one: said as such, not as damage.
                if (version != Version)
                    throw new CheckpointException($"the checkpoint {path} was written in format version {version}, this tcpspec reads version {Version} (its fingerprints differ): start afresh without --resume");
                int n = r.Int();
                if (n is < 0 or > 64) throw new InvalidDataException($"{n} identity fields");
                var written = new Dictionary<string, string>();
                for (int i = 0; i < n; i++) written[r.String()] = r.String();
                foreach (var (name, value) in identity)
                {
                    written.TryGetValue(name, out var had);
                    if (had != value)
                        throw new CheckpointException($"the checkpoint {path} was written with {name} {had ?? "(none)"}, this run has {name} {value}: resume with the same table, scenario, budgets and options (or start afresh without --resume)");
                }
                var state = body(r);
                uint sum = crc.Crc;
                uint stored = r.UInt();
                if (stored != sum) throw new InvalidDataException("its checksum does not match (the file is damaged)");
                if (file.Position != file.Length) throw new InvalidDataException($"{file.Length - file.Position:N0} unexpected bytes after the end");
                return state;
            }
            // Whatever a damaged file makes the reading throw is the file's fault, said as such.
            catch (Exception ex) when (ex is not CheckpointException and not IOException || ex is EndOfStreamException)
            {
                string why = ex is EndOfStreamException ? "it is truncated" : ex.Message;
                throw new CheckpointException($"the checkpoint {path} is corrupt at byte {r.Offset:N0}: {why}; delete it and start afresh");
            }
            catch (IOException ex)
            {
                throw new CheckpointException($"cannot read the checkpoint {path}: {ex.Message}");
            }
        }
    }

    /// <summary>Passes bytes through, keeping the CRC-32C of all of them.</summary>
    private sealed class CrcStream(Stream inner) : Stream
    {
        public uint Crc { get; private set; } = ~0u;

        public long Done { get; private set; }

        private void Update(ReadOnlySpan<byte> bytes)
        {
            uint c = Crc;
            var words = MemoryMarshal.Cast<byte, ulong>(bytes);
            foreach (ulong w in words) c = BitOperations.Crc32C(c, w);
            foreach (byte b in bytes[(words.Length * 8)..]) c = BitOperations.Crc32C(c, b);
            Crc = c;
            Done += bytes.Length;
        }

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            Update(buffer[..n]);
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Update(buffer);
            inner.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => inner.Length;
        public override long Position { get => Done; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

/// <summary>Writes a checkpoint's values (little-endian), and arrays of unmanaged values as raw bytes.</summary>
internal sealed class CheckpointWriter(Stream stream) : IDisposable
{
    private readonly BinaryWriter _w = new(new BufferedStream(stream, 1 << 20), Encoding.UTF8, leaveOpen: false);

    public void Int(int v) => _w.Write(v);
    public void UInt(uint v) => _w.Write(v);
    public void Long(long v) => _w.Write(v);
    public void Double(double v) => _w.Write(v);
    public void Bool(bool v) => _w.Write(v);
    public void String(string v) => _w.Write(v);
    public void Bytes(ReadOnlySpan<byte> v) => _w.Write(v);

    /// <summary>A length, then the values.</summary>
    public void Array<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        _w.Write(values.Length);
        _w.Write(MemoryMarshal.AsBytes(values));
    }

    public void Flush() => _w.Flush();

    public void Dispose() => _w.Dispose();
}

/// <summary>Reads what <see cref="CheckpointWriter"/> wrote; a length longer than what is left of the file is corruption, not an allocation.</summary>
internal sealed class CheckpointReader(Stream stream, long fileLength)
{
    private readonly BinaryReader _r = new(stream, Encoding.UTF8, leaveOpen: true);

    /// <summary>Bytes read so far.</summary>
    public long Offset => stream.Position;

    public int Int() => _r.ReadInt32();
    public uint UInt() => _r.ReadUInt32();
    public long Long() => _r.ReadInt64();
    public double Double() => _r.ReadDouble();
    public bool Bool() => _r.ReadBoolean();
    public string String() => _r.ReadString();
    public void Bytes(Span<byte> into) => stream.ReadExactly(into);

    /// <summary>A count of <paramref name="size"/>-byte items that must fit in the rest of the file.</summary>
    public long Length(int size)
    {
        long n = _r.ReadInt64();
        if (n < 0 || n > (fileLength - Offset) / Math.Max(1, size)) throw new InvalidDataException($"a length of {n:N0} does not fit in what is left of the file (it is truncated or damaged)");
        return n;
    }

    public T[] Array<T>() where T : unmanaged
    {
        int n = _r.ReadInt32();
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (n < 0 || (long)n * size > fileLength - Offset) throw new InvalidDataException($"an array of {n:N0} items does not fit in what is left of the file (it is truncated or damaged)");
        var values = new T[n];
        Bytes(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>Reads into an existing array of the same length.</summary>
    public void Into<T>(Span<T> values) where T : unmanaged
    {
        int n = _r.ReadInt32();
        if (n != values.Length) throw new InvalidDataException($"an array of {n:N0} items where {values.Length:N0} were expected");
        Bytes(MemoryMarshal.AsBytes(values));
    }
}
