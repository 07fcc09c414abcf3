using System.Runtime;

namespace TcpSpec.Checker.Strategies;

/// <summary>
/// Compacts the large-object heap after a BFS level once the fingerprint table has grown by a quarter
/// since the last time. A growing table leaves its old segments on that heap, which the runtime
/// frees but does not compact: their holes, too small for the next, larger segments, were
/// ~100 MB beside a 154 MB table at 15 M states. A compaction copies what lives there (the table
/// and the parent links), so it is done once or twice per growth of the table, a few times a run.
/// </summary>
internal sealed class HeapCompaction
{
    /// <summary>Below this the holes do not matter (the default check's scenarios never compact).</summary>
    private const long Threshold = 64L << 20;

    private long _tableBytesAtLast = Threshold;

    /// <summary>Called after each level with the table's bytes; true when it compacted.</summary>
    public bool AfterLevel(long tableBytes)
    {
        if (tableBytes < _tableBytesAtLast * 5 / 4) return false;
        _tableBytesAtLast = tableBytes;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return true;
    }
}
