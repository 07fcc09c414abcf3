namespace TcpSpec.Benchmarks.Docs;

/// <summary>
/// The checker's numbers before and after the changes made with these benchmarks, measured once
/// with <c>-- measure 5</c> (the original checker built from commit 2f4cb3c with the same harness,
/// the two run alternately, twice, on the same machine while it was otherwise idle): history, not regenerated.
/// </summary>
internal static class CheckerHistory
{
    public static readonly string[] Lines =
    [
        "| checker (all 13 default scenarios, 1,517,775 states) | 1 worker | 2 workers | CPU per state (1 worker) | allocated / state (abort) | peak heap / state (abort) |",
        "|---|---:|---:|---:|---:|---:|",
        "| before (commit 2f4cb3c) | 450,395–460,468 states/s (3.30–3.37 s) | 684,602–701,221 states/s (2.16–2.22 s) | 2.3 µs | 4,644 B | 922–1,801 B |",
        "| after | 885,715–905,014 states/s (1.68–1.71 s) | 1,297,152–1,381,804 states/s (1.10–1.17 s) | 1.2 µs | 415–428 B | 327–347 B |",
    ];
}
