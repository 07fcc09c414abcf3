using TcpSpec.Checker.Exploration;

namespace TcpSpec.Coyote.Actors;

/// <summary>
/// Which actor makes a move of the checker's model: each host owns its application steps (stray calls too), its
/// timers and its crash; the network owns every delivery, loss and duplication.
/// </summary>
public enum MoveSource
{
    HostA,
    HostB,
    Network,
}

internal static class MoveSources
{
    public const int Count = 3;

    public static MoveSource Of(Move m) => m.Kind switch
    {
        MoveKind.App or MoveKind.Call or MoveKind.Timer or MoveKind.Crash => (MoveSource)m.Host,
        _ => MoveSource.Network,
    };
}
