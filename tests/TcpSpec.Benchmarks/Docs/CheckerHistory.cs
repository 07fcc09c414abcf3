namespace TcpSpec.Benchmarks.Docs;

/// <summary>The checker's numbers before and after the changes of the benchmarks issue, measured once (they are history, not regenerated).</summary>
internal static class CheckerHistory
{
    public static readonly string[] Lines =
    [
        "| checker | 1 worker | 2 workers | allocated / state (abort) | peak heap / state (abort) |",
        "|---|---:|---:|---:|---:|",
        "| before (commit 2f4cb3c) | TODO | TODO | TODO | TODO |",
        "| after | TODO | TODO | TODO | TODO |",
    ];
}
