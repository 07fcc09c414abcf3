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
    /// RTO with exponential backoff: RFC 6298's estimate × 2^backoff, capped (RFC 6298 §5.5). The
    /// backoff survives the ACK of a retransmitted segment (Karn's algorithm, RFC 9293 §3.8.1
    /// MUST-18); the estimate is <see cref="RttEstimator.BaseRto"/> (1 s until a first sample).
    /// </summary>
    public static int Rto(in Endpoint ep, TcpConfig c)
    {
        long rto = (long)RttEstimator.BaseRto(in ep, c) << Math.Min((int)ep.Backoff, 30);
        return (int)Math.Min(rto, c.MaxRtoMs);
    }

    /// <summary>Starts the retransmission timer if it is not running (RFC 6298 §5.1), and the user timer with it.</summary>
    public static void ArmRetransmit(ref TcpContext ctx)
    {
        RttEstimator.StartTiming(ref ctx); // every caller has just sent new sequence space, ending at SND.NXT
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

    /// <summary>
    /// The user read <paramref name="octets"/>: the receive window grows by the space freed
    /// (RCV.WND = RCV.BUFF − unread octets, RFC 9293 §3.8.6). When the window the peer last
    /// learned was too small for a segment — under min(RCV.BUFF / 2, MSS) (at least 1), the threshold of
    /// §3.8.6.2.2 — and the peer may still send, a window update (an ACK) tells it at once;
    /// otherwise it learns the new window from the next ACK. A lost update is recovered by the
    /// peer's zero-window probes (§3.8.6.1).
    /// </summary>
    public static void OpenWindow(ref TcpContext ctx, uint octets)
    {
        ref var ep = ref ctx.Ep;
        ushort before = ep.RcvWnd;
        ep.RcvWnd = (ushort)Math.Min(ctx.Config.ReceiveWindow, before + octets);
        uint threshold = Math.Max(1u, Math.Min(ctx.Config.ReceiveWindow / 2u, ctx.Config.Mss));
        if (before < threshold && ep.RcvWnd >= threshold && ep.Has(EndpointFlags.SynReceived) && !ep.Has(EndpointFlags.FinReceived))
            ctx.AckNeeded = true;
    }

    /// <summary>
    /// Text just accepted (RCV.NXT moved over it): a waiting RECEIVE takes it at once (RFC 9293
    /// §3.10.7.4 seventh; the event's amount is 1 then); otherwise it waits in the receive buffer,
    /// whose free space is the window, so the window's right edge stays put (§3.8.6, SHLD-14).
    /// </summary>
    public static void TakeText(ref TcpContext ctx, uint accept)
    {
        if (ctx.Amount == 1)
        {
            ctx.Fx.Notify(new Notice(NoticeKind.Delivered, 0, accept));
            return;
        }
        ctx.Ep.RcvBuffered += accept;
        ctx.Ep.RcvWnd -= (ushort)accept;
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
