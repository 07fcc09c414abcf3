namespace TcpSpec.Conformance.Observer;

/// <summary>How hard the observer looks, and what it may assume about the capture.</summary>
public sealed record ObserverOptions
{
    /// <summary>The most candidates kept per endpoint; beyond it the set is cut (and the verdict says so).</summary>
    public int MaxCandidates { get; init; } = 256;

    /// <summary>The most user calls and timeouts assumed between two segments an endpoint sends.</summary>
    public int HiddenDepth { get; init; } = 3;

    /// <summary>How many captured segments may have been lost after the capture point, per endpoint (0: none).</summary>
    public int Loss { get; init; }

    /// <summary>Whether segments captured shortly before one an endpoint sends may not have reached it yet (they crossed).</summary>
    public bool Crossing { get; init; } = true;

    /// <summary>
    /// The shortest TIME-WAIT the observer believes (2 MSL; RFC 9293 §3.6.1 MUST-13), in seconds:
    /// a 4-tuple used again sooner than this after its previous incarnation's last segment, while
    /// that incarnation's endpoint is in TIME-WAIT, reaches the TIME-WAIT TCB, not a new listener.
    /// RFC 9293 takes MSL to be 2 minutes; stacks wait 30 s to 4 minutes (Linux 60 s), so one
    /// second is far on the safe side.
    /// </summary>
    public double MinTimeWait { get; init; } = 1.0;
}
