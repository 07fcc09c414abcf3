using TcpSpec.Checker;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Benchmarks.Docs;

/// <summary>
/// <c>-- stress [rounds]</c>: explores every default scenario again and again with 2, 3 and 4
/// workers and requires exactly the numbers of a 1-worker run (states, transitions, endings,
/// bounded, depth, verdict). The exhaustive search merges while other threads expand; this is the
/// test that its concurrency changes nothing.
/// </summary>
internal static class StressCommand
{
    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 && int.TryParse(args[0], out int n) ? n : 10;
        int failures = TableUnderConcurrentReads(4_000_000);
        foreach (var scenario in ScenarioCatalog.All)
        {
            var reference = Summary(ModelChecker.Check(scenario, new CheckOptions { Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = 1 }) }));
            for (int round = 0; round < rounds; round++)
            {
                foreach (int workers in new[] { 2, 3, 4 })
                {
                    string got;
                    try
                    {
                        got = Summary(ModelChecker.Check(scenario, new CheckOptions { Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = workers }) }));
                    }
                    catch (InvalidOperationException ex)
                    {
                        got = "threw " + ex.Message;
                    }
                    if (got != reference)
                    {
                        failures++;
                        Console.Error.WriteLine($"stress: {scenario.Name} with {workers} workers, round {round}: {got}, expected {reference}");
                    }
                }
            }
            Console.WriteLine($"stress: {scenario.Name}: {rounds} rounds x 2, 3, 4 workers: {reference}");
        }
        Console.WriteLine(failures == 0 ? "stress: ok" : $"stress: {failures} difference(s)");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// The fingerprint table alone: one thread adds keys 1..n (growing the table many times) and
    /// publishes how far it got; readers look up keys already added and must find each with its id.
    /// </summary>
    public static int TableUnderConcurrentReads(int n)
    {
        var table = new FingerprintTable();
        static ulong Key(int i) => TcpSpec.Endpoint.Mix((ulong)i) | 1;
        int added = 0, failures = 0;
        long lookups = 0;
        var readers = Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount - 1) + 1).Select(r => Task.Run(() =>
        {
            var rng = new Random(r);
            long done = 0;
            while (Volatile.Read(ref added) < n)
            {
                int upTo = Volatile.Read(ref added);
                if (upTo == 0) continue;
                int i = upTo - rng.Next(Math.Min(upTo, 64));
                try
                {
                    if (!table.TryGet(Key(i), out int id) || id != i)
                    {
                        Interlocked.Increment(ref failures);
                        Console.Error.WriteLine($"stress: fingerprint table: key {i} (added) looked up as {(id < 0 ? "missing" : id)}");
                    }
                }
                catch (IndexOutOfRangeException ex)
                {
                    Interlocked.Increment(ref failures);
                    Console.Error.WriteLine($"stress: fingerprint table: lookup threw {ex.Message}");
                }
                done++;
            }
            Interlocked.Add(ref lookups, done);
        })).ToArray();
        for (int i = 1; i <= n; i++)
        {
            table.GetOrAdd(Key(i), i, out _);
            Volatile.Write(ref added, i);
        }
        Task.WaitAll(readers);
        Console.WriteLine($"stress: fingerprint table: {n:N0} keys added while {readers.Length} threads made {lookups:N0} lookups: {(failures == 0 ? "every added key found with its id" : $"{failures} failure(s)")}");
        return Math.Min(failures, 1_000_000);
    }

    private static string Summary(CheckResult r) =>
        $"{r.Stats.States} states, {r.Stats.Transitions} transitions, {r.Stats.Endings} endings, {r.Stats.Bounded} bounded, depth {r.Stats.MaxDepth}, " +
        (r.Holds ? "holds" : string.Join("+", r.Violations.Select(v => $"{v.Property}@{v.Path.Count}")));
}
