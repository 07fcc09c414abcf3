namespace TcpSpec;

/// <summary>
/// The reassembly queue (RFC 9293 §3.10.7.4 first: segments beyond RCV.NXT within the window
/// SHOULD be held, SHLD-31; §3.10.7.2 third: a SYN's text is queued until the connection is
/// established). It is one contiguous block of text in the <see cref="Endpoint"/>
/// (<see cref="Endpoint.HeldSeq"/>, <see cref="Endpoint.HeldLen"/>, <see cref="Endpoint.HeldTag"/>),
/// so the endpoint stays a small value the checker can hash: a segment that would make a second
/// block is not held (the block nearer RCV.NXT is kept), and neither is one whose payload tags
/// do not continue the block's (text of another incarnation). Held text is never acknowledged
/// (the ACK is cumulative, RCV.NXT), so dropping it is safe: its sender retransmits it.
/// </summary>
internal static class Reassembly
{
    /// <summary>Holds the text [start, start+length) tagged from <paramref name="tag"/>, cut to the receive window.</summary>
    public static void Hold(ref Endpoint ep, uint start, uint length, uint tag)
    {
        uint windowEnd = ep.RcvNxt + ep.RcvWnd;
        if (!Seq.Lt(start, windowEnd) || length == 0) return;
        if (Seq.Lt(start, ep.RcvNxt)) return; // only text beyond RCV.NXT (or at it, for a SYN's) is held
        uint end = Seq.Lt(windowEnd, start + length) ? windowEnd : start + length;
        if (ep.HeldLen == 0)
        {
            Set(ref ep, start, end - start, tag);
            return;
        }
        uint heldEnd = ep.HeldSeq + ep.HeldLen;
        bool touches = Seq.Le(start, heldEnd) && Seq.Le(ep.HeldSeq, end);
        bool sameText = tag - ep.HeldTag == start - ep.HeldSeq; // the octet at start carries the tag the block gives it
        if (touches && sameText)
        {
            uint lo = Seq.Lt(start, ep.HeldSeq) ? start : ep.HeldSeq;
            uint hi = Seq.Gt(end, heldEnd) ? end : heldEnd;
            Set(ref ep, lo, hi - lo, Seq.Lt(start, ep.HeldSeq) ? tag : ep.HeldTag);
        }
        else if (Seq.Lt(start, ep.HeldSeq))
        {
            Set(ref ep, start, end - start, tag); // a block nearer RCV.NXT replaces the one beyond it
        }
    }

    /// <summary>Accepts the held text RCV.NXT has reached (into the receive buffer, as ReceiveText does); returns the octets accepted.</summary>
    public static uint AbsorbHeld(ref TcpContext ctx)
    {
        ref var ep = ref ctx.Ep;
        if (ep.HeldLen == 0 || Seq.Gt(ep.HeldSeq, ep.RcvNxt)) return 0;
        uint skip = ep.RcvNxt - ep.HeldSeq;
        uint len = ep.HeldLen;
        uint tag = ep.HeldTag;
        Clear(ref ep);
        if (skip >= len) return 0;
        // What no longer fits the window (the buffer filled since) is dropped unacknowledged: its sender retransmits it.
        uint accept = Math.Min(len - skip, (uint)ep.RcvWnd);
        if (accept == 0) return 0;
        ep.RcvNxt += accept;
        ctx.Fx.Notify(new Notice(NoticeKind.TextArrived, tag + skip, accept));
        ActionHelpers.TakeText(ref ctx, accept);
        return accept;
    }

    /// <summary>Empties the queue (all three fields, so equal queues are equal bytes for the checker's hash).</summary>
    public static void Clear(ref Endpoint ep)
    {
        ep.HeldSeq = 0;
        ep.HeldLen = 0;
        ep.HeldTag = 0;
    }

    private static void Set(ref Endpoint ep, uint seq, uint len, uint tag)
    {
        ep.HeldSeq = seq;
        ep.HeldLen = len;
        ep.HeldTag = tag;
    }
}
