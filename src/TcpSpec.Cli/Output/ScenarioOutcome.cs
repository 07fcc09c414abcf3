using TcpSpec.Checker.Model;
using TcpSpec.Checker.Output;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Cli.Output;

/// <summary>What checking one scenario came to: a result with the files of its violations, the reason the table cannot start it, or the move on which the engine threw.</summary>
internal sealed record ScenarioOutcome(Scenario Scenario, CheckResult? Result, IReadOnlyList<CounterexampleFiles> Files, string? CannotStart, EngineCrashedException? Crash = null);
