using BenchmarkDotNet.Running;
using TcpSpec.Benchmarks;
using TcpSpec.Benchmarks.Docs;

// dotnet run -c Release --project tests/TcpSpec.Benchmarks -- docs [--short] [--out DIR]   everything, then docs/benchmarks.md and the plot
// dotnet run -c Release --project tests/TcpSpec.Benchmarks -- smoke                        every body a few times, no BenchmarkDotNet (CI)
// dotnet run -c Release --project tests/TcpSpec.Benchmarks -- measure [runs] | parts | stress    the checker alone: per scenario; per part of a transition; concurrency
// dotnet run -c Release --project tests/TcpSpec.Benchmarks -- property-costs                each property's CheckStep, ns per transition (client-closes-first 3/2/3)
// dotnet run -c Release --project tests/TcpSpec.Benchmarks -- coyote [budget] [iterations]  Coyote's strategies vs the exhaustive search (a section of docs/benchmarks.md)
// dotnet run -c Release --project tests/TcpSpec.Benchmarks -- scale [configurations] [--baseline DLL]   client-closes-first at growing budgets, child processes (a section of docs/benchmarks.md)
// dotnet run -c Release --project tests/TcpSpec.Benchmarks -- cli [runs]                    the default suite in-process vs the whole tcpspec check process (build src/TcpSpec.Cli -c Release first; a section of docs/benchmarks.md)
// dotnet run -c Release --project tests/TcpSpec.Benchmarks -- mutate [--sample N] [--workers W]  the full `tcpspec mutate` run, timed (a section of docs/benchmarks.md)
// dotnet run -c Release --project tests/TcpSpec.Benchmarks -- [BenchmarkDotNet options]    e.g. --filter '*Dispatch*'
return args.FirstOrDefault() switch
{
    "docs" => DocsCommand.Run(args[1..]),
    "smoke" => SmokeCommand.Run(),
    "measure" => MeasureCommand.Run(args[1..]),
    "parts" => PartsCommand.Run(),
    "property-costs" => PropertyCostCommand.Run(),
    "stress" => StressCommand.Run(args[1..]),
    "coyote" => TcpSpec.Benchmarks.Coyote.CoyoteCommand.Run(args[1..]),
    "scale" => TcpSpec.Benchmarks.Scale.ScaleCommand.Run(args[1..]),
    "cli" => TcpSpec.Benchmarks.Cli.CliCommand.Run(args[1..]),
    "mutate" => TcpSpec.Benchmarks.Mutation.MutateCommand.Run(args[1..]),
    _ => Switch(args),
};

static int Switch(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(SpecTable).Assembly).Run(args);
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}
