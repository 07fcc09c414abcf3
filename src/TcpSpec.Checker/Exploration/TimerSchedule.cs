using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Exploration;

/// <summary>
/// Which armed timers may expire next: the model's assumptions about time, in one place.
/// <para>
/// Timed (the default). Every timer has a deadline on the logical clock of <see cref="TimerClock"/>
/// (ticks of one initial RTO). Moves other than expiries take no time. The timer with the
/// earliest deadline expires first; timers with the same deadline expire in any order. A
/// segment takes less than the initial RTO to arrive (or is lost), so an expiry that moves the
/// clock on — by at least one tick, since every duration is whole ticks — comes after every
/// segment of the current incarnations in flight has been delivered or lost: it needs a quiet
/// network. An expiry at the same instant as the previous one (a tie) needs nothing, since the
/// segments sent at that instant are younger than one RTO. Old duplicates (an earlier
/// incarnation's segments, those a scenario starts with) are exempt: the RFC lets them live up
/// to MSL (RFC 9293 §3.4.2). A delayed ACK is shorter than a tick: the clock has it always due
/// now, so it may expire at once and holds back every expiry that would move the clock on.
/// </para>
/// <para>
/// Untimed (<c>--untimed-timers</c>, the over-approximation the checker had before): any armed
/// timer may expire once the network is quiet, whatever its duration, except that 2 MSL ends
/// only when the peer retransmits no more.
/// </para>
/// </summary>
internal static class TimerSchedule
{
    /// <summary>Writes the enabled expiries of <paramref name="w"/> to <paramref name="moves"/> from index <paramref name="n"/>; returns the new count.</summary>
    public static int Enumerate(TwoHostModel model, in World w, Span<Move> moves, int n, bool quiet)
    {
        if (model.Options.UntimedTimers) return Untimed(model, w, moves, n, quiet);
        int earliest = int.MaxValue;
        for (int h = 0; h < 2; h++)
        {
            var armed = w.Host(h).Ep.Timers;
            foreach (var (timer, _) in TcpRuntime.Timeouts)
                if ((armed & timer) != 0) earliest = Math.Min(earliest, w.Clock.Left(h, timer));
        }
        if (earliest == int.MaxValue) return n;
        for (int h = 0; h < 2; h++)
        {
            var armed = w.Host(h).Ep.Timers;
            foreach (var (timer, _) in TcpRuntime.Timeouts)
            {
                if ((armed & timer) == 0 || w.Clock.Left(h, timer) != earliest) continue;
                // --spurious-timeouts: an RTO shorter than the round trip fires with segments in flight.
                bool spurious = timer == TimerKind.Retransmit && model.Options.SpuriousTimeouts;
                if (earliest == 0 || quiet || spurious) moves[n++] = new Move(MoveKind.Timer, (byte)h, (byte)timer);
            }
        }
        return n;
    }

    private static int Untimed(TwoHostModel model, in World w, Span<Move> moves, int n, bool quiet)
    {
        for (int h = 0; h < 2; h++)
        {
            var timers = w.Host(h).Ep.Timers;
            // A delayed ACK (under 0.5 s) goes out before the peer's RTO (at least 1 s) expires.
            bool peerAckDelayed = (w.Host(1 - h).Ep.Timers & TimerKind.DelayedAck) != 0;
            if ((timers & TimerKind.Retransmit) != 0 && ((quiet && !peerAckDelayed) || model.Options.SpuriousTimeouts))
                moves[n++] = new Move(MoveKind.Timer, (byte)h, (byte)TimerKind.Retransmit);
            // MSL assumption: 2 MSL have passed only when no segment of the connection is still in
            // flight and the peer retransmits no more (2 MSL is longer than its retransmissions).
            if ((timers & TimerKind.TimeWait) != 0 && quiet && (w.Host(1 - h).Ep.Timers & TimerKind.Retransmit) == 0)
                moves[n++] = new Move(MoveKind.Timer, (byte)h, (byte)TimerKind.TimeWait);
            if ((timers & TimerKind.User) != 0 && quiet)
                moves[n++] = new Move(MoveKind.Timer, (byte)h, (byte)TimerKind.User);
            // Zero-window probes (RFC 9293 §3.8.6.1): armed only while the peer's window is closed.
            if ((timers & TimerKind.Persist) != 0 && quiet)
                moves[n++] = new Move(MoveKind.Timer, (byte)h, (byte)TimerKind.Persist);
            // Delayed ACKs (RFC 9293 §3.8.6.3): the timer may expire at any moment it is armed.
            if ((timers & TimerKind.DelayedAck) != 0)
                moves[n++] = new Move(MoveKind.Timer, (byte)h, (byte)TimerKind.DelayedAck);
        }
        return n;
    }
}
