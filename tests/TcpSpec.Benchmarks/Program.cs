using BenchmarkDotNet.Running;
using TcpSpec.Benchmarks;
using TcpSpec.Benchmarks.Dispatch;

if (args.Length > 0 && args[0] == "agree")
{
    var interp = SpecTable.Interpreted();
    foreach (var name in EventStreams.Names)
    {
        var s = EventStreams.Get(name);
        EngineAgreement.AssertStream(s, interp);
        Console.WriteLine($"{name}: {s.Steps.Length} steps, {s.DistinctRows} rows");
    }
    var sw = System.Diagnostics.Stopwatch.StartNew();
    var (cases, missing) = EngineAgreement.CrossCheck(interp);
    Console.WriteLine($"cross-check: {cases} cases, missing rows {string.Join(",", missing)}, {sw.Elapsed.TotalSeconds:F1}s");
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(SpecTable).Assembly).Run(args);
return 0;
