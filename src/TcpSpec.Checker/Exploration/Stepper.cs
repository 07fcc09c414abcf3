using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Exploration;

/// <summary>
/// The model's transition relation: which moves a world enables, in a fixed order, and what a
/// move does. Every move is deterministic, so a run is reproduced from its list of moves. One
/// stepper per worker thread (it reuses its runtime's output buffers).
/// </summary>
public sealed class Stepper
{
    private readonly TwoHostModel _model;
    private readonly TcpRuntime _rt;
    private readonly StateIds _s;

    public Stepper(TwoHostModel model)
    {
        _model = model;
        _rt = new TcpRuntime(model.Engine, model.Config);
        _s = model.States;
    }

    public StepLog Log { get; } = new();

    public TwoHostModel Model => _model;

    /// <summary>A world beyond the in-flight bound: not explored further.</summary>
    public bool OutOfBounds(in World w) => w.Net.Overflowed || w.Net.Count > _model.Budgets.MaxInFlight;

    /// <summary>Writes the enabled moves of <paramref name="w"/> to <paramref name="moves"/>, in the canonical order; returns how many.</summary>
    public int Enumerate(in World w, Span<Move> moves)
    {
        int n = 0;
        for (int h = 0; h < 2; h++)
        {
            if (AppEnabled(w.Host(h), h)) moves[n++] = new Move(MoveKind.App, (byte)h, 0);
        }
        int dead = _model.Scenario.Unreachable;
        for (int i = 0; i < w.Net.Count; i++)
            if ((dead & (1 << w.Net[i].To)) == 0) moves[n++] = new Move(MoveKind.Deliver, w.Net[i].To, (byte)i);
        bool quiet = !w.Net.AnyFrom(0, w.A.Incarnation) && !w.Net.AnyFrom(1, w.B.Incarnation);
        n = TimerSchedule.Enumerate(_model, w, moves, n, quiet);
        if (w.LossLeft > 0 || dead != 0)
        {
            // A segment on a dead path (see Send) is lost without spending the loss budget.
            for (int i = 0; i < w.Net.Count; i++)
                if (w.LossLeft > 0 || (dead & (1 << w.Net[i].To)) != 0) moves[n++] = new Move(MoveKind.Lose, w.Net[i].From, (byte)i);
        }
        if (w.DupLeft > 0)
        {
            for (int i = 0; i < w.Net.Count; i++) moves[n++] = new Move(MoveKind.Duplicate, w.Net[i].From, (byte)i);
        }
        if (w.CrashLeft > 0)
        {
            for (int h = 0; h < 2; h++)
            {
                if ((_model.Scenario.Crashable & (1 << h)) == 0) continue;
                if (_model.Scenario.CrashOnlyWhilePeerOpen && !_s.Open(w.Host(1 - h).Ep.State)) continue;
                moves[n++] = new Move(MoveKind.Crash, (byte)h, 0);
            }
        }
        n += EnumerateHostile(w, _s, _model.AttackGuesses, moves[n..]);
        if (w.CallsLeft > 0)
        {
            // Last of all, so that worlds without stray calls keep their ordinals.
            for (int h = 0; h < 2; h++)
                for (int i = 0; i < StrayCalls.Count; i++)
                    if (StrayCalls.Offered(i, (int)w.Host(h).Ep.State == _s.Closed)) moves[n++] = new Move(MoveKind.Call, (byte)h, (byte)i);
        }
        if (w.IcmpLeft > 0)
        {
            // After the stray calls, for the same reason: a soft and a hard error in answer to each segment in flight, to its sender.
            for (int i = 0; i < w.Net.Count; i++)
            {
                moves[n++] = new Move(MoveKind.Icmp, w.Net[i].From, (byte)(2 * i));
                moves[n++] = new Move(MoveKind.Icmp, w.Net[i].From, (byte)(2 * i + 1));
            }
        }
        return n;
    }

