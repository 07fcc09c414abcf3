using TcpSpec.Checker;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Coyote;

/// <summary>
/// What Coyote's runs saw, summed over the iterations of one exploration: the distinct worlds
/// and endpoint pairs (for the soundness cross-check against the exhaustive search), row and
/// cell coverage, counts, and the first violation a monitor reported with the run that shows it.
/// </summary>
public sealed class ExplorationRecord
{
    public ExplorationRecord(TwoHostModel spec)
    {
        Coverage = new Coverage(spec.Engine.Rows.Count, spec.Engine.StateNames.Count, TcpMachine.EventNames.Count);
        foreach (var step in spec.SetupSteps) Coverage.Record(step);
    }

    public Coverage Coverage { get; }

    /// <summary>Fingerprints (<see cref="World.Hash64"/>) of every world a run reached.</summary>
    public HashSet<ulong> Worlds { get; } = new();

    /// <summary>Every pair of endpoints (A's, B's: the TCBs alone, <see cref="Endpoint.Hash64"/>) a run reached.</summary>
    public HashSet<(ulong A, ulong B)> EndpointPairs { get; } = new();

    public long Moves { get; internal set; }
    public long Endings { get; internal set; }
    public long Bounded { get; internal set; }
    public int MaxDepth { get; internal set; }

    /// <summary>The first property a monitor found violated, with the moves of its run.</summary>
    public Violation? Violation { get; internal set; }

    /// <summary>The world of the iteration that ran last (the buggy one when Coyote stops on a bug).</summary>
    internal SharedWorld? Current { get; set; }

    internal void Visit(in World w)
    {
        Worlds.Add(w.Hash64());
        EndpointPairs.Add((w.A.Ep.Hash64(), w.B.Ep.Hash64()));
    }

    internal void Found(Violation v) => Violation ??= v;
}
