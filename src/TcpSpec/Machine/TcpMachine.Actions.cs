namespace TcpSpec;

// The actions of spec/tcp.spec.md, named as the table names them. Each changes the endpoint in
// place and writes its outputs to ctx.Fx; none reads a clock or allocates.
public static partial class TcpMachine
{
    internal static partial void ListenPassive(ref TcpContext ctx)
    {
        ref var ep = ref ctx.Ep;
        ep.Flags = EndpointFlags.Passive | (ctx.Amount == 1 ? EndpointFlags.ForeignSpecified : EndpointFlags.None);
        ep.RcvWnd = ctx.Config.ReceiveWindow;
    }

    internal static partial void BecomeActive(ref TcpContext ctx) => ctx.Ep.Flags &= ~EndpointFlags.Passive;

    internal static partial void SelectIss(ref TcpContext ctx)
    {
        ref var ep = ref ctx.Ep;
        ep.Iss = ep.NextIss;
        ep.NextIss += ctx.Config.IssStep;
        ep.SndUna = ep.Iss;
        ep.SndNxt = ep.Iss;
        ep.RcvWnd = ctx.Config.ReceiveWindow;
    }

    internal static partial void SendSyn(ref TcpContext ctx)
    {
        ref var ep = ref ctx.Ep;
        ActionHelpers.Send(ref ctx, new Segment(ep.Iss, 0, TcpFlags.Syn, ep.RcvWnd, 0));
        ep.SndNxt = ep.Iss + 1;
        ActionHelpers.ArmRetransmit(ref ctx);
    }

    internal static partial void AcceptSyn(ref TcpContext ctx)
    {
        ref var ep = ref ctx.Ep;
        var seg = ctx.Seg;
        ep.Irs = seg.Seq;
        ep.RcvNxt = seg.Seq + 1;
        ep.SndWnd = seg.Window;
        ep.MaxSndWnd = seg.Window;
        ep.SndWl1 = seg.Seq;
        ep.SndWl2 = seg.Ack;
        ep.Flags |= EndpointFlags.SynReceived;
        if (ep.RcvWnd == 0) ep.RcvWnd = ctx.Config.ReceiveWindow;
    }

    internal static partial void SendSynAck(ref TcpContext ctx)
    {
        ref var ep = ref ctx.Ep;
        ActionHelpers.Send(ref ctx, new Segment(ep.Iss, ep.RcvNxt, TcpFlags.Syn | TcpFlags.Ack, ep.RcvWnd, 0));
        if (ep.SndNxt == ep.Iss) ep.SndNxt = ep.Iss + 1;
        ActionHelpers.ArmRetransmit(ref ctx);
    }

    // The SYN,ACK again at once, without waiting for the timer and without counting as a retransmission.
    internal static partial void ResendSynAck(ref TcpContext ctx)
    {
        ref var ep = ref ctx.Ep;
        ActionHelpers.Send(ref ctx, new Segment(ep.Iss, ep.RcvNxt, TcpFlags.Syn | TcpFlags.Ack, ep.RcvWnd, 0));
    }

    internal static partial void ProcessAck(ref TcpContext ctx)
    {
        ref var ep = ref ctx.Ep;
        var seg = ctx.Seg;
        if (!seg.IsAck) return;
        if (Seq.Lt(ep.SndUna, seg.Ack) && Seq.Le(seg.Ack, ep.SndNxt))
        {
            ep.SndUna = seg.Ack;
            RttEstimator.Acknowledged(ref ctx, seg.Ack); // an RTT sample, unless Karn's rule stopped the timing
            ep.Retries = 0; // a new segment is at the front: R1 and R2 count afresh (§3.8.3)
            // Karn (MUST-18): only the ACK of a segment sent after the last retransmission clears the backoff.
            if (Seq.Gt(seg.Ack, ep.RetransmitHigh)) ep.Backoff = 0;
            if (ep.SndUna == ep.SndNxt)
            {
                ActionHelpers.Cancel(ref ctx, TimerKind.Retransmit);
                ActionHelpers.Cancel(ref ctx, TimerKind.User);
            }
            else
            {
                ActionHelpers.RestartRetransmit(ref ctx);
            }
        }
        // A peer that answers our retransmissions with a zero window is alive and holding its window
        // closed: the connection stays open (RFC 9293 §3.8.6.1 MUST-37; §3.8.6 SHLD-17).
        else if (seg.Window == 0 && seg.Ack == ep.SndUna && ep.Retries > 0) ep.Retries = 0;
        // Window update, only from a segment not older than the last one used (SND.WL1, SND.WL2).
        if (Seq.Le(ep.SndUna, seg.Ack) && Seq.Le(seg.Ack, ep.SndNxt)
            && (Seq.Lt(ep.SndWl1, seg.Seq) || (ep.SndWl1 == seg.Seq && Seq.Le(ep.SndWl2, seg.Ack))))
        {
            ep.SndWnd = seg.Window;
            ep.SndWl1 = seg.Seq;
            ep.SndWl2 = seg.Ack;
            if (seg.Window > ep.MaxSndWnd) ep.MaxSndWnd = seg.Window; // RFC 5961 §5.2
        }
    }