    /// <summary>
    /// The moves of the hostile network, after all the others so that they leave the ordinals of
    /// worlds without them as they were: an old segment delivered again (--stale), a forged one
    /// (--attack) against each host the attacker can aim at.
    /// </summary>
    private static int EnumerateHostile(in World w, StateIds states, uint guesses, Span<Move> moves)
    {
        int n = 0;
        if (w.StaleLeft > 0)
        {
            for (int i = 0; i < w.Seen.Count; i++) moves[n++] = new Move(MoveKind.Stale, w.Seen[i].From, (byte)i);
        }
        if (w.AttackLeft > 0)
        {
            for (int h = 0; h < 2; h++)
            {
                if (AimAt(w.Host(h).Ep, states) is not { } aim) continue;
                for (int i = 0; i < Forgery.Count; i++)
                    if ((guesses & (1u << i)) != 0 && Forgery.Offered(w.Host(h).Ep, aim, i)) moves[n++] = new Move(MoveKind.Inject, (byte)h, (byte)i);
            }
        }
        return n;
    }

    /// <summary>What the attacker aims at in a host (see <see cref="Forgery.Aim"/>), or null if it has nothing to aim at.</summary>
    private static Forgery.Aim? AimAt(in Endpoint ep, StateIds s)
    {
        int state = (int)ep.State;
        if (state == s.Listen) return Forgery.Aim.Listen;
        if (state == s.SynSent) return Forgery.Aim.SynSent;
        if (state == s.TimeWait) return Forgery.Aim.TimeWait;
        return ep.Has(EndpointFlags.SynReceived) && !s.Idle(ep.State) ? Forgery.Aim.Synchronized : null;
    }

    /// <summary>The most moves a world can enable.</summary>
    public const int MaxMoves = 2 + Network.Capacity * 3 + 10 + 2 + OldSegments.Capacity + 2 * Forgery.Count + 2 * StrayCalls.Count + 2 * Network.Capacity; // apps, deliver/lose/duplicate each segment, five timers per host, crashes, old segments, forgeries, stray calls, two ICMP errors per segment

    private bool AppEnabled(in HostState h, int index)
    {
        var script = _model.Scenario.Script(index);
        if (h.Pc >= script.Length) return false;
        var op = script[h.Pc];
        return op.When switch
        {
            When.Always => true,
            When.Open => _s.Open(h.Ep.State),
            When.PeerClosed => h.Ep.Has(EndpointFlags.FinReceived),
            When.Synchronized => !_s.Idle(h.Ep.State) && (int)h.Ep.State != _s.SynSent && (int)h.Ep.State != _s.SynReceived,
            When.PeerSynArrived => !_s.Idle(h.Ep.State) && h.Ep.Has(EndpointFlags.SynReceived),
            _ => false,
        };
    }

    /// <summary>Applies <paramref name="m"/> to <paramref name="w"/> in place, recording what happened in <see cref="Log"/>.</summary>
    public void Apply(ref World w, Move m)
    {
        Log.Clear();
        switch (m.Kind)
        {
            case MoveKind.App:
            {
                ref var host = ref w.HostRef(m.Host);
                var op = _model.Scenario.Script(m.Host)[host.Pc];
                host.Pc++;
                Call(ref w, m.Host, op);
                break;
            }
            case MoveKind.Call:
                w.CallsLeft--;
                Call(ref w, m.Host, StrayCalls.Op(m.Index));
                break;
            case MoveKind.Deliver or MoveKind.Stale or MoveKind.Inject:
            {
                var f = ArrivingFlight(_model, w, m); // the one answer to "which segment does this move bring"
                if (m.Kind == MoveKind.Deliver) w.Net.RemoveAt(m.Index);
                else if (m.Kind == MoveKind.Inject) w.AttackLeft--;
                else if (--w.StaleLeft == 0) w.Seen.Clear(); // nothing can be delivered again: forget it (one state, not many)
                Arrive(ref w, f);
                break;
            }
            case MoveKind.Timer:
            {
                ref var host = ref w.HostRef(m.Host);
                var from = host.Ep.State;
                var timer = (TimerKind)m.Index;
                w.Clock.Advance(w.Clock.Left(m.Host, timer)); // now is the timer's deadline
                _rt.Expire(ref host.Ep, timer);
                Collect(ref w, m.Host, TcpRuntime.TimeoutOf(timer), from, null);
                break;
            }
            case MoveKind.Lose:
                if (!OnDeadPath(w.Net[m.Index])) w.LossLeft--;
                w.Net.RemoveAt(m.Index);
                break;
            case MoveKind.Duplicate:
                w.Net.Add(w.Net[m.Index]);
                w.DupLeft--;
                break;
            case MoveKind.Crash:
                Crash(ref w, m.Host);
                break;
            case MoveKind.Icmp:
                IcmpError(ref w, m);
                break;
        }
    }

