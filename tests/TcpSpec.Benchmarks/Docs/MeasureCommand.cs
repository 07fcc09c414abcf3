using TcpSpec.Benchmarks.Exploration;
using TcpSpec.Checker.Scenarios;

namespace TcpSpec.Benchmarks.Docs;

/// <summary>
/// <c>-- measure [runs]</c>: the exploration harness alone, every default scenario with 1 and 2
/// workers, best of a few runs — a quick way to compare checker changes (wall and CPU time,
/// allocation and peak heap per state, garbage collections).
/// </summary>
internal static class MeasureCommand
{
    public static int Run(string[] args)
    {
        int repeat = args.Length > 0 && int.TryParse(args[0], out int n) ? n : 3;
        foreach (int workers in new[] { 1, 2 })
        {
            long states = 0;
            double seconds = 0, cpu = 0;
            foreach (var scenario in ScenarioCatalog.All)
            {
                var m = Enumerable.Range(0, repeat).Select(_ => ExplorationMeasure.Run(scenario, scenario.Defaults, workers)).MinBy(m => m.Seconds)!;
                states += m.States;
                seconds += m.Seconds;
                cpu += m.CpuSeconds;
                Console.WriteLine($"  workers={workers} {m.Scenario,-28} {m.States,9:N0} states {m.Seconds,7:F3}s {m.StatesPerSecond,10:N0}/s cpu {m.CpuSeconds:F3}s " +
                                  $"allocated/state {m.AllocatedPerState,6:N0} B peak/state {m.PeakPerState,6:N0} B gc pause {m.GcPauseSeconds:F3}s gen2 {m.Gen2Collections}");
            }
            Console.WriteLine($"workers={workers}: {states:N0} states in {seconds:F2}s (best of {repeat}): {states / seconds:N0} states/s, cpu {cpu:F2}s; load {DocsCommand.LoadAverage()}");
        }
        return 0;
    }
}