    // RFC 9293 §3.10.7.4 seventh, with the reassembly queue of first (SHLD-31): text at RCV.NXT is
    // accepted, text beyond it within the window is held, and held text RCV.NXT reaches is accepted
    // after it. New in-order text may have its ACK deferred (§3.8.6.3); everything else is
    // acknowledged at once (RFC 5681 §4.2: an out-of-order segment, or one that fills a gap).
    internal static partial void ReceiveText(ref TcpContext ctx)
    {
        ref var ep = ref ctx.Ep;
        var seg = ctx.Seg;
        ctx.AckDeferrable += Reassembly.AbsorbHeld(ref ctx); // text held on a SYN, processed now (§3.10.7.2 third): new in-order text, its ACK deferrable (§3.8.6.3)
        if (seg.Length == 0) return;
        uint start = seg.TextSeq;
        if (Seq.Gt(start, ep.RcvNxt))
        {
            Reassembly.Hold(ref ep, start, seg.Length, seg.Payload); // beyond RCV.NXT: held, and RCV.NXT acknowledged
            ctx.AckNeeded = true;
            return;
        }
        uint skip = ep.RcvNxt - start;
        uint accept = skip >= seg.Length ? 0 : Math.Min(seg.Length - skip, (uint)ep.RcvWnd);
        if (accept == 0 || skip > 0)
        {
            ctx.AckNeeded = true; // all or part old: a duplicate is acknowledged at once
            if (accept == 0) return;
        }
        ep.RcvNxt += accept;
        ctx.Fx.Notify(new Notice(NoticeKind.TextArrived, seg.Payload + skip, accept));
        ActionHelpers.TakeText(ref ctx, accept);
        // Nothing follows a FIN: held text beyond it is no text of this connection (§3.10.7.4 eighth).
        if (seg.IsFin && skip + accept == seg.Length) Reassembly.Clear(ref ep);
        if (Reassembly.AbsorbHeld(ref ctx) > 0) ctx.AckNeeded = true; // the gap is filled
        else ctx.AckDeferrable += accept;
    }

    // RFC 9293 §3.10.7.2 third and §3.10.7.3 fourth: the text of a SYN is queued for processing
    // once the connection is established; ReceiveText accepts it then.
    internal static partial void HoldText(ref TcpContext ctx)
    {
        var seg = ctx.Seg;
        if (seg.Length > 0) Reassembly.Hold(ref ctx.Ep, seg.TextSeq, seg.Length, seg.Payload);
    }

    internal static partial void ReceiveFin(ref TcpContext ctx)
    {
        ref var ep = ref ctx.Ep;
        ep.RcvNxt += 1;
        ep.Flags |= EndpointFlags.FinReceived;
        ctx.AckNeeded = true;
        ctx.Fx.Notify(new Notice(NoticeKind.RemoteClosing));
    }

    internal static partial void QueueData(ref TcpContext ctx) => ctx.Ep.SndWritten += ctx.Amount;

    internal static partial void Transmit(ref TcpContext ctx)
    {
        ref var ep = ref ctx.Ep;
        if (!ep.Has(EndpointFlags.SynReceived)) return; // nothing to acknowledge with yet
        bool synAcked = Seq.Gt(ep.SndUna, ep.Iss);
        if ((ep.Timers & TimerKind.Persist) != 0 && ep.SndWnd != 0)
        {
            // The window opened: probing ends and so does its backoff, as for a probe's ACK in Linux.
            ActionHelpers.Cancel(ref ctx, TimerKind.Persist);
            ep.Backoff = 0;
        }
        if (synAcked && !ep.Has(EndpointFlags.FinSent))
        {
            while (true)
            {
                uint sent = ep.SentText;
                uint pending = ep.SndWritten - sent;
                uint windowEnd = ep.SndUna + ep.SndWnd;
                uint usable = Seq.Lt(ep.SndNxt, windowEnd) ? windowEnd - ep.SndNxt : 0;
                uint n = Math.Min(Math.Min(pending, usable), ctx.Config.Mss);
                if (n == 0) break;
                // PSH on the segment that empties the send queue: SEND has no PUSH flag (RFC 9293 §3.9.1.2, MUST-61),
                // and SENDs sent together carry one PSH (SHLD-27).
                var flags = n == pending ? TcpFlags.Ack | TcpFlags.Psh : TcpFlags.Ack;
                ActionHelpers.Send(ref ctx, new Segment(ep.SndNxt, ep.RcvNxt, flags, ep.RcvWnd, (ushort)n, ActionHelpers.Tag(in ep, sent)));
                ep.SndNxt += n;
                ActionHelpers.ArmRetransmit(ref ctx);
            }
        }
        // A zero window holding queued data back with nothing in flight: the persist timer probes it
        // after an RTO (RFC 9293 §3.8.6.1 MUST-36, SHLD-29).
        if (synAcked && ep.SndWnd == 0 && ep.SndUna == ep.SndNxt && ep.SentText != ep.SndWritten && (ep.Timers & TimerKind.Persist) == 0)
            ActionHelpers.Arm(ref ctx, TimerKind.Persist, ActionHelpers.Rto(in ep, ctx.Config));
        if (ep.Has(EndpointFlags.FinQueued) && !ep.Has(EndpointFlags.FinSent) && ep.SentText == ep.SndWritten
            && (synAcked || ep.SndWritten == 0))
        {
            ActionHelpers.Send(ref ctx, new Segment(ep.SndNxt, ep.RcvNxt, TcpFlags.Fin | TcpFlags.Ack, ep.RcvWnd, 0));
            ep.SndNxt += 1;
            ep.Flags |= EndpointFlags.FinSent;
            ActionHelpers.ArmRetransmit(ref ctx);
        }
    }