    /// <summary>Whether an ICMP move is a hard error (Destination Unreachable, protocol or port: codes 2, 3) rather than a soft one.</summary>
    public static IcmpClass IcmpKind(Move m) => (m.Index & 1) == 0 ? IcmpClass.Soft : IcmpClass.Hard;

    /// <summary>The in-flight segment an ICMP move answers; <paramref name="w"/> is the world before the move.</summary>
    public static Flight Quoted(in World w, Move m) => w.Net[m.Index / 2];

    /// <summary>
    /// The network answers a segment in flight with an ICMP error instead of delivering it (a router
    /// with no route, a TTL that ran out, a host or firewall refusing the protocol or port): the
    /// segment is gone, and the error, quoting its TCP header, reaches its sender's TCP, whatever
    /// that host's connection has become since (RFC 9293 §3.9.2.2, MUST-54: directed by the quoted
    /// ports, here always the pair's; the table's IcmpSeqAcceptable judges the quoted SEG.SEQ).
    /// </summary>
    private void IcmpError(ref World w, Move m)
    {
        var f = Quoted(w, m);
        w.Net.RemoveAt(m.Index / 2);
        w.IcmpLeft--;
        ref var host = ref w.HostRef(f.From);
        var from = host.Ep.State;
        var kind = IcmpKind(m);
        _rt.IcmpArrives(ref host.Ep, kind, f.Seg);
        Collect(ref w, f.From, kind == IcmpClass.Hard ? TcpEvent.IcmpHard : TcpEvent.IcmpSoft, from, null);
    }

    /// <summary>A segment arrives at its receiver: from the network, from the network's memory, or from the attacker.</summary>
    private void Arrive(ref World w, in Flight f)
    {
        ref var host = ref w.HostRef(f.To);
        var from = host.Ep.State;
        _rt.Arrive(ref host.Ep, f.Seg, receiveWaiting: !host.ReceivePaused);
        // A forged segment that completes a handshake completes the peer's real one (its IRS is the peer's): judge it as the peer's current incarnation.
        byte sender = f.Incarnation == Forgery.Incarnation ? w.Host(f.From).Incarnation : f.Incarnation;
        Collect(ref w, f.To, TcpRuntime.Classify(f.Seg), from, f.Seg, sender);
        if (f.Incarnation == Forgery.Incarnation && f.Seg.IsRst && w.Host(f.To).Ep.State != from) w.HostRef(f.To).Marks |= HostMarks.Hijacked;
    }

    /// <summary>The segment a move brings to a host (delivered, delivered again, or forged), or null for other moves; <paramref name="w"/> is the world before the move.</summary>
    public static Flight? Arriving(TwoHostModel model, in World w, Move m) =>
        m.Kind is MoveKind.Deliver or MoveKind.Stale or MoveKind.Inject ? ArrivingFlight(model, w, m) : null;

    /// <summary>
    /// <see cref="Arriving"/> for a move that brings a segment, as a plain value: a nullable flight
    /// is assembled on the stack from a flag and the flight and then read back whole, which the
    /// processor cannot forward from the separate stores (a stall on every delivery).
    /// </summary>
    private static Flight ArrivingFlight(TwoHostModel model, in World w, Move m) => m.Kind switch
    {
        MoveKind.Deliver => w.Net[m.Index],
        MoveKind.Stale => w.Seen[m.Index],
        _ => Forgery.Build(m.Host, w.Host(m.Host).Ep, m.Index, model.Config.ReceiveWindow),
    };

