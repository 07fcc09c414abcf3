using System.Diagnostics;
using BenchmarkDotNet.Environments;
using TcpSpec.Benchmarks.Dispatch;
using TcpSpec.Benchmarks.Exploration;
using TcpSpec.Benchmarks.Generator;
using TcpSpec.Checker.Scenarios;

namespace TcpSpec.Benchmarks.Docs;

/// <summary>
/// <c>-- smoke</c>, for CI: every benchmark body a few times without BenchmarkDotNet, the
/// engines' agreement (streams and the cross-check over every row), zero allocation per event,
/// the fingerprint table under concurrent lookups, and the report writers on the rough timings (into a temporary directory, never docs/). Seconds.
/// </summary>
internal static class SmokeCommand
{
    public static int Run()
    {
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();

        // Dispatch: setup (which replays every stream through the three engines), each body, allocations.
        var dispatch = new List<DispatchResult>();
        foreach (var stream in EventStreams.Names)
        {
            var b = new DispatchBenchmarks { Stream = stream };
            b.Setup();
            foreach (var (name, body) in new (string, Func<int>)[]
                     {
                         (DocsEngines.HandWritten, b.HandWritten), (DocsEngines.Generated, b.Generated),
                         (DocsEngines.Interpreted, b.Interpreted), (DocsEngines.FrameOnly, b.FrameOnly),
                     })
            {
                const int Rounds = 20;
                body();
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < Rounds; i++) body();
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                var sw = Stopwatch.StartNew();
                for (int i = 0; i < Rounds; i++) body();
                sw.Stop();
                if (allocated != 0 && name != DocsEngines.FrameOnly) failures.Add($"dispatch {stream} {name}: {allocated} bytes allocated over {Rounds} replays (expected 0)");
                dispatch.Add(new DispatchResult(stream, name, sw.Elapsed.TotalNanoseconds / (Rounds * EventStreams.Length), 0, allocated / (Rounds * EventStreams.Length)));
                Console.WriteLine($"smoke: dispatch {stream,-20} {name,-28} {sw.Elapsed.TotalNanoseconds / (Rounds * EventStreams.Length),7:F1} ns/event, {allocated} B");
            }
        }
        var (cases, missing) = EngineAgreement.CrossCheck(SpecTable.Interpreted());
        Console.WriteLine($"smoke: the three engines agree on {cases:N0} cross-check cases; rows never fired: {(missing.Length == 0 ? "none" : string.Join(", ", missing))}");
        if (missing.Length > 0) failures.Add($"the cross-check does not fire rows {string.Join(", ", missing)}: the hand-written baseline is not checked on them");

        // Generator.
        var generator = new List<GeneratorResult>();
        var g = new GeneratorBenchmarks();
        g.Setup();
        foreach (var (name, body) in new (string, Func<int>)[] { ("full run", g.FullRun), ("incremental run (unrelated edit)", g.IncrementalRun) })
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 3; i++) body();
            generator.Add(new GeneratorResult(name, sw.Elapsed.TotalMicroseconds / 3, 0, null));
            Console.WriteLine($"smoke: generator {name}: {sw.Elapsed.TotalMilliseconds / 3:F2} ms");
        }

        // Exploration: each scenario and worker count once (after the setup's own run), then the measured harness.
        var exploration = new List<ExplorationResult>();
        var samples = new List<ExplorationSample>();
        foreach (var scenario in ScenarioCatalog.All)
        {
            foreach (int workers in new[] { 1, 2 })
            {
                var e = new ExplorationBenchmarks { Scenario = scenario.Name, Workers = workers };
                e.Setup();
                var sw = Stopwatch.StartNew();
                long states = e.Check();
                sw.Stop();
                var sample = ExplorationMeasure.Run(scenario, scenario.Defaults, workers);
                if (sample.States != states) failures.Add($"exploration {scenario.Name}: {states} states in the benchmark body, {sample.States} in the harness");
                samples.Add(sample);
                exploration.Add(new ExplorationResult(scenario.Name, workers, states, sample.Transitions, sw.Elapsed.TotalSeconds, 0, sample.AllocatedBytes, Math.Min(sw.Elapsed.TotalSeconds, sample.Seconds)));
            }
            Console.WriteLine($"smoke: exploration {scenario.Name}: {samples[^1].States:N0} states");
        }
        var growth = GrowthSweep.Run(workers: 2, repeat: 1, small: true, Console.WriteLine);
        // The merge adds fingerprints while other threads look them up.
        if (StressCommand.TableUnderConcurrentReads(1_000_000) != 0) failures.Add("the fingerprint table failed a lookup during concurrent additions");

        // The writers, on these rough numbers, into a temporary directory.
        string dir = Path.Combine(Path.GetTempPath(), "tcpspec-benchmarks-smoke");
        DocsCommand.Write(new BenchmarkResults
        {
            Machine = [.. HostEnvironmentInfo.GetCurrent().ToFormattedString(), $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}"],
            Command = "smoke",
            Jobs = "Smoke run: rough Stopwatch timings, no BenchmarkDotNet.",
            Started = DateTimeOffset.UtcNow,
            Duration = clock.Elapsed,
            LoadBefore = DocsCommand.LoadAverage(),
            LoadAfter = DocsCommand.LoadAverage(),
            Dispatch = dispatch,
            Streams = EventStreams.Names.ToDictionary(n => n, n => (EventStreams.Get(n).Steps.Length, EventStreams.Get(n).DistinctRows)),
            CrossCheck = (cases, TcpMachine.RowCount - missing.Length),
            Generator = generator,
            Exploration = exploration,
            ExplorationSamples = samples,
            Growth = growth.Select(x => (x.Scenario.Name, x.Points)).ToList(),
            RawTables = [],
        }, dir);
        string md = File.ReadAllText(Path.Combine(dir, "benchmarks.md"));
        string svg = File.ReadAllText(Path.Combine(dir, "benchmarks-growth.svg"));
        foreach (var heading in new[] { "## Machine", "## Targets", "## Dispatch", "## Exploration", "## Growth", "## Generator" })
            if (!md.Contains(heading, StringComparison.Ordinal)) failures.Add($"the report lacks '{heading}'");
        if (!svg.StartsWith("<svg", StringComparison.Ordinal) || !svg.Contains("<polyline", StringComparison.Ordinal)) failures.Add("the growth plot has no lines");

        foreach (var f in failures) Console.Error.WriteLine("smoke: FAILED: " + f);
        Console.WriteLine($"smoke: {(failures.Count == 0 ? "ok" : $"{failures.Count} failure(s)")} in {clock.Elapsed.TotalSeconds:F1}s (report written to {dir})");
        return failures.Count == 0 ? 0 : 1;
    }
}
