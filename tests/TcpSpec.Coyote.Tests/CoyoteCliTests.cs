using TcpSpec.Checker;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Strategies;
using Microsoft.Coyote.Actors;
using Microsoft.Coyote.SystematicTesting;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Engines;

namespace TcpSpec.Coyote.Tests;

/// <summary>
/// Test methods for the coyote tool, one per default scenario on the real table:
/// <c>dotnet coyote test tests/TcpSpec.Coyote.Tests/bin/Debug/net10.0/TcpSpec.Coyote.Tests.dll -m TcpSpec.Coyote.Tests.CoyoteCliTests.LostFinalAck -i 100</c>.
/// </summary>
public static class CoyoteCliTests
{
    [Test] public static void ClientClosesFirst(IActorRuntime r) => Start(r, ScenarioCatalog.ClientClosesFirst);
    [Test] public static void ServerClosesFirst(IActorRuntime r) => Start(r, ScenarioCatalog.ServerClosesFirst);
    [Test] public static void SimultaneousOpen(IActorRuntime r) => Start(r, ScenarioCatalog.SimultaneousOpen);
    [Test] public static void SimultaneousOpenAbandoned(IActorRuntime r) => Start(r, ScenarioCatalog.SimultaneousOpenAbandoned);
    [Test] public static void SimultaneousClose(IActorRuntime r) => Start(r, ScenarioCatalog.SimultaneousClose);
    [Test] public static void HalfClose(IActorRuntime r) => Start(r, ScenarioCatalog.HalfClose);
    [Test] public static void Abort(IActorRuntime r) => Start(r, ScenarioCatalog.Abort);
    [Test] public static void ClosedPort(IActorRuntime r) => Start(r, ScenarioCatalog.ClosedPort);
    [Test] public static void OldDuplicateSyn(IActorRuntime r) => Start(r, ScenarioCatalog.OldDuplicateSyn);
    [Test] public static void OldDuplicateSynAck(IActorRuntime r) => Start(r, ScenarioCatalog.OldDuplicateSynAck);
    [Test] public static void LostFinalAck(IActorRuntime r) => Start(r, ScenarioCatalog.LostFinalAck);
    [Test] public static void PeerCrash(IActorRuntime r) => Start(r, ScenarioCatalog.PeerCrash);
    [Test] public static void CloseBeforeHandshake(IActorRuntime r) => Start(r, ScenarioCatalog.CloseBeforeHandshake);

    /// <summary>Not in the default suite: RFC 9293 has no FIN-WAIT-2 timeout, so Coyote reports a violation here.</summary>
    [Test] public static void PeerCrashAnyTime(IActorRuntime r) => Start(r, ScenarioCatalog.PeerCrashAnyTime);

    private static readonly Dictionary<string, (TwoHostModel, ExplorationRecord)> Models = new();

    private static void Start(IActorRuntime runtime, Scenario scenario)
    {
        (TwoHostModel Spec, ExplorationRecord Record) m;
        lock (Models)
        {
            if (!Models.TryGetValue(scenario.Name, out m))
            {
                var spec = new TwoHostModel(GeneratedEngine.Instance, scenario, scenario.Defaults);
                Models[scenario.Name] = m = (spec, new ExplorationRecord(spec));
            }
        }
        CoyoteExplorer.Start(runtime, m.Spec, m.Record);
    }
}
