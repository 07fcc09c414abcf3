using TcpSpec.Engines;

namespace TcpSpec;

/// <summary>
/// The application API of an endpoint (RFC 9293 §3.9: OPEN, SEND, RECEIVE, CLOSE, ABORT,
/// STATUS) plus segment arrival and timer expiry, each one step of the engine. The endpoint is
/// a value the caller owns; outputs land in <see cref="Effects"/>, cleared at every step.
/// </summary>
public sealed class TcpRuntime
{
    public TcpRuntime(IEngine? engine = null, TcpConfig? config = null)
    {
        Engine = engine ?? GeneratedEngine.Instance;
        Config = config ?? TcpConfig.Default;
    }

    public IEngine Engine { get; }

    public TcpConfig Config { get; }

    /// <summary>
    /// The time in ms, set by a driver that has a clock before each step; null (the default, and
    /// the checker's model): no clock, so no RTT is measured and the RTO before backoff stays at
    /// <see cref="TcpConfig.InitialRtoMs"/> (RFC 6298 §2.1). With it, RFC 6298's estimator runs.
    /// </summary>
    public long? Now { get; set; }

    /// <summary>The outputs of the last step.</summary>
    public Effects Effects { get; } = new();

    /// <summary>Decides one event; returns the row that fired, or 0 if the cell was undecided (state unchanged).</summary>
    public int Step(ref Endpoint ep, TcpEvent @event, in Segment seg = default, uint amount = 0)
    {
        Effects.Clear();
        var ctx = new TcpContext(ref ep, Config, Effects, @event, seg, amount) { Now = Now };
        int row = Engine.Dispatch(@event, ref ctx);
        // Every acknowledgment the row asked for, aggregated into one segment (MUST-58), unless
        // it only acknowledges new in-order text and delayed ACKs defer it (§3.8.6.3).
        if (ctx.AckNeeded || (ctx.AckDeferrable > 0 && !ActionHelpers.DeferAck(ref ctx, ctx.AckDeferrable)))
            ActionHelpers.Send(ref ctx, new Segment(ep.SndNxt, ep.RcvNxt, TcpFlags.Ack, ep.RcvWnd, 0));
        return row;
    }

    public int OpenPassive(ref Endpoint ep, bool foreignSpecified = false) => Step(ref ep, TcpEvent.OpenPassive, default, foreignSpecified ? 1u : 0u);

    public int OpenActive(ref Endpoint ep) => Step(ref ep, TcpEvent.OpenActive);

    public int Send(ref Endpoint ep, uint octets) => Step(ref ep, TcpEvent.Send, default, octets);

    /// <summary>RECEIVE up to <paramref name="maxOctets"/> (0: all that is buffered).</summary>
    public int Receive(ref Endpoint ep, uint maxOctets = 0) => Step(ref ep, TcpEvent.Receive, default, maxOctets);

    public int Close(ref Endpoint ep) => Step(ref ep, TcpEvent.Close);

    public int Abort(ref Endpoint ep) => Step(ref ep, TcpEvent.Abort);

    public static TcpStatus Status(in Endpoint ep) => ep.Status;

    /// <summary>
    /// SEGMENT ARRIVES (RFC 9293 §3.10.7). <paramref name="receiveWaiting"/>: the user waits in
    /// RECEIVE (a reader that is always ready), so the segment's text is handed to it at once
    /// (§3.10.7.4 seventh: "deliver segment text to user RECEIVE buffers") and takes no space in
    /// the receive buffer; otherwise the text waits for RECEIVE and narrows the window.
    /// </summary>
    public int Arrive(ref Endpoint ep, in Segment seg, bool receiveWaiting = false) => Step(ref ep, Classify(seg), seg, receiveWaiting ? 1u : 0u);

    /// <summary>
    /// An ICMP error for this connection (RFC 9293 §3.9.2.2, MUST-54), with the TCP header it
    /// quotes (<paramref name="quoted"/>: at least the sequence number, RFC 792's 64 bits of the
    /// datagram): a soft or hard error is an event of the table, whose IcmpSeqAcceptable guard
    /// judges the quoted SEG.SEQ (RFC 5927 §4.1); a Source Quench or an ignored message changes
    /// nothing (MUST-55).
    /// </summary>
    public int IcmpArrives(ref Endpoint ep, IcmpClass kind, in Segment quoted)
    {
        if (kind is IcmpClass.Soft or IcmpClass.Hard) return Step(ref ep, kind == IcmpClass.Hard ? TcpEvent.IcmpHard : TcpEvent.IcmpSoft, quoted);
        Effects.Clear();
        return 0;
    }

    /// <summary>A timer expired: it is no longer armed, and the table decides what follows (RFC 9293 §3.10.8).</summary>
    public int Expire(ref Endpoint ep, TimerKind timer)
    {
        var ev = TimeoutOf(timer);
        ep.Timers &= ~timer;
        return Step(ref ep, ev);
    }

    /// <summary>
    /// The timers, each with the event its expiry is (RFC 9293 §3.10.8: retransmission, TIME-WAIT
    /// and user timeouts, the persist timer of §3.8.6.1 and the delayed-ACK timer of §3.8.6.3; the Events table of spec/tcp.spec.md). The one mapping between the two:
    /// everything that fires a timer or names the timer behind an event reads it here.
    /// </summary>
    public static IReadOnlyList<(TimerKind Timer, TcpEvent Event)> Timeouts { get; } =
    [
        (TimerKind.Retransmit, TcpEvent.RetransmitTimeout),
        (TimerKind.TimeWait, TcpEvent.TimeWaitTimeout),
        (TimerKind.User, TcpEvent.UserTimeout),
        (TimerKind.Persist, TcpEvent.PersistTimeout),
        (TimerKind.DelayedAck, TcpEvent.DelayedAckTimeout),
    ];

    /// <summary>The event the expiry of <paramref name="timer"/> (exactly one timer) is.</summary>
    public static TcpEvent TimeoutOf(TimerKind timer)
    {
        foreach (var (t, e) in Timeouts)
            if (t == timer) return e;
        throw new ArgumentOutOfRangeException(nameof(timer), timer, "one timer at a time");
    }

    /// <summary>The timer whose expiry <paramref name="event"/> is, or null when it is not a timeout.</summary>
    public static TimerKind? TimerOf(TcpEvent @event)
    {
        foreach (var (t, e) in Timeouts)
            if (e == @event) return t;
        return null;
    }

    /// <summary>
    /// The event a segment is, by its control bits: RST over SYN, SYN over FIN, FIN over ACK
    /// (the order §3.10.7 checks them in); see the Events table of spec/tcp.spec.md.
    /// </summary>
    public static TcpEvent Classify(in Segment seg)
    {
        var f = seg.Flags;
        bool ack = (f & TcpFlags.Ack) != 0;
        if ((f & TcpFlags.Rst) != 0) return ack ? TcpEvent.RstAck : TcpEvent.Rst;
        if ((f & TcpFlags.Syn) != 0)
        {
            if ((f & TcpFlags.Fin) != 0) return TcpEvent.SynFin;
            return ack ? TcpEvent.SynAck : TcpEvent.Syn;
        }
        if ((f & TcpFlags.Fin) != 0) return ack ? TcpEvent.FinAck : TcpEvent.Fin;
        return ack ? TcpEvent.Ack : TcpEvent.Bare;
    }
}
