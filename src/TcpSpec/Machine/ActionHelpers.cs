namespace TcpSpec;

/// <summary>
/// The helpers actions share to send segments and drive timers (not to be confused with the
/// checker's <c>Output/</c> folder, which writes counterexample files).
/// </summary>
internal static class ActionHelpers
{
    public static void Send(ref TcpContext ctx, in Segment s)
    {
        ctx.Fx.Send(s);
        if (s.IsAck && !s.IsRst) Acknowledged(ref ctx); // it carries the acknowledgment
    }

    /// <summary>A segment carrying ACK = RCV.NXT went out: no acknowledgment is owed or deferred any more (MUST-58, §3.8.6.3).</summary>
    private static void Acknowledged(ref TcpContext ctx)
    {
        ctx.AckNeeded = false;
        ctx.AckDeferrable = 0;
        ctx.Ep.RcvUnacked = 0;
        Cancel(ref ctx, TimerKind.DelayedAck);
    }

    /// <summary>
    /// Defers the ACK of <paramref name="octets"/> of new in-order text if delayed ACKs are on
    /// (RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2 SHLD-18, MUST-40): never past
    /// <see cref="TcpConfig.DelayedAckMs"/> (at most 500 ms) from the first deferred octet, and
    /// never once two full-sized segments' worth is unacknowledged. False: acknowledge now.
    /// </summary>
    public static bool DeferAck(ref TcpContext ctx, uint octets)
    {
        ref var ep = ref ctx.Ep;
        if (ctx.Config.DelayedAckMs <= 0) return false;
        uint unacked = ep.RcvUnacked + octets;
        if (unacked >= 2u * ctx.Config.Mss) return false;
        ep.RcvUnacked = unacked;
        if ((ep.Timers & TimerKind.DelayedAck) == 0) Arm(ref ctx, TimerKind.DelayedAck, ctx.Config.DelayedAckMs);
        return true;
    }

    /// <summary>The payload tag of the send stream's octet at <paramref name="offset"/>.</summary>
    public static uint Tag(in Endpoint ep, uint offset) => ((uint)ep.StreamTag << 24) | (offset & 0x00FF_FFFF);

    /// <summary>
    /// RTO with exponential backoff: initial × 2^backoff, capped (RFC 6298 §5.5). The backoff
    /// survives the ACK of a retransmitted segment (Karn's algorithm, RFC 9293 §3.8.1 MUST-18);
    /// there is no SRTT/RTTVAR because the machine reads no clock (RFC 6298 §2.1's 1 s stands).
    /// </summary>
    public static int Rto(in Endpoint ep, TcpConfig c)
    {
        long rto = (long)c.InitialRtoMs << Math.Min((int)ep.Backoff, 30);
        return (int)Math.Min(rto, c.MaxRtoMs);
    }

    /// <summary>Starts the retransmission timer if it is not running (RFC 6298 §5.1), and the user timer with it.</summary>
    public static void ArmRetransmit(ref TcpContext ctx)
    {
        if ((ctx.Ep.Timers & TimerKind.Retransmit) == 0) Arm(ref ctx, TimerKind.Retransmit, Rto(in ctx.Ep, ctx.Config));
        if (ctx.Config.UserTimeoutMs > 0 && (ctx.Ep.Timers & TimerKind.User) == 0) Arm(ref ctx, TimerKind.User, ctx.Config.UserTimeoutMs);
    }

    /// <summary>Restarts the retransmission timer with the current RTO (RFC 6298 §5.3, §5.6).</summary>
    public static void RestartRetransmit(ref TcpContext ctx) => Arm(ref ctx, TimerKind.Retransmit, Rto(in ctx.Ep, ctx.Config));

    public static void Arm(ref TcpContext ctx, TimerKind t, int ms)
    {
        ctx.Ep.Timers |= t;
        ctx.Fx.Timer(new TimerCommand(t, true, ms));
    }

    public static void Cancel(ref TcpContext ctx, TimerKind t)
    {
        if ((ctx.Ep.Timers & t) == 0) return;
        ctx.Ep.Timers &= ~t;
        ctx.Fx.Timer(new TimerCommand(t, false, 0));
    }

    /// <summary>Deletes the TCB: cancels every timer and clears every variable but the ISN generator and the stream tag.</summary>
    public static void Forget(ref TcpContext ctx)
    {
        Cancel(ref ctx, TimerKind.Retransmit);
        Cancel(ref ctx, TimerKind.TimeWait);
        Cancel(ref ctx, TimerKind.User);
        Cancel(ref ctx, TimerKind.Persist);
        Cancel(ref ctx, TimerKind.DelayedAck);
        ref var ep = ref ctx.Ep;
        var state = ep.State;
        ep = Endpoint.Create(ep.NextIss, ep.StreamTag);
        ep.State = state; // the row's Enter moves it
        ctx.AckNeeded = false;
        ctx.AckDeferrable = 0;
    }
}
