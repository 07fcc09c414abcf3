using System.Globalization;
using System.Runtime.InteropServices;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Cli.Commands;

/// <summary>
/// Ctrl-C and SIGTERM for a long <c>check</c>: the first stops the search cleanly (the command then
/// prints the partial summary and the violations found so far, and writes coverage); a second
/// exits at once with 130. Handled with <see cref="PosixSignalRegistration"/> (SIGINT is Ctrl-C,
/// on Windows too), so the runtime does not kill the process on the first.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly List<PosixSignalRegistration> _registrations = new();
    private readonly TextWriter _stderr;
    private int _signals;

    public Interruption(TextWriter stderr)
    {
        _stderr = stderr;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // SIGTERM where the platform has none: Ctrl-C still works.
            }
        }
    }

    public CancellationToken Token => _cancel.Token;

    public bool Requested => _cancel.IsCancellationRequested;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) > 1)
        {
            _stderr.WriteLine();
            _stderr.WriteLine("tcpspec: interrupted again: exiting now, nothing more is written");
            _stderr.Flush();
            Environment.Exit(Cli.Interrupted);
        }
        _stderr.WriteLine();
        _stderr.WriteLine($"tcpspec: {context.Signal}: stopping the search; the partial results follow (press Ctrl-C again to exit at once)");
        _stderr.Flush();
        _cancel.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cancel.Dispose();
    }
}

/// <summary>
/// The live progress line of an exhaustive search, on stderr so stdout stays the report: on a
/// terminal one line rewritten in place; otherwise a plain line each time.
/// </summary>
internal sealed class ProgressLine(TextWriter stderr, bool terminal)
{
    private bool _open;

    /// <summary>Whether <paramref name="stderr"/> is the process's stderr on a terminal.</summary>
    public static bool IsTerminal(TextWriter stderr) => ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;

    public static string Text(string scenario, SearchProgress p) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{scenario}: {p.States:N0} states, {p.States / Math.Max(p.Seconds, 1e-9):N0} states/s, frontier {p.Frontier:N0}, depth {p.Depth}, memory {RunLimits.Size(p.MemoryBytes)}, {TimeSpan.FromSeconds(Math.Floor(p.Seconds)):c}");

    /// <summary>The reporter of one scenario's search; scenarios running side by side share the line (a lock keeps their writes whole).</summary>
    public Action<SearchProgress> For(string scenario) => p =>
    {
        string text = Text(scenario, p);
        lock (this)
        {
            if (terminal)
            {
                stderr.Write($"\r{text}\u001b[K");
                _open = true;
            }
            else stderr.WriteLine($"  {text}");
            stderr.Flush();
        }
    };

    /// <summary>Ends the rewritten line before other output.</summary>
    public void Done()
    {
        lock (this)
        {
            if (!_open) return;
            stderr.Write("\r\u001b[K");
            stderr.Flush();
            _open = false;
        }
    }
}

/// <summary>Parses the sizes <c>--max-memory</c> takes: bytes, or a number with K, M, G, T (binary units, an optional "iB"/"B").</summary>
internal static class MemorySize
{
    public static long Parse(string text, string option)
    {
        string t = text.Trim();
        long unit = 1;
        string upper = t.ToUpperInvariant();
        foreach (var (suffix, size) in new[] { ("T", 1L << 40), ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10) })
        {
            foreach (var form in new[] { suffix + "IB", suffix + "B", suffix })
            {
                if (upper.EndsWith(form, StringComparison.Ordinal))
                {
                    unit = size;
                    t = t[..^form.Length].TrimEnd();
                    goto parsed;
                }
            }
        }
    parsed:
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || v <= 0 || double.IsInfinity(v * unit))
            throw new UsageException($"{option} must be a positive size such as 4G, 512M or 1073741824, not '{text}'");
        return (long)Math.Min(v * unit, long.MaxValue);
    }
}
