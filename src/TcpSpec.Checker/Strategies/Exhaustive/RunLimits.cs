using System.Diagnostics;

namespace TcpSpec.Checker.Strategies;

/// <summary>Where a running exhaustive search is, as its live progress line shows it.</summary>
/// <param name="Frontier">Worlds found and not yet expanded (the rest of this level and what the next one has so far).</param>
/// <param name="MemoryBytes">The process's resident memory.</param>
public readonly record struct SearchProgress(long States, long Transitions, long Frontier, int Depth, long MemoryBytes, double Seconds);

/// <summary>
/// The run controls of an exhaustive search, checked as it merges (every chunk, not once a
/// level): the memory cap (the state cap is checked exactly, as states are added) (the process's resident memory, read at most every
/// 20 ms), cancellation (Ctrl-C), and the live progress report (once per
/// <see cref="ExhaustiveOptions.ProgressInterval"/>).
/// </summary>
public sealed class RunLimits(ExhaustiveOptions options, Stopwatch clock)
{
    private const long MemoryReadTicks = 20 * TimeSpan.TicksPerMillisecond;
    private long _lastMemoryRead = -MemoryReadTicks, _lastProgress;
    private long _memory;

    /// <summary>The resident memory at the last read.</summary>
    public long Memory => _memory;

    /// <summary>The highest resident memory read.</summary>
    public long PeakMemory { get; private set; }

    /// <summary>Why the search must stop now, or null to go on.</summary>
    public string? Check(long states, long transitions, long frontier, int depth)
    {
        if (options.Cancel.IsCancellationRequested) return "interrupted";
        long now = clock.Elapsed.Ticks;
        if (now - _lastMemoryRead >= MemoryReadTicks)
        {
            _lastMemoryRead = now;
            _memory = Environment.WorkingSet;
            PeakMemory = Math.Max(PeakMemory, _memory);
            if (_memory >= options.MaxMemoryBytes) return $"--max-memory {Size(options.MaxMemoryBytes)} (resident {Size(_memory)})";
        }
        if (options.OnProgress is { } report && now - _lastProgress >= options.ProgressInterval.Ticks)
        {
            _lastProgress = now;
            report(new SearchProgress(states, transitions, frontier, depth, _memory, clock.Elapsed.TotalSeconds));
        }
        return null;
    }

    /// <summary>Bytes in binary units, as the options take them: "1.5 GiB".</summary>
    public static string Size(long bytes) =>
        bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):0.#} GiB" : bytes >= 1L << 20 ? $"{bytes / (double)(1L << 20):0.#} MiB" : $"{bytes:N0} B";

    /// <summary>The default memory cap: three quarters of the memory this process may use (physical memory, or a container's limit).</summary>
    public static long DefaultMaxMemory()
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return available > 0 ? available / 4 * 3 : long.MaxValue;
    }
}