    /// <summary>Is <paramref name="f"/> sent to a host the scenario makes unreachable: never delivered, lost without spending the loss budget?</summary>
    public bool OnDeadPath(in Flight f) => (_model.Scenario.Unreachable & (1 << f.To)) != 0;

    /// <summary>A segment a host sends: into the network (unless its receiver is unreachable), and into its memory while stale budget is left.</summary>
    private void Send(ref World w, in Flight f)
    {
        // A segment to a host the scenario makes unreachable is lost on the way (no budget spent);
        // while ICMP errors are left it travels on to where the path is dead, which may answer it
        // with an error (RFC 1122 §4.2.3.9: a router's Destination Unreachable) or lose it, never deliver it.
        if (!OnDeadPath(f) || w.IcmpLeft > 0) w.Net.Add(f);
        Log.Sent.Add(f);
        if (w.StaleLeft > 0) w.Seen.Remember(f);
    }

    /// <summary>Host <paramref name="h"/>'s application makes call <paramref name="op"/>: its script's next step, or a stray call.</summary>
    private void Call(ref World w, int h, AppOp op)
    {
        ref var host = ref w.HostRef(h);
        var from = host.Ep.State;
        if (_s.Idle(from) && op.Kind is OpKind.OpenActive or OpKind.OpenPassive or OpKind.OpenPassiveForeign)
        {
            host.Sent = 0; // a new connection: the ghost counts start again
            host.Expected = 0;
        }
        TcpEvent ev;
        switch (op.Kind)
        {
            case OpKind.PauseReceive:
                host.ReceivePaused = true; // an application decision: no call, no engine step
                return;
            case OpKind.ResumeReceive:
                host.ReceivePaused = false;
                if (host.Ep.RcvBuffered == 0) return; // nothing waits: it reads as text arrives
                _rt.Receive(ref host.Ep);
                ev = TcpEvent.Receive;
                break;
            case OpKind.OpenActive: _rt.OpenActive(ref host.Ep); ev = TcpEvent.OpenActive; break;
            case OpKind.OpenPassive: _rt.OpenPassive(ref host.Ep); ev = TcpEvent.OpenPassive; break;
            case OpKind.OpenPassiveForeign: _rt.OpenPassive(ref host.Ep, foreignSpecified: true); ev = TcpEvent.OpenPassive; break;
            case OpKind.Receive: _rt.Receive(ref host.Ep); ev = TcpEvent.Receive; break;
            case OpKind.Send:
                uint n = op.Amount == 0 ? (uint)_model.Budgets.Data : op.Amount;
                _rt.Send(ref host.Ep, n);
                ev = TcpEvent.Send;
                if (_rt.Effects.Row != 0 && !HasError(_rt.Effects)) host.Sent += n;
                break;
            case OpKind.Close: _rt.Close(ref host.Ep); ev = TcpEvent.Close; break;
            default: _rt.Abort(ref host.Ep); ev = TcpEvent.Abort; host.Marks |= HostMarks.Aborted; break;
        }
        Collect(ref w, h, ev, from, null);
    }

    private static bool HasError(Effects fx)
    {
        foreach (var n in fx.Notices)
        {
            if (n.Kind is NoticeKind.ErrorClosing or NoticeKind.ErrorConnectionExists or NoticeKind.ErrorNoConnection or NoticeKind.ErrorForeignUnspecified)
                return true;
        }
        return false;
    }

    private void Crash(ref World w, int h)
    {
        w.CrashLeft--;
        ref var host = ref w.HostRef(h);
        int inc = host.Incarnation + 1;
        uint iss = _model.IssFor(h, inc);
        host.Ep = Endpoint.Create(iss, HostState.StreamTagOf(h, inc));
        host.Incarnation = (byte)inc;
        host.FirstIss = iss;
        host.Marks |= HostMarks.Crashed;
        w.Clock.Clear(h);
        host.Pc = (byte)(_model.Scenario.RestartPc[h] ?? _model.Scenario.Script(h).Length);
        host.Sent = 0;
        host.Expected = 0;
        host.ReceivePaused = false;
    }

