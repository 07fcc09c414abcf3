namespace TcpSpec.Benchmarks.Docs;

/// <summary>
/// The checker's numbers before and after the changes made with these benchmarks, measured once
/// with <c>-- measure 5</c> (the original checker built from commit 2f4cb3c with the same harness,
/// the two run alternately, twice, on the same machine, load average about 5): history, not regenerated.
/// </summary>
internal static class CheckerHistory
{
    public static readonly string[] Lines =
    [
        "| checker (all 13 default scenarios, 1,517,775 states) | 1 worker | 2 workers | CPU per state (1 worker) | allocated / state (abort) | peak heap / state (abort) |",
        "|---|---:|---:|---:|---:|---:|",
        "| before (commit 2f4cb3c) | 468,453 states/s (3.24 s) | 434,519 states/s (3.49 s) | 2.1 µs | 4,644 B | 1,510–1,739 B |",
        "| after | 790,733 states/s (1.92 s) | 1,102,691 states/s (1.38 s) | 1.3 µs | 415–428 B | 326–341 B |",
    ];
}