    internal static partial void QueueFin(ref TcpContext ctx) => ctx.Ep.Flags |= EndpointFlags.FinQueued;

    internal static partial void Deliver(ref TcpContext ctx)
    {
        ref var ep = ref ctx.Ep;
        uint n = ctx.Amount == 0 ? ep.RcvBuffered : Math.Min(ctx.Amount, ep.RcvBuffered);
        if (n == 0)
        {
            ctx.Fx.Notify(new Notice(NoticeKind.ReceiveQueued));
            return;
        }
        ep.RcvBuffered -= n;
        ctx.Fx.Notify(new Notice(NoticeKind.Delivered, 0, n));
        ActionHelpers.OpenWindow(ref ctx, n);
    }

    internal static partial void QueueReceive(ref TcpContext ctx) => ctx.Fx.Notify(new Notice(NoticeKind.ReceiveQueued));

    internal static partial void SendAck(ref TcpContext ctx) => ctx.AckNeeded = true;

    internal static partial void SendChallengeAck(ref TcpContext ctx) => ctx.AckNeeded = true;

    internal static partial void ReplyReset(ref TcpContext ctx)
    {
        var seg = ctx.Seg;
        if (seg.IsAck) ActionHelpers.Send(ref ctx, new Segment(seg.Ack, 0, TcpFlags.Rst, 0, 0));
        else ActionHelpers.Send(ref ctx, new Segment(0, seg.Seq + seg.SegLen, TcpFlags.Rst | TcpFlags.Ack, 0, 0));
    }

    internal static partial void SendReset(ref TcpContext ctx) =>
        ActionHelpers.Send(ref ctx, new Segment(ctx.Ep.SndNxt, 0, TcpFlags.Rst, 0, 0));

    internal static partial void Drop(ref TcpContext ctx)
    {
        // Nothing to do: the row records that the segment was seen and discarded.
    }

    internal static partial void Retransmit(ref TcpContext ctx)
    {
        ref var ep = ref ctx.Ep;
        if (ep.SndUna == ep.SndNxt) return;
        ep.Retries++;
        if (ActionHelpers.Rto(in ep, ctx.Config) < ctx.Config.MaxRtoMs) ep.Backoff++; // no doublings past the cap
        ep.RetransmitHigh = ep.SndNxt;
        RttEstimator.StopTiming(ref ep); // Karn (MUST-18): no sample from a retransmitted segment
        if (ep.SndUna == ep.Iss)
        {
            var syn = ep.Has(EndpointFlags.SynReceived)
                ? new Segment(ep.Iss, ep.RcvNxt, TcpFlags.Syn | TcpFlags.Ack, ep.RcvWnd, 0)
                : new Segment(ep.Iss, 0, TcpFlags.Syn, ep.RcvWnd, 0);
            ActionHelpers.Send(ref ctx, syn);
        }
        else
        {
            uint offset = ep.SndUna - ep.Iss - 1;
            uint sent = ep.SentText;
            uint n = offset < sent ? Math.Min(sent - offset, ctx.Config.Mss) : 0;
            bool fin = ep.Has(EndpointFlags.FinSent) && offset + n == sent;
            // The last segment sent so far is resent with the PSH it was first sent with (MUST-61).
            bool psh = n > 0 && offset + n == sent && sent == ep.SndWritten;
            var flags = TcpFlags.Ack | (fin ? TcpFlags.Fin : TcpFlags.None) | (psh ? TcpFlags.Psh : TcpFlags.None);
            ActionHelpers.Send(ref ctx, new Segment(ep.SndUna, ep.RcvNxt, flags, ep.RcvWnd, (ushort)n, n == 0 ? 0 : ActionHelpers.Tag(in ep, offset)));
        }
        ActionHelpers.RestartRetransmit(ref ctx);
    }