    /// <summary>Takes the outputs of the engine step just made by host <paramref name="h"/> into the world.</summary>
    private void Collect(ref World w, int h, TcpEvent ev, TcpState from, Segment? seg, byte senderIncarnation = 0)
    {
        var fx = _rt.Effects;
        ref var host = ref w.HostRef(h);
        var step = new EngineStep(h, ev, fx.Row, from, host.Ep.State, seg);
        Log.Steps.Add(step);
        if (fx.Row == 0) Log.Undecided = step;
        TakeTimers(ref w, h, fx);

        foreach (var s in fx.Segments) Send(ref w, new Flight(s, (byte)h, host.Incarnation));

        if (_s.Idle(from) && !_s.Idle(host.Ep.State)) host.Expected = 0;
        // A connection that never synchronized and is gone (CLOSE in SYN-SENT, a reset back to LISTEN)
        // took its queued SENDs with it (RFC 9293 §3.10.4: "error: closing" to queued SENDs): no text of it was accepted.
        if (((int)from == _s.SynSent || (int)from == _s.SynReceived) && _s.Idle(host.Ep.State)) host.Sent = 0;

        // A reset that ends a connection (even one the table closes silently, as in LAST-ACK) is not a graceful close.
        if ((ev == TcpEvent.Rst || ev == TcpEvent.RstAck) && _s.Connected(from) && from != host.Ep.State) host.Marks |= HostMarks.Reset;

        foreach (var n in fx.Notices)
        {
            Log.Notices.Add(new HostNotice(h, n));
            switch (n.Kind)
            {
                case NoticeKind.TextArrived:
                    RecordText(ref w, h, n.A, n.B);
                    break;
                case NoticeKind.ConnectionReset:
                case NoticeKind.ConnectionRefused:
                    host.Marks |= HostMarks.Reset;
                    break;
                case NoticeKind.Unreachable: // an ICMP hard error aborted the connection attempt
                    host.Marks |= HostMarks.Reset | HostMarks.Unreachable;
                    break;
                case NoticeKind.RetransmitTimeout:
                case NoticeKind.UserTimeout:
                    host.Marks |= HostMarks.Reset | HostMarks.TimedOut;
                    break;
                case NoticeKind.ErrorClosing:
                case NoticeKind.ErrorConnectionExists:
                case NoticeKind.ErrorNoConnection:
                case NoticeKind.ErrorForeignUnspecified:
                    host.Marks |= HostMarks.CallError;
                    break;
            }
        }

        if (seg is not null && _s.Is(host.Ep.State, _s.Established) && !_s.Is(from, _s.Established)) RecordEstablished(in w, h, senderIncarnation);
    }

    /// <summary>The deadlines of the timers the step armed (the untimed model keeps none).</summary>
    private void TakeTimers(ref World w, int h, Effects fx)
    {
        if (!_model.Options.UntimedTimers) w.Clock.Apply(h, fx.TimerCommands, _model.Config.InitialRtoMs);
    }

    /// <summary>Ghost bookkeeping of the text stream: records the arrival (the data property judges it) and moves the next expected offset on.</summary>
    private void RecordText(ref World w, int h, uint tag, uint length)
    {
        ref var host = ref w.HostRef(h);
        uint offset = tag & 0x00FF_FFFF;
        Log.Text.Add(new TextArrival(h, (byte)(tag >> 24), offset, length, host.Expected, w.Host(1 - h).Ep.StreamTag));
        host.Expected = offset + length;
    }

    /// <summary>Records a connection a segment established, with what the phantom-connection property needs to judge it.</summary>
    private void RecordEstablished(in World w, int h, byte senderIncarnation)
    {
        var peer = w.Host(1 - h);
        Log.Established.Add(new Establishment(h, senderIncarnation, w.Host(h).Ep.Irs, peer.Incarnation, peer.Ep.NextIss, peer.Ep.State));
    }
}
