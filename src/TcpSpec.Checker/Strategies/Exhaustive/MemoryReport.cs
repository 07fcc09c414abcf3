namespace TcpSpec.Checker.Strategies;

/// <summary>
/// Where an exhaustive search's memory goes, printed to standard error after every level when the
/// environment variable <c>TCPSPEC_MEMORY</c> is 1: the process's resident set and the managed
/// heap beside the bytes each structure of the search holds (per state found so far), so the
/// bytes per state can be read off a run rather than guessed.
/// </summary>
internal static class MemoryReport
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("TCPSPEC_MEMORY") == "1";

    public static void AfterLevel(int depth, long states, params (string Name, long Bytes)[] parts)
    {
        var gc = GC.GetGCMemoryInfo();
        long rss = Environment.WorkingSet;
        double per = Math.Max(1, states);
        var line = new System.Text.StringBuilder();
        line.Append($"memory depth {depth} states {states:N0}: rss {rss / per:0.0} B/state ({rss >> 20} MiB), heap {gc.HeapSizeBytes / per:0.0} (fragmented {gc.FragmentedBytes / per:0.0}), committed {gc.TotalCommittedBytes / per:0.0}");
        long known = 0;
        foreach (var (name, bytes) in parts)
        {
            line.Append($", {name} {bytes / per:0.0}");
            known += bytes;
        }
        line.Append($"; rest of rss {(rss - known) / per:0.0} ({(rss - known) >> 20} MiB); live {GC.GetTotalMemory(false) >> 20} MiB; generations after the last GC (#{gc.Index}, gen{gc.Generation}, MiB, size/fragmented):");
        var gens = gc.GenerationInfo;
        for (int g = 0; g < gens.Length; g++) line.Append($" {gens[g].SizeAfterBytes >> 20}/{gens[g].FragmentationAfterBytes >> 20}");
        Console.Error.WriteLine(line.ToString());
    }
}
