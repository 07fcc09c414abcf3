using TcpSpec.Checker;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Strategies;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.SystematicTesting;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Output;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Engines;

namespace TcpSpec.Coyote;

/// <summary>
/// Entry points for the <c>coyote</c> command-line tool (<c>dotnet coyote test|replay ASSEMBLY -m METHOD</c>).
/// <see cref="FromReplayFile"/> rebuilds the model of a counterexample that <c>tcpspec check
/// --explorer coyote</c> wrote, so <c>coyote replay</c> can re-execute its <c>.coyote.trace</c>.
/// </summary>
public static class CoyoteTests
{
    /// <summary>The environment variable naming the <c>.replay.json</c> written beside a <c>.coyote.trace</c>.</summary>
    public const string ReplayFileVariable = "TCPSPEC_REPLAY_FILE";

    private static readonly Lazy<(TwoHostModel Spec, ExplorationRecord Record)> FromFile = new(Load);

    /// <summary>The model of the replay file named by <c>TCPSPEC_REPLAY_FILE</c> (its table, scenario and budgets), explored by the actors.</summary>
    [Test]
    public static void FromReplayFile(IActorRuntime runtime) => CoyoteExplorer.Start(runtime, FromFile.Value.Spec, FromFile.Value.Record);

    private static (TwoHostModel, ExplorationRecord) Load()
    {
        string path = Environment.GetEnvironmentVariable(ReplayFileVariable)
            ?? throw new InvalidOperationException($"set {ReplayFileVariable} to the .replay.json written beside the .coyote.trace");
        var replay = ReplayFile.Parse(File.ReadAllText(path), path);
        var scenario = ScenarioCatalog.Find(replay.Scenario) ?? throw new InvalidOperationException($"{path}: unknown scenario '{replay.Scenario}'");
        IEngine engine = GeneratedEngine.Instance;
        if (replay.Spec is not null)
        {
            engine = InterpretedEngine.Load(replay.Spec, out var diagnostics)
                ?? throw new InvalidOperationException($"{replay.Spec} does not compile: {string.Join("; ", diagnostics)}");
        }
        var spec = new TwoHostModel(engine, scenario, replay.Budgets.ToBudgets(), replay.ToModelOptions());
        return (spec, new ExplorationRecord(spec));
    }
}
