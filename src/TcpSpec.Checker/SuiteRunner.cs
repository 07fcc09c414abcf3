using TcpSpec.Checker.Model;

namespace TcpSpec.Checker;

/// <summary>
/// How a suite of scenarios shares the worker threads: scenarios are independent, so with more
/// scenarios than workers each runs on one worker, as many side by side as there are workers
/// (measured: docs/benchmarks.md, "The command and its benchmark" — one worker a scenario scales
/// better than two workers on one search, whose merge is single-threaded). A single scenario gets
/// every worker. <c>--workers</c> is the total either way. <c>TCPSPEC_LANES</c> overrides the
/// number of scenarios side by side (1: one after the other, each with every worker), for
/// measuring.
/// </summary>
public readonly record struct SuitePlan(int Lanes, int WorkersPerScenario)
{
    public static SuitePlan For(int scenarios, int workers, bool parallel = true)
    {
        workers = Math.Max(1, workers);
        int lanes = parallel ? Math.Clamp(Math.Min(workers, scenarios), 1, workers) : 1;
        if (parallel && int.TryParse(Environment.GetEnvironmentVariable("TCPSPEC_LANES"), out int forced) && forced >= 1) lanes = Math.Min(forced, workers);
        return new SuitePlan(lanes, Math.Max(1, workers / lanes));
    }

    /// <summary>For the summary: "2 scenarios side by side, 1 worker each" or "2 worker(s) a scenario".</summary>
    public string Describe(int workersOfAScenario) => Lanes > 1
        ? $"{Lanes} scenarios side by side, {WorkersPerScenario} worker(s) each"
        : $"{workersOfAScenario} worker(s) a scenario";
}

/// <summary>One scenario of a suite: its value, what it threw, or neither when an interruption came before it started.</summary>
public sealed record SuiteRun<T>(Scenario Scenario, bool Ran, T? Value, Exception? Error);

/// <summary>
/// Runs a suite's scenarios on <c>lanes</c> threads, each taking the next scenario in catalogue
/// order, and returns the runs in catalogue order: what each scenario finds does not depend on
/// what runs beside it (the searches share nothing), so the results are those of running them
/// one after the other. Once <c>cancel</c> is set no scenario starts.
/// </summary>
public static class SuiteRunner
{
    public static IReadOnlyList<SuiteRun<T>> Run<T>(IReadOnlyList<Scenario> scenarios, int lanes, CancellationToken cancel, Func<Scenario, T> check)
    {
        var runs = new SuiteRun<T>[scenarios.Count];
        int next = -1;
        void Lane()
        {
            for (int i; (i = Interlocked.Increment(ref next)) < scenarios.Count;)
            {
                var s = scenarios[i];
                if (cancel.IsCancellationRequested)
                {
                    runs[i] = new SuiteRun<T>(s, false, default, null);
                    continue;
                }
                try
                {
                    runs[i] = new SuiteRun<T>(s, true, check(s), null);
                }
                catch (Exception ex)
                {
                    runs[i] = new SuiteRun<T>(s, true, default, ex);
                }
            }
        }
        lanes = Math.Clamp(lanes, 1, Math.Max(1, scenarios.Count));
        var threads = Enumerable.Range(1, lanes - 1).Select(k => new Thread(Lane) { Name = $"tcpspec scenario lane {k}", IsBackground = true }).ToList();
        foreach (var t in threads) t.Start();
        Lane();
        foreach (var t in threads) t.Join();
        return runs;
    }
}
