using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// calls-answered-per-rfc: every user call is answered as RFC 9293 §3.10.1-§3.10.5 says for the
/// state it is made in, written from the RFC's text (not from the table's rows). A refused call
/// changes neither the TCB nor sends anything; an accepted one has the effects the RFC names.
/// Judged on the application's moves only (its script's steps and stray calls): no allocation.
/// </summary>
public sealed class CallReplies : IProperty
{
    public static readonly CallReplies Instance = new();

    public string Name => "calls-answered-per-rfc";
    public StepFacts Interest => StepFacts.UserCall;

    public string Description =>
        "Each user call gets the RFC 9293 §3.10 reply for its state: OPEN \"connection already exists\" unless CLOSED (or active in LISTEN: SYN, SYN-SENT); " +
        "SEND \"connection does not exist\" in CLOSED, \"foreign socket unspecified\" in LISTEN without it, queued (no text sent) before ESTABLISHED, \"connection closing\" after CLOSE; " +
        "RECEIVE \"connection closing\" once the peer's FIN arrived and nothing is buffered; CLOSE deletes the TCB in LISTEN/SYN-SENT, holds the FIN in SYN-RECEIVED while SENDs are queued, " +
        "ESTABLISHED→FIN-WAIT-1, CLOSE-WAIT→LAST-ACK; ABORT sends <SEQ=SND.NXT><CTL=RST> from SYN-RECEIVED to CLOSE-WAIT, nothing in LISTEN, SYN-SENT, CLOSING, LAST-ACK, TIME-WAIT, and ends CLOSED. " +
        "A refused call changes neither the TCB nor sends anything (for a passive OPEN, MUST-41: it \"MUST NOT affect any previously created connection record\").";

    public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
    {
        OpKind call = move.Kind == MoveKind.Call ? StrayCalls.Op(move.Index).Kind : default;
        int h = move.Host;
        ref readonly var b = ref h == 0 ? ref before.A : ref before.B; // read in place, not copied
        if (move.Kind == MoveKind.App) call = model.Scenario.Script(h)[b.Pc].Kind;
        else if (move.Kind != MoveKind.Call) return null;
        ref readonly var a = ref HostStep.EndpointOf(after, h);
        var s = model.States;
        string? why = call switch
        {
            OpKind.OpenActive or OpKind.OpenPassive or OpKind.OpenPassiveForeign => Open(s, call, b.Ep, a, log, h),
            OpKind.Send => Send(s, b.Ep, a, log, h),
            OpKind.Receive => Receive(s, b.Ep, a, log, h),
            OpKind.Close => Close(s, b, a, log, h),
            OpKind.Abort => Abort(s, b.Ep, a, log, h),
            _ => null, // PAUSE-RECEIVE, RESUME-RECEIVE: the application's own pace, judged by data-exactly-once
        };
        return why is null ? null : $"{model.Scenario.HostNames[h]}: {Label(call)} in {s.Name(b.Ep.State)}: {why}";
    }

    private static string Label(OpKind call) => call switch
    {
        OpKind.OpenActive => "active OPEN",
        OpKind.OpenPassive or OpKind.OpenPassiveForeign => "passive OPEN",
        _ => call.ToString().ToUpperInvariant(),
    };

    // §3.10.1: CLOSED creates the connection; LISTEN, active: change to active, send a SYN, enter SYN-SENT; other states: "error: connection already exists".
    private static string? Open(StateIds s, OpKind call, in Endpoint b, in Endpoint a, StepLog log, int h)
    {
        bool active = call == OpKind.OpenActive;
        if (s.Is(b.State, s.Closed) || (active && s.Is(b.State, s.Listen)))
        {
            if (AnyError(log, h) is { } e) return $"answered \"{e}\" (the RFC accepts it)";
            if (!active) return !s.Is(a.State, s.Listen) ? $"went to {s.Name(a.State)}, not LISTEN" : SentCount(log, h) > 0 ? "sent a segment from LISTEN" : null;
            return !s.Is(a.State, s.SynSent) ? $"went to {s.Name(a.State)}, not SYN-SENT"
                : !OneSyn(log, h, a.Iss) ? "did not send exactly one <SEQ=ISS><CTL=SYN>"
                : a.Has(EndpointFlags.Passive) ? "did not change the connection from passive to active" : null;
        }
        return Refused(s, NoticeKind.ErrorConnectionExists, b, a, log, h);
    }

