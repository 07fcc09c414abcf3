using Microsoft.Coyote.Actors;

namespace TcpSpec.Coyote.Actors;

/// <summary>Creates a mover actor: the shared model and which moves are its own.</summary>
internal sealed class SetupEvent(SharedWorld world, MoveSource source) : Event
{
    public SharedWorld World { get; } = world;
    public MoveSource Source { get; } = source;
}

/// <summary>"Look for a move of yours." Each awake actor has exactly one pending; an idle actor has none.</summary>
internal sealed class StepEvent : Event
{
    public static readonly StepEvent Instance = new();
}
