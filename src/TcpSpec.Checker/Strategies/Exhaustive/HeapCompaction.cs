using System.Runtime;

namespace TcpSpec.Checker.Strategies;

/// <summary>
/// Gives the fingerprint table's dropped segments back as the search goes. A growing table leaves
/// its old segments on the large-object heap, which the runtime collects only in a full
/// collection and does not compact: left to its own budget, that garbage reached three quarters
/// of the live table (~50 MB beside a 41 MB table at 3.5 M states), and the holes, too small for
/// the next, larger segments, were ~100 MB beside a 154 MB table at 15 M states. So once the
/// segments dropped since the last time reach an eighth of the table, a full collection frees
/// them (cheap: the heap holds few objects, and arrays of numbers are not scanned); once the table
/// has grown by a quarter, a compacting one also closes the holes (it copies the table and the
/// other large arrays, so a few times a run).
/// </summary>
internal sealed class HeapCompaction
{
    /// <summary>Below this the dropped segments do not matter (the default check's scenarios never collect).</summary>
    private const long Threshold = 16L << 20;

    /// <summary>Below this the holes do not matter.</summary>
    private const long CompactThreshold = 64L << 20;

    private long _tableBytesAtLast = CompactThreshold;
    private long _droppedAtLast;

    /// <summary>Called after each merged chunk with the table: true when it collected.</summary>
    public bool AfterChunk(FingerprintTable table)
    {
        long tableBytes = table.Bytes;
        if (tableBytes < Threshold || table.DroppedBytes - _droppedAtLast < tableBytes / 8) return false;
        _droppedAtLast = table.DroppedBytes;
        bool compact = tableBytes >= _tableBytesAtLast * 5 / 4;
        if (compact)
        {
            _tableBytesAtLast = tableBytes;
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        }
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: compact);
        return true;
    }
}
