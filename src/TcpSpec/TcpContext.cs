namespace TcpSpec;

/// <summary>
/// Everything a guard or action sees during one step: the endpoint (by reference, so actions
/// change it in place), the event's arguments and where outputs go. A ref struct: it lives on
/// the stack for one dispatch and is never stored.
/// </summary>
public ref struct TcpContext
{
    public ref Endpoint Ep;
    public readonly TcpConfig Config;
    public readonly Effects Fx;
    public readonly TcpEvent Event;

    /// <summary>The arriving segment (default for user calls and timeouts).</summary>
    public readonly Segment Seg;

    /// <summary>SEND: octets to send; RECEIVE: the most octets wanted; OPEN-PASSIVE: 1 if the foreign socket is specified; a segment: 1 if a RECEIVE is waiting for its text.</summary>
    public readonly uint Amount;

    /// <summary>Set by actions that acknowledge; one ACK goes out at the end of the step unless a sent segment carried it (MUST-58).</summary>
    internal bool AckNeeded;

    /// <summary>The time of this step in ms, when the runtime has a clock (<see cref="TcpRuntime.Now"/>): RTT samples need it.</summary>
    internal long? Now;
    /// <summary>Octets of new in-order text this step accepted whose ACK may be deferred (RFC 9293 §3.8.6.3); AckNeeded overrides it.</summary>
    internal uint AckDeferrable;

    public TcpContext(ref Endpoint ep, TcpConfig config, Effects fx, TcpEvent @event, in Segment seg, uint amount)
    {
        Ep = ref ep;
        Config = config;
        Fx = fx;
        Event = @event;
        Seg = seg;
        Amount = amount;
        AckNeeded = false;
        Now = null;
        AckDeferrable = 0;
    }
}
