using System.Runtime.InteropServices;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// What a move did, in the few words the properties' first tests use: which kind of move it was,
/// whether a host made an engine step, took a segment, sent one, changed state, was told
/// something. Computed once per explored move (<see cref="Of"/>) from the move and its
/// <see cref="StepLog"/>, never from the table; a property declares in
/// <see cref="IProperty.Interest"/> the facts without which it always holds, and the search
/// judges it only on moves that have one of them.
/// </summary>
[Flags]
public enum StepFacts : uint
{
    None = 0,
    /// <summary>Every move has it: a property interested in it is judged on every move (the default, <see cref="IProperty.Interest"/>).</summary>
    Any = 1 << 0,
    /// <summary>A host's table made an engine step (<see cref="StepLog.Steps"/> is not empty): the only way an endpoint's TCB changes, but for a crash.</summary>
    EngineStep = 1 << 1,
    /// <summary>The engine step took an arriving segment (delivered, delivered again or forged).</summary>
    Arrival = 1 << 2,
    /// <summary>The segment it took is a reset.</summary>
    ResetArrival = 1 << 14,
    /// <summary>A host sent a segment (<see cref="StepLog.Sent"/> is not empty).</summary>
    Sent = 1 << 3,
    /// <summary>A host's user was told something (<see cref="StepLog.Notices"/> is not empty).</summary>
    Notice = 1 << 4,
    /// <summary>Text reached an application (<see cref="StepLog.Text"/> is not empty).</summary>
    Text = 1 << 5,
    /// <summary>A segment established a connection (<see cref="StepLog.Established"/> is not empty).</summary>
    Established = 1 << 6,
    /// <summary>No row decided the event a host met (<see cref="StepLog.Undecided"/>).</summary>
    Undecided = 1 << 7,
    /// <summary>A host's state (CLOSED, LISTEN, …) differs after the move.</summary>
    StateChange = 1 << 8,
    /// <summary>The move is an application's call: its script's next step or a stray call.</summary>
    UserCall = 1 << 9,
    /// <summary>The move is a retransmission timeout.</summary>
    RetransmitTimeout = 1 << 10,
    /// <summary>The move is a user timeout.</summary>
    UserTimeout = 1 << 11,
    /// <summary>The move is a delayed-ACK timeout.</summary>
    DelayedAckTimeout = 1 << 12,
    /// <summary>The move brings a segment that is not part of the live exchange: a forged one (--attack) or an old one delivered again (--stale).</summary>
    Ghost = 1 << 13,
    /// <summary>The move is an ICMP error answering a segment in flight (--icmp).</summary>
    IcmpError = 1 << 15,
    /// <summary>Nothing is in flight after the move: the network is quiet.</summary>
    Quiet = 1 << 16,
}

/// <summary>Computes a move's <see cref="StepFacts"/>, once per explored move.</summary>
public static class Facts
{
    /// <summary>The facts of <paramref name="move"/> from <paramref name="before"/> to <paramref name="after"/>, which <paramref name="log"/> recorded.</summary>
    public static StepFacts Of(in World before, Move move, in World after, StepLog log)
    {
        var facts = StepFacts.Any;
        if (log.Steps.Count != 0)
        {
            facts |= StepFacts.EngineStep;
            ref readonly var step = ref CollectionsMarshal.AsSpan(log.Steps)[0];
            if (step.Segment is { } seg) facts |= seg.IsRst ? StepFacts.Arrival | StepFacts.ResetArrival : StepFacts.Arrival;
        }
        if (log.Sent.Count != 0) facts |= StepFacts.Sent;
        if (log.Notices.Count != 0) facts |= StepFacts.Notice;
        if (log.Text.Count != 0) facts |= StepFacts.Text;
        if (log.Established.Count != 0) facts |= StepFacts.Established;
        if (log.Undecided is not null) facts |= StepFacts.Undecided;
        if (before.A.Ep.State != after.A.Ep.State || before.B.Ep.State != after.B.Ep.State) facts |= StepFacts.StateChange;
        if (after.Net.Count == 0) facts |= StepFacts.Quiet;
        switch (move.Kind)
        {
            case MoveKind.App or MoveKind.Call:
                facts |= StepFacts.UserCall;
                break;
            case MoveKind.Timer:
                facts |= (TimerKind)move.Index switch
                {
                    TimerKind.Retransmit => StepFacts.RetransmitTimeout,
                    TimerKind.User => StepFacts.UserTimeout,
                    TimerKind.DelayedAck => StepFacts.DelayedAckTimeout,
                    _ => StepFacts.None,
                };
                break;
            case MoveKind.Inject or MoveKind.Stale:
                facts |= StepFacts.Ghost;
                break;
            case MoveKind.Icmp:
                facts |= StepFacts.IcmpError;
                break;
        }
        return facts;
    }
}
