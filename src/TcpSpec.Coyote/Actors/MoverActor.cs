using Microsoft.Coyote.Actors;
using TcpSpec.Checker.Exploration;
using TcpSpec.Coyote.Monitors;

namespace TcpSpec.Coyote.Actors;

/// <summary>
/// An actor that makes the moves of one source of the model. On each <see cref="StepEvent"/>
/// it chooses one of its enabled moves with Coyote's controlled nondeterminism, applies it
/// through the checker's stepper, tells the monitors (before any send: a send is a scheduling
/// point) and wakes the actors that were idle, since the move may have enabled theirs. An actor
/// with nothing to do goes idle; when all three are idle no move is enabled at all: the run has
/// ended, and the monitors judge the ending. Which actor steps next is Coyote's scheduling.
/// </summary>
internal abstract class MoverActor : Actor
{
    protected SharedWorld Shared { get; private set; } = null!;
    protected MoveSource Source { get; private set; }

    protected override Task OnInitializeAsync(Event initialEvent)
    {
        var setup = (SetupEvent)initialEvent;
        Shared = setup.World;
        Source = setup.Source;
        SendEvent(Id, StepEvent.Instance);
        return Task.CompletedTask;
    }

    /// <summary>Picks one of <paramref name="moves"/> (never empty) with Coyote's RandomInteger/RandomBoolean.</summary>
    protected abstract Move Choose(List<Move> moves);

    protected void OnStep()
    {
        var moves = Shared.MovesOf(Source);
        if (moves.Count == 0)
        {
            Shared.Idle[(int)Source] = true;
            if (Shared.Idle.All(i => i)) End();
            return;
        }
        var m = Choose(moves);
        var before = Shared.Apply(m);
        Monitor<SafetyMonitor>(new MoveApplied(Shared, before, m, Shared.World, Shared.Log));
        for (int i = 0; i < MoveSources.Count; i++)
        {
            if (!Shared.Idle[i]) continue;
            Shared.Idle[i] = false;
            SendEvent(Shared.Actors[i], StepEvent.Instance);
        }
        SendEvent(Id, StepEvent.Instance);
    }

    private void End()
    {
        if (Shared.OutOfBounds)
        {
            Shared.Record.Bounded++;
            Monitor<LivenessMonitor>(RunBounded.Instance);
            return;
        }
        Shared.Record.Endings++;
        var ended = new RunEnded(Shared, Shared.World);
        Monitor<SafetyMonitor>(ended);
        Monitor<LivenessMonitor>(ended);
    }

    /// <summary>A uniform choice among <paramref name="count"/> options; no scheduling decision when there is one.</summary>
    protected int Pick(int count) => count == 1 ? 0 : RandomInteger(count);
}

/// <summary>A host: its application script's next step, its armed timers that may fire, its crash and restart.</summary>
[OnEventDoAction(typeof(StepEvent), nameof(OnStep))]
internal sealed class HostActor : MoverActor
{
    protected override Move Choose(List<Move> moves) => moves[Pick(moves.Count)];
}

/// <summary>
/// The network: owns the segments in flight (the world's multiset). It picks any segment
/// (reordering), then its fate: delivered, or — within the scenario's budgets — lost or duplicated.
/// The hostile network's moves (an old segment delivered again, a forged one) are further
/// choices beside the segments in flight, one each.
/// </summary>
[OnEventDoAction(typeof(StepEvent), nameof(OnStep))]
internal sealed class NetworkActor : MoverActor
{
    protected override Move Choose(List<Move> moves)
    {
        var hostile = moves.Where(m => m.Kind is MoveKind.Stale or MoveKind.Inject).ToList();
        var inFlight = moves.Where(m => m.Kind is not (MoveKind.Stale or MoveKind.Inject)).ToList();
        int segments = inFlight.Count == 0 ? 0 : Shared.World.Net.Count;
        int choice = Pick(segments + hostile.Count);
        if (choice >= segments) return hostile[choice - segments];
        var fates = inFlight.Where(m => m.Index == choice).ToList();
        return fates[Pick(fates.Count)];
    }
}