    // §3.10.2.
    private static string? Send(StateIds s, in Endpoint b, in Endpoint a, StepLog log, int h)
    {
        var st = b.State;
        if (s.Is(st, s.Closed)) return Refused(s, NoticeKind.ErrorNoConnection, b, a, log, h);
        if (s.Is(st, s.Listen))
        {
            if (!b.Has(EndpointFlags.ForeignSpecified)) return Refused(s, NoticeKind.ErrorForeignUnspecified, b, a, log, h);
            // "If the foreign socket is specified, then change the connection from passive to active, select an ISS. Send a SYN segment ... Enter SYN-SENT state."
            if (AnyError(log, h) is { } e) return $"answered \"{e}\" although the foreign socket is specified";
            return !s.Is(a.State, s.SynSent) ? $"went to {s.Name(a.State)}, not SYN-SENT"
                : !OneSyn(log, h, a.Iss) ? "did not send exactly one <SEQ=ISS><CTL=SYN>"
                : a.Has(EndpointFlags.Passive) ? "did not change the connection from passive to active" : null;
        }
        if (s.Is(st, s.SynSent) || s.Is(st, s.SynReceived))
        {
            // The user already closed (a FIN waits in SYN-RECEIVED): "connection closing".
            if (b.Has(EndpointFlags.FinQueued)) return Refused(s, NoticeKind.ErrorClosing, b, a, log, h);
            // "Queue the data for transmission after entering ESTABLISHED state."
            if (AnyError(log, h) is { } e) return $"answered \"{e}\"; the RFC queues the data";
            if (a.State != st) return $"went to {s.Name(a.State)}; the RFC only queues the data";
            return TextSent(log, h) ? "sent text before the connection is synchronized" : null;
        }
        if (s.Open(st))
        {
            if (AnyError(log, h) is { } e2) return $"answered \"{e2}\"; the RFC sends the data";
            if (a.State != st) return $"went to {s.Name(a.State)}";
            // "Segmentize the buffer and send it": at once when nothing is outstanding and the peer's window is open (no Nagle hold, RFC 9293 §3.7.4).
            return b.SndUna == b.SndNxt && b.SndWnd > 0 && !TextSent(log, h) ? $"sent no text, with nothing outstanding and a window of {b.SndWnd}" : null;
        }
        // FIN-WAIT-1 .. TIME-WAIT: "error: connection closing" and do not service request.
        return Refused(s, NoticeKind.ErrorClosing, b, a, log, h);
    }

    // §3.10.3.
    private static string? Receive(StateIds s, in Endpoint b, in Endpoint a, StepLog log, int h)
    {
        var st = b.State;
        if (s.Is(st, s.Closed)) return Refused(s, NoticeKind.ErrorNoConnection, b, a, log, h);
        if (a.State != st) return $"went to {s.Name(a.State)}; RECEIVE never changes the state";
        if (!s.Synchronized(st))
            return AnyError(log, h) is { } e ? $"answered \"{e}\"; the RFC queues the request" : SentCount(log, h) > 0 ? "sent a segment"
                : !Told(log, h, NoticeKind.ReceiveQueued) ? "the request was not queued" : null;
        // The peer's FIN arrived (CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT): with nothing buffered, "connection closing".
        if (b.Has(EndpointFlags.FinReceived) && b.RcvBuffered == 0) return Refused(s, NoticeKind.ErrorClosing, b, a, log, h);
        if (AnyError(log, h) is { } e3) return $"answered \"{e3}\"{(b.RcvBuffered > 0 ? $" with {b.RcvBuffered} octet(s) to deliver" : "")}";
        // "If insufficient incoming segments are queued to satisfy the request, queue the request"; otherwise deliver.
        if (b.RcvBuffered == 0) return Told(log, h, NoticeKind.ReceiveQueued) ? null : "nothing buffered, and the request was not queued";
        return a.RcvBuffered != 0 || !Told(log, h, NoticeKind.Delivered) ? $"did not deliver the {b.RcvBuffered} buffered octet(s)" : null;
    }

    // §3.10.4.
    private static string? Close(StateIds s, in HostState host, in Endpoint a, StepLog log, int h)
    {
        var b = host.Ep;
        var st = b.State;
        if (s.Is(st, s.Closed)) return Refused(s, NoticeKind.ErrorNoConnection, b, a, log, h);
        if (s.Is(st, s.Listen) || s.Is(st, s.SynSent))
            return !s.Is(a.State, s.Closed) ? $"went to {s.Name(a.State)}; the RFC deletes the TCB" : SentCount(log, h) > 0 ? "sent a segment; the RFC deletes the TCB silently"
                : Deleted(a) ? null : "entered CLOSED but kept its TCB";
        if (s.Is(st, s.SynReceived))
        {
            // A second CLOSE: "connection closing", as in the states after CLOSE (§3.10.4 FIN-WAIT-1: "strictly speaking, this is an error").
            if (b.Has(EndpointFlags.FinQueued)) return Refused(s, NoticeKind.ErrorClosing, b, a, log, h);
            // SENDs queued (no text has left before ESTABLISHED): the FIN waits.
            if (host.Sent > 0)
                return a.State != st ? $"went to {s.Name(a.State)}; the FIN must wait for ESTABLISHED{(host.Sent > 0 ? $" and the {host.Sent} queued octet(s)" : "")}"
                    : FinSent(log, h) ? "sent a FIN before the queued SENDs" : null;
            if (AnyError(log, h) is { } e) return $"answered \"{e}\"";
            return !s.Is(a.State, s.FinWait1) ? $"went to {s.Name(a.State)}, not FIN-WAIT-1" : !FinSent(log, h) ? "sent no FIN" : null;
        }
        if (s.Is(st, s.Established) || s.Is(st, s.CloseWait))
        {
            int next = s.Is(st, s.Established) ? s.FinWait1 : s.LastAck;
            if (AnyError(log, h) is { } e) return $"answered \"{e}\"";
            return !s.Is(a.State, next) ? $"went to {s.Name(a.State)}, not {(next == s.FinWait1 ? "FIN-WAIT-1" : "LAST-ACK")}" : null;
        }
        // FIN-WAIT-1 .. TIME-WAIT: "error: connection closing" (in FIN-WAIT-1/2 "ok" is acceptable too, but nothing changes).
        if (s.Is(st, s.FinWait1) || s.Is(st, s.FinWait2)) return Unchanged(s, b, a, log, h);
        return Refused(s, NoticeKind.ErrorClosing, b, a, log, h);
    }

