using System.Diagnostics;
using TcpSpec.Checker;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Benchmarks.Exploration;

/// <summary>One measured exhaustive search. <see cref="Violated"/>: the first violated property (the search then stopped early).</summary>
internal sealed record ExplorationSample(string Scenario, Budgets Budgets, int Workers, long States, long Transitions, long Bounded,
    double Seconds, long AllocatedBytes, long PeakHeapBytes, bool Truncated, double GcPauseSeconds, int Gen2Collections, double CpuSeconds, string? Violated)
{
    public double StatesPerSecond => Seconds > 0 ? States / Seconds : 0;

    /// <summary>Bytes allocated (all threads) per distinct state.</summary>
    public double AllocatedPerState => States > 0 ? (double)AllocatedBytes / States : 0;

    /// <summary>Peak managed heap above the heap before the run, per distinct state.</summary>
    public double PeakPerState => States > 0 ? (double)PeakHeapBytes / States : 0;
}

/// <summary>
/// Runs one exhaustive search as <c>tcpspec check</c> does (generated engine, liveness on) and
/// measures wall time, bytes allocated by all threads (<see cref="GC.GetTotalAllocatedBytes"/>)
/// and the peak managed heap, sampled every millisecond and after every BFS level.
/// </summary>
internal static class ExplorationMeasure
{
    public static ExplorationSample Run(Scenario scenario, Budgets budgets, int workers, long maxStates = 20_000_000)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long baseHeap = GC.GetTotalMemory(true);
        long peak = baseHeap;
        void Sample()
        {
            long now = GC.GetTotalMemory(false);
            long seen;
            while (now > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen) { }
        }
        using var done = new ManualResetEventSlim(false);
        var sampler = new Thread(() =>
        {
            while (!done.Wait(1)) Sample();
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        long allocated0 = GC.GetTotalAllocatedBytes(true);
        var pause0 = GC.GetTotalPauseDuration();
        int gen2 = GC.CollectionCount(2);
        sampler.Start();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = ModelChecker.Check(scenario, new CheckOptions { Budgets = budgets, Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = workers, MaxStates = maxStates, Progress = (_, _, _, _) => Sample() }) });
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        Sample();
        done.Set();
        sampler.Join();
        long allocated = GC.GetTotalAllocatedBytes(true) - allocated0;
        return new ExplorationSample(scenario.Name, budgets, workers, result.Stats.States, result.Stats.Transitions, result.Stats.Bounded,
            clock.Elapsed.TotalSeconds, allocated, Math.Max(0, peak - baseHeap), result.Stats.Truncated,
            (GC.GetTotalPauseDuration() - pause0).TotalSeconds, GC.CollectionCount(2) - gen2, cpu.TotalSeconds,
            result.Holds ? null : result.Violations[0].Property);
    }
}
