using TcpSpec.Checker;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using System.Diagnostics;
using Microsoft.Coyote;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.Logging;
using Microsoft.Coyote.SystematicTesting;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Coyote.Actors;
using TcpSpec.Coyote.Monitors;

namespace TcpSpec.Coyote;

/// <summary>What a Coyote exploration produced: the checker's result (same summary, same outputs) and Coyote's own.</summary>
/// <param name="Report">Coyote's test report (iterations, steps, bugs).</param>
/// <param name="BugReport">Coyote's description of the bug, or null.</param>
/// <param name="ReproducibleTrace">Coyote's <c>.trace</c> of the buggy iteration (for <c>coyote replay</c> and <c>tcpspec replay</c>), or null.</param>
/// <param name="ReadableTrace">Coyote's readable log of the buggy iteration, or null.</param>
public sealed record CoyoteRun(CheckResult Result, ExplorationRecord Record, string Report, string? BugReport, string? ReproducibleTrace, string? ReadableTrace);

/// <summary>
/// Runs the model under Coyote's <see cref="TestingEngine"/>: two host actors and a network
/// actor over the checker's model, the checker's properties as monitors.
/// </summary>
public static class CoyoteExplorer
{
    /// <summary>The test body Coyote runs each iteration: registers the monitors, creates the three actors over a fresh world.</summary>
    public static void Start(IActorRuntime runtime, TwoHostModel spec, ExplorationRecord record)
    {
        runtime.RegisterMonitor<SafetyMonitor>();
        runtime.RegisterMonitor<LivenessMonitor>();
        var shared = new SharedWorld(spec, record);
        var kinds = new[] { typeof(HostActor), typeof(HostActor), typeof(NetworkActor) };
        for (int i = 0; i < MoveSources.Count; i++) shared.Actors[i] = runtime.CreateActorId(kinds[i], ((MoveSource)i).ToString());
        for (int i = 0; i < MoveSources.Count; i++) runtime.CreateActor(shared.Actors[i], kinds[i], new SetupEvent(shared, (MoveSource)i));
    }

    /// <summary>Explores; stops at the first bug. <paramref name="log"/> gets Coyote's log (null: nowhere).</summary>
    public static CoyoteRun Run(TwoHostModel spec, CoyoteOptions options, ILogger? log = null) =>
        Execute(spec, options.ToConfiguration(), options.Describe(), log);

    /// <summary>Re-executes Coyote's <c>.trace</c> of a buggy iteration.</summary>
    public static CoyoteRun Replay(TwoHostModel spec, string reproducibleTrace, ILogger? log = null) =>
        Execute(spec, Configuration.Create().WithTelemetryEnabled(false).WithConsoleLoggingEnabled(false).WithReproducibleTrace(reproducibleTrace), "coyote-replay", log);

    private static CoyoteRun Execute(TwoHostModel spec, Configuration configuration, string strategy, ILogger? log)
    {
        var record = new ExplorationRecord(spec);
        var clock = Stopwatch.StartNew();
        using var engine = TestingEngine.Create(configuration, (IActorRuntime runtime) => Start(runtime, spec, record));
        engine.SetLogger(log ?? new NullLogger());
        engine.Run();
        clock.Stop();
        var report = engine.TestReport;
        string? bug = report.NumOfFoundBugs > 0 ? string.Join("\n", report.BugReports) : null;
        var violation = record.Violation ?? (bug is null ? null : Livelock(spec, record, bug));
        var stats = new CheckStats
        {
            States = record.Worlds.Count,
            Transitions = record.Moves,
            MaxDepth = record.MaxDepth,
            Endings = record.Endings,
            Bounded = record.Bounded,
            Seconds = clock.Elapsed.TotalSeconds,
            PeakMemoryBytes = Process.GetCurrentProcess().PeakWorkingSet64,
            Workers = 1,
            Iterations = report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths,
        };
        var result = new CheckResult(spec, ScenarioCatalog.PropertiesOf(spec.Scenario), strategy, stats, violation is null ? Array.Empty<Violation>() : new[] { violation }, record.Coverage);
        return new CoyoteRun(result, record, report.GetText(configuration, "..."), bug,
            bug is null ? null : engine.ReproducibleTrace, bug is null ? null : engine.ReadableTrace);
    }

    /// <summary>
    /// A liveness bug Coyote found (the liveness monitor stayed hot): the run of the buggy
    /// iteration, cut where its last world repeats an earlier one, as a lasso.
    /// </summary>
    private static Violation Livelock(TwoHostModel spec, ExplorationRecord record, string bug)
    {
        var path = record.Current?.Path ?? new List<Move>();
        var stepper = new Stepper(spec);
        var w = spec.Initial;
        var seen = new Dictionary<ulong, int> { [w.Hash64()] = 0 };
        for (int i = 0; i < path.Count; i++)
        {
            stepper.Apply(ref w, path[i]);
            ulong h = w.Hash64();
            if (seen.TryGetValue(h, out int start)) return new Violation(LivenessMonitor.Property, $"a cycle the run never leaves (Coyote: {bug.Trim()})", path.Take(i + 1).ToList(), start);
            seen[h] = i + 1;
        }
        return new Violation(LivenessMonitor.Property, $"no ending reached (Coyote: {bug.Trim()})", path.ToList());
    }
}