    // §3.10.5.
    private static string? Abort(StateIds s, in Endpoint b, in Endpoint a, StepLog log, int h)
    {
        var st = b.State;
        if (s.Is(st, s.Closed)) return Refused(s, NoticeKind.ErrorNoConnection, b, a, log, h);
        if (!s.Is(a.State, s.Closed)) return $"went to {s.Name(a.State)}; the RFC deletes the TCB and enters CLOSED";
        if (!Deleted(a)) return "entered CLOSED but kept its TCB";
        bool reset = s.Is(st, s.SynReceived) || s.Is(st, s.Established) || s.Is(st, s.FinWait1) || s.Is(st, s.FinWait2) || s.Is(st, s.CloseWait);
        if (!reset) return SentCount(log, h) > 0 ? "sent a segment; the RFC deletes the TCB silently here" : null;
        // "Send a reset segment: <SEQ=SND.NXT><CTL=RST>".
        int n = 0;
        bool ok = false;
        foreach (var f in log.Sent)
        {
            if (f.From != h) continue;
            n++;
            ok = f.Seg.IsRst && !f.Seg.IsSyn && !f.Seg.IsFin && f.Seg.Seq == b.SndNxt && f.Seg.Length == 0;
        }
        return n == 1 && ok ? null : $"sent {n} segment(s); the RFC sends exactly <SEQ={b.SndNxt}><CTL=RST>";
    }

    /// <summary>A refused call: the reply the RFC gives, the TCB untouched, nothing sent.</summary>
    private static string? Refused(StateIds s, NoticeKind reply, in Endpoint b, in Endpoint a, StepLog log, int h)
    {
        if (!Told(log, h, reply)) return $"was not answered \"{Text(reply)}\"{(AnyError(log, h) is { } e ? $" (but \"{e}\")" : "")}";
        return Unchanged(s, b, a, log, h);
    }

    private static string? Unchanged(StateIds s, in Endpoint b, in Endpoint a, StepLog log, int h) =>
        SentCount(log, h) > 0 ? "sent a segment for a call the RFC does not service"
        : a.State != b.State ? $"went to {s.Name(a.State)} for a call the RFC does not service"
        : !a.Equals(b) ? "changed the TCB for a call the RFC does not service" : null;

    /// <summary>The TCB is deleted: nothing of the connection is left (a fresh endpoint, keeping only the ISS generator and the host's stream tag).</summary>
    private static bool Deleted(in Endpoint a)
    {
        var fresh = Endpoint.Create(a.NextIss, a.StreamTag);
        fresh.State = a.State;
        return a.Equals(fresh);
    }

    private static bool Told(StepLog log, int h, NoticeKind k)
    {
        foreach (var n in log.Notices)
            if (n.Host == h && n.Notice.Kind == k) return true;
        return false;
    }

    private static string? AnyError(StepLog log, int h)
    {
        foreach (var n in log.Notices)
            if (n.Host == h && n.Notice.Kind is NoticeKind.ErrorClosing or NoticeKind.ErrorConnectionExists or NoticeKind.ErrorNoConnection or NoticeKind.ErrorForeignUnspecified)
                return Text(n.Notice.Kind);
        return null;
    }

    private static string Text(NoticeKind k) => k switch
    {
        NoticeKind.ErrorConnectionExists => "error: connection already exists",
        NoticeKind.ErrorNoConnection => "error: connection does not exist",
        NoticeKind.ErrorForeignUnspecified => "error: foreign socket unspecified",
        _ => "error: connection closing",
    };

    private static int SentCount(StepLog log, int h)
    {
        int n = 0;
        foreach (var f in log.Sent)
            if (f.From == h) n++;
        return n;
    }

    private static bool TextSent(StepLog log, int h)
    {
        foreach (var f in log.Sent)
            if (f.From == h && f.Seg.Length > 0) return true;
        return false;
    }

    private static bool FinSent(StepLog log, int h)
    {
        foreach (var f in log.Sent)
            if (f.From == h && f.Seg.IsFin) return true;
        return false;
    }

    private static bool OneSyn(StepLog log, int h, uint iss)
    {
        int n = 0;
        bool ok = false;
        foreach (var f in log.Sent)
        {
            if (f.From != h) continue;
            n++;
            ok = f.Seg.IsSyn && !f.Seg.IsAck && !f.Seg.IsRst && !f.Seg.IsFin && f.Seg.Seq == iss;
        }
        return n == 1 && ok;
    }
}