    // A zero-window probe, as Linux sends it: an already acknowledged sequence number and no text,
    // which the receiver must answer with an ACK carrying its window (§3.10.7.4 first). It is
    // never counted as a retransmission, so probes go on as long as they are acknowledged
    // (MUST-37); the interval doubles to the RTO maximum (SHLD-30).
    internal static partial void ProbeWindow(ref TcpContext ctx)
    {
        ref var ep = ref ctx.Ep;
        if (ep.SndWnd != 0 || ep.SndUna != ep.SndNxt || ep.SentText == ep.SndWritten) return; // the window opened meanwhile
        ActionHelpers.Send(ref ctx, new Segment(ep.SndUna - 1, ep.RcvNxt, TcpFlags.Ack, ep.RcvWnd, 0));
        if (ActionHelpers.Rto(in ep, ctx.Config) < ctx.Config.MaxRtoMs) ep.Backoff++;
        ActionHelpers.Arm(ref ctx, TimerKind.Persist, ActionHelpers.Rto(in ep, ctx.Config));
    }

    internal static partial void StartTimeWait(ref TcpContext ctx)
    {
        ActionHelpers.Cancel(ref ctx, TimerKind.Retransmit);
        ActionHelpers.Cancel(ref ctx, TimerKind.DelayedAck);
        ActionHelpers.Cancel(ref ctx, TimerKind.User);
        ActionHelpers.Cancel(ref ctx, TimerKind.Persist);
        ActionHelpers.Arm(ref ctx, TimerKind.TimeWait, 2 * ctx.Config.MslMs);
    }

    internal static partial void RestartTimeWait(ref TcpContext ctx) => ActionHelpers.Arm(ref ctx, TimerKind.TimeWait, 2 * ctx.Config.MslMs);

    internal static partial void ReturnToListen(ref TcpContext ctx)
    {
        var keep = ctx.Ep.Flags & (EndpointFlags.Passive | EndpointFlags.ForeignSpecified);
        ActionHelpers.Forget(ref ctx);
        ctx.Ep.Flags = keep;
        ctx.Ep.RcvWnd = ctx.Config.ReceiveWindow;
    }

    internal static partial void DeleteTcb(ref TcpContext ctx) => ActionHelpers.Forget(ref ctx);

    internal static partial void SignalReset(ref TcpContext ctx) => ctx.Fx.Notify(new Notice(NoticeKind.ConnectionReset));

    internal static partial void SignalRefused(ref TcpContext ctx) => ctx.Fx.Notify(new Notice(NoticeKind.ConnectionRefused));

    internal static partial void SignalTimeout(ref TcpContext ctx) => ctx.Fx.Notify(new Notice(NoticeKind.RetransmitTimeout));

    internal static partial void SignalDeliveryProblem(ref TcpContext ctx) => ctx.Fx.Notify(new Notice(NoticeKind.DeliveryProblem, ctx.Ep.Retries));

    internal static partial void SignalSoftError(ref TcpContext ctx) => ctx.Fx.Notify(new Notice(NoticeKind.SoftError));

    internal static partial void SignalUnreachable(ref TcpContext ctx) => ctx.Fx.Notify(new Notice(NoticeKind.Unreachable));

    internal static partial void SignalUserTimeout(ref TcpContext ctx) => ctx.Fx.Notify(new Notice(NoticeKind.UserTimeout));

    internal static partial void ErrorConnectionExists(ref TcpContext ctx) => ctx.Fx.Notify(new Notice(NoticeKind.ErrorConnectionExists));

    internal static partial void ErrorNoConnection(ref TcpContext ctx) => ctx.Fx.Notify(new Notice(NoticeKind.ErrorNoConnection));

    internal static partial void ErrorForeignUnspecified(ref TcpContext ctx) => ctx.Fx.Notify(new Notice(NoticeKind.ErrorForeignUnspecified));

    internal static partial void ErrorClosing(ref TcpContext ctx) => ctx.Fx.Notify(new Notice(NoticeKind.ErrorClosing));

    // The one place every row ends (RFC 9293 has no such word; smoltcp calls it set_state).
    internal static partial void Enter(ref TcpContext ctx, TcpState next, int row)
    {
        ref var ep = ref ctx.Ep;
        var change = new Transition(ep.State, next, ctx.Event, row);
        ep.State = next;
        ctx.Fx.Row = row;
        if (change.From != change.To) ctx.Fx.StateChange = change;
        ctx.Fx.Trace?.Invoke(change);
    }
}
