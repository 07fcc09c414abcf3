using TcpSpec.Engines;

namespace TcpSpec.Conformance.Packetdrill;

/// <summary>
/// Runs a packetdrill <see cref="Script"/> with the spec engine as the stack under test: one
/// <see cref="Endpoint"/>, a virtual clock, the script's peer injecting segments and the
/// script's socket calls mapped to the RFC 9293 user calls.
/// <list type="bullet">
/// <item>Numbers: inbound sequence numbers are relative to the peer's ISN
/// (<see cref="PacketdrillOptions.RemoteIsn"/>), outbound ones to the ISN of the last SYN the
/// engine sent (learnt as packetdrill learns it; 0 before any); acknowledgment numbers the other way round.
/// The RST,ACK answering a segment without ACK keeps its absolute &lt;SEQ=0&gt; (RFC 9293 §3.10.7.1).</item>
/// <item>Time: before each line the clock advances to the line's time, firing every armed timer
/// whose deadline has passed. An outbound packet must come within the tolerance of its time;
/// every packet the engine sends must be expected by the next line (or it is an "unexpected
/// outbound packet"), including after the last line.</item>
/// <item>Calls: listen is OPEN (passive), connect OPEN (active), write SEND, read RECEIVE, close
/// and shutdown(SHUT_WR) CLOSE, close with SO_LINGER {onoff=1, linger=0} ABORT. A call that
/// cannot complete yet blocks (until its <c>...</c> time) unless the script expects EAGAIN or
/// EINPROGRESS; errors come from the engine's notices (a reset in SYN-SENT is ECONNREFUSED,
/// later ECONNRESET; "connection closing" is EPIPE for write and end of file for read).</item>
/// </list>
/// Never throws for a parsed script: every problem is a <see cref="LineFailure"/>.
/// </summary>
public sealed class PacketdrillRunner
{
    private const int MaxTimerFirings = 100_000;

    private readonly Script _script;
    private readonly IEngine _engine;
    private readonly TcpRuntime _rt;
    private readonly long _tol;
    private Endpoint _ep;

    private long _now;  // the virtual clock, µs since the script started
    private long _last; // the time relative times count from: the previous event's
    private readonly long[] _deadline = [-1, -1, -1]; // Retransmit, TimeWait, User
    private int _firings;

    private readonly List<Sent> _queue = [];
    private uint _localIsn;
    private readonly uint _remoteIsn;

    private readonly Dictionary<int, Sock> _fds = [];
    private int? _endpointFd;  // the fd whose calls drive the endpoint
    private int? _listenFd;
    private bool _accepted;
    private bool _connecting;       // connect() has been called on the endpoint's socket
    private bool _connectReported;  // connect() has returned 0 once
    private string? _soError;       // the pending socket error (ECONNRESET...)
    private bool _everSynchronized; // the connection reached ESTABLISHED or a later state
    private bool _peerFin;

    private Pending? _pending;
    private bool _inPending;
    private Step _lastStep;   // the engine's latest step (its row explains a missing packet)
    private int _lineStepRow; // the row of the current line's own step, if it made one

    private ScriptLine _line = null!;
    private readonly List<SkippedReport> _skipped = [];
    private readonly List<LineNote> _notes = [];
    private readonly List<CellHit> _cells = [];
    private int _linesRun;

    private PacketdrillRunner(Script script, PacketdrillOptions options)
    {
        _script = script;
        _engine = options.Engine ?? GeneratedEngine.Instance;
        _rt = new TcpRuntime(_engine, options.Config ?? ConfigFor(script));
        _tol = options.ToleranceUsecs
            ?? (long.TryParse(script.Option("tolerance_usecs"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var t)
                ? t : PacketdrillOptions.DefaultToleranceUsecs);
        _remoteIsn = options.RemoteIsn;
        _ep = Endpoint.Create(options.LocalIss);
    }

    /// <summary>Runs the script and reports pass or the first mismatch, the skipped lines and the cells met.</summary>
    public static ScriptResult Run(Script script, PacketdrillOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(script);
        return new PacketdrillRunner(script, options ?? new PacketdrillOptions()).Execute();
    }

    /// <summary>The default constants with the script's receive window and the peer's MSS (see <see cref="PacketdrillOptions.Config"/>).</summary>
    public static TcpConfig ConfigFor(Script script)
    {
        var config = TcpConfig.Default;
        var packets = script.Lines.Select(l => l.Body).OfType<PacketLine>().ToList();
        var win = packets.FirstOrDefault(p => !p.Inbound && p.Window is > 0)?.Window;
        if (win is { } w) config = config with { ReceiveWindow = w };
        var mss = packets.FirstOrDefault(p => p.Inbound && (p.Bits & TcpFlags.Syn) != 0)?.Mss;
        if (mss is > 0) config = config with { Mss = mss.Value };
        return config;
    }

    private ScriptResult Execute()
    {
        try
        {
            foreach (var line in _script.Lines)
            {
                _line = line;
                _lineStepRow = 0;
                RunLine(line);
            }
            _line = _script.Lines.Count > 0 ? _script.Lines[^1] : new ScriptLine(0, default, new SkippedLine(""), "");
            // A blocking call still waiting runs on to the time the script says it returns (timers may end it).
            if (_pending is { } waiting) AdvanceTo(waiting.Latest);
            if (_pending is { } p)
                Fail(p.Line, $"the blocking call never returned (the script ended at {S(_now)} s, in {StateName}); expected {p.Call.ExpectedText}",
                    p.Call.ExpectedText, "still blocked");
            if (_queue.Count > 0)
            {
                var s = _queue[0];
                FailSent(_line, s, $"unexpected outbound packet after the last line (sent at {S(s.At)} s)", "nothing", Render(s.Seg));
            }
            return Result(null);
        }
        catch (ScriptFailed f)
        {
            return Result(f.Failure);
        }
    }

    private ScriptResult Result(LineFailure? failure) => new(_script.Path, failure, _skipped, _notes, _cells, _linesRun, _tol);

    // ---- lines ---------------------------------------------------------------------------------

    private void RunLine(ScriptLine line)
    {
        switch (line.Body)
        {
            case OptionLine o:
                if (o.Name != "tolerance_usecs") Skip(line, $"option --{o.Name} is not modelled");
                return;
            case SkippedLine s:
                if (line.Time.Kind is TimeKind.Absolute or TimeKind.Relative)
                {
                    long t = At(line.Time);
                    AdvanceTo(t);
                    _last = Math.Max(t, _now);
                }
                Skip(line, s.Reason);
                return;
            case PacketLine { Inbound: true } p:
            {
                long t = Begin(line);
                Inject(p);
                _last = t;
                _linesRun++;
                return;
            }
            case PacketLine p:
                ExpectOutbound(line, p);
                _linesRun++;
                return;
            case CallLine c:
            {
                long startBase = _last;
                long t = Begin(line);
                if (_pending is { } q)
                    Fail(q.Line, $"the blocking call had not returned when the next system call started (line {line.Line}, at {S(t)} s)",
                        q.Call.ExpectedText, "still blocked");
                _last = t;
                if (RunCall(line, c, t, startBase)) _linesRun++;
                return;
            }
        }
    }

    private void Skip(ScriptLine line, string reason) => _skipped.Add(new SkippedReport(line.Line, line.Text, reason));

    /// <summary>The scripted time of an absolute or relative line.</summary>
    private long At(EventTime t) => t.Kind == TimeKind.Relative || t.Kind == TimeKind.RelativeRange ? _last + t.Usecs : t.Usecs;

    /// <summary>Moves the clock to an inbound packet's or a call's time: fires due timers, then requires that every sent packet was expected.</summary>
    private long Begin(ScriptLine line)
    {
        long t = At(line.Time);
        if (t < _now - _tol)
            Fail(line, $"the line is due at {S(t)} s but the script is already at {S(_now)} s (an earlier event ran late, or the times go backwards)", null, null);
        AdvanceTo(t);
        if (_queue.Count > 0)
        {
            var s = _queue[0];
            FailSent(line, s, $"unexpected outbound packet (sent at {S(s.At)} s, before this line)", "nothing before this line", Render(s.Seg));
        }
        return Math.Max(t, _now);
    }

    // ---- the clock -----------------------------------------------------------------------------

    private static readonly TimerKind[] Timers = [TimerKind.Retransmit, TimerKind.TimeWait, TimerKind.User];

    /// <summary>Fires every timer due by <paramref name="t"/> in deadline order, then sets the clock to <paramref name="t"/>.</summary>
    private void AdvanceTo(long t)
    {
        while (FireNextTimer(t)) { }
        _now = Math.Max(_now, t);
        if (_pending is { } p && _now > p.Latest)
            Fail(p.Line, $"the blocking call did not return by {S(p.Latest)} s (expected at {S(p.End)} s ± {S(_tol)} s; still blocked at {S(_now)} s in {StateName})",
                p.Call.ExpectedText, "still blocked");
    }

    /// <summary>Fires the earliest timer due by <paramref name="limit"/>, if any.</summary>
    private bool FireNextTimer(long limit)
    {
        int next = -1;
        for (int i = 0; i < _deadline.Length; i++)
            if (_deadline[i] >= 0 && _deadline[i] <= limit && (next < 0 || _deadline[i] < _deadline[next])) next = i;
        if (next < 0) return false;
        if (++_firings > MaxTimerFirings)
            Fail(_line, $"timers fired more than {MaxTimerFirings} times (a timer of length 0?)", null, null);
        if (_pending is { } p && _deadline[next] > p.Latest)
            Fail(p.Line, $"the blocking call did not return by {S(p.Latest)} s (expected at {S(p.End)} s ± {S(_tol)} s)", p.Call.ExpectedText, "still blocked");
        _now = Math.Max(_now, _deadline[next]);
        _deadline[next] = -1;
        var kind = Timers[next];
        var ev = kind switch { TimerKind.Retransmit => TcpEvent.RetransmitTimeout, TimerKind.TimeWait => TcpEvent.TimeWaitTimeout, _ => TcpEvent.UserTimeout };
        Do(ev, () => _rt.Expire(ref _ep, kind));
        return true;
    }

    // ---- engine steps ----------------------------------------------------------------------------

    private readonly record struct Step(int Row, TcpEvent Event, TcpState From, TcpState To, Notice[] Notices)
    {
        public bool Has(NoticeKind k) => Notices.Any(n => n.Kind == k);
    }

    private sealed record Sent(Segment Seg, long At, Step Step, int Line);

    /// <summary>One engine step: its segments join the outbound queue, its timer commands set deadlines, its notices the socket's error and end of file.</summary>
    private Step Do(TcpEvent ev, Func<int> step)
    {
        var from = _ep.State;
        int row = step();
        var fx = _rt.Effects;
        var s = new Step(row, ev, from, _ep.State, fx.Notices.ToArray());
        var segments = fx.Segments.ToArray();
        var timers = fx.TimerCommands.ToArray();
        _lastStep = s;
        _lineStepRow = row;
        foreach (var seg in segments)
        {
            if (seg.IsSyn) _localIsn = seg.Seq; // packetdrill learns the ISN from the SYN or SYN,ACK
            _queue.Add(new Sent(seg, _now, s, _line.Line));
        }
        foreach (var tc in timers)
        {
            int i = Array.IndexOf(Timers, tc.Timer);
            if (i >= 0) _deadline[i] = tc.Arm ? _now + Math.Max(0, (long)tc.DurationMs) * 1000 : -1;
        }
        foreach (var n in s.Notices)
        {
            switch (n.Kind)
            {
                case NoticeKind.ConnectionReset:
                    _soError = from == TcpState.SynSent ? "ECONNREFUSED" : "ECONNRESET";
                    break;
                case NoticeKind.ConnectionRefused:
                    _soError = "ECONNREFUSED";
                    break;
                case NoticeKind.RetransmitTimeout or NoticeKind.UserTimeout:
                    _soError = "ETIMEDOUT";
                    break;
                case NoticeKind.RemoteClosing:
                    _peerFin = true;
                    break;
            }
        }
        if (Synchronized(_ep.State)) _everSynchronized = true;
        CheckPending();
        return s;
    }

    private static bool Synchronized(TcpState s) => s is not (TcpState.Closed or TcpState.Listen or TcpState.SynSent or TcpState.SynReceived);

    private string StateName => Name(_ep.State);

    private string Name(TcpState s) => (int)s < _engine.StateNames.Count ? _engine.StateNames[(int)s] : s.ToString();

    private TcpMachine.Row? RowOf(int id) => id > 0 && id <= _engine.Rows.Count ? _engine.Rows[id - 1] : null;

    // ---- packets ---------------------------------------------------------------------------------

    private void Inject(PacketLine p)
    {
        NotePacket(p);
        uint ack = p.Ack is { } a ? _localIsn + a : 0;
        var seg = new Segment(_remoteIsn + p.Start, ack, p.Bits, p.Window ?? 0, p.Length, p.Start);
        var ev = TcpRuntime.Classify(seg);
        var before = _ep.State;
        var step = Do(ev, () => _rt.Arrive(ref _ep, seg));
        _cells.Add(new CellHit(_line.Line, Name(before), TcpMachine.EventNames[(int)ev], step.Row));
        if (step.Row == 0)
            Fail(_line, $"no row of the table decides ({Name(before)}, {TcpMachine.EventNames[(int)ev]})", null, null);
    }

    private void NotePacket(PacketLine p)
    {
        if (p.Options is not null)
            _notes.Add(new LineNote(_line.Line, p.Mss is { } m && p.Inbound && (p.Bits & TcpFlags.Syn) != 0
                ? $"TCP options <{p.Options}> not modelled, except mss {m} as the send MSS (RFC 9293 §3.7.1)"
                : $"TCP options <{p.Options}> not modelled"));
        if (!p.Inbound && (p.Bits & TcpFlags.Psh) != 0) _notes.Add(new LineNote(_line.Line, "PSH not compared (the engine does not model the push flag)"));
        if (p.EcnFlags.Length > 0) _notes.Add(new LineNote(_line.Line, $"ECN flags {p.EcnFlags} not modelled"));
        foreach (var i in p.Ignored) _notes.Add(new LineNote(_line.Line, i + " not modelled"));
    }

    private void ExpectOutbound(ScriptLine line, PacketLine p)
    {
        NotePacket(p);
        long lo, hi, due;
        var t = line.Time;
        switch (t.Kind)
        {
            case TimeKind.Any:
                lo = 0;
                hi = long.MaxValue;
                due = _now;
                break;
            case TimeKind.AbsoluteRange or TimeKind.RelativeRange:
                due = At(t);
                lo = due - _tol;
                hi = (t.Kind == TimeKind.RelativeRange ? _last + t.EndUsecs : t.EndUsecs) + _tol;
                break;
            default:
                due = At(t);
                lo = due - _tol;
                hi = due + _tol;
                break;
        }
        while (_queue.Count == 0 && FireNextTimer(hi)) { }
        if (_queue.Count == 0)
        {
            string by = hi == long.MaxValue ? "and no timer is armed" : $"by {S(hi)} s";
            Fail(line, $"expected outbound packet not sent {by} (in {StateName})", Render(p), "nothing sent");
        }
        var s = _queue[0];
        _queue.RemoveAt(0);
        var diff = Differences(p, s.Seg);
        if (diff.Count > 0)
            FailSent(line, s, $"outbound packet differs in {string.Join(", ", diff)}", Render(p), Render(s.Seg));
        if (s.At < lo || s.At > hi)
        {
            string expected = t.Kind is TimeKind.AbsoluteRange or TimeKind.RelativeRange
                ? $"between {S(lo + _tol)} s and {S(hi - _tol)} s" : $"at {S(due)} s";
            FailSent(line, s, $"outbound packet sent at {S(s.At)} s, expected {expected} ± {S(_tol)} s", Render(p), Render(s.Seg));
        }
        _now = Math.Max(_now, s.At);
        _last = s.At;
    }

    private List<string> Differences(PacketLine p, Segment seg)
    {
        var diff = new List<string>();
        const TcpFlags ignored = TcpFlags.Psh;
        if ((p.Bits & ~ignored) != (seg.Flags & ~ignored)) diff.Add("flags");
        if (RelSeq(seg) != p.Start) diff.Add("sequence number");
        if (seg.Length != p.Length) diff.Add("payload length");
        if (p.Ack is { } a && seg.IsAck && RelAck(seg) != a) diff.Add("acknowledgment number");
        if (p.Window is { } w && seg.Window != w) diff.Add("window");
        return diff;
    }

    /// <summary>
    /// Relative to our ISN, except the RST,ACK that answers a segment without ACK: its
    /// &lt;SEQ=0&gt; (RFC 9293 §3.10.7.1) is absolute, and a script writes it as 0.
    /// </summary>
    private uint RelSeq(in Segment s) => s.IsRst && s.IsAck && s.Seq == 0 ? 0 : s.Seq - _localIsn;

    private uint RelAck(in Segment s) => s.Ack - _remoteIsn;

    /// <summary>A segment the engine sent, as a script would write it.</summary>
    private string Render(Segment s)
    {
        uint seq = RelSeq(s);
        var text = $"> {FlagText(s.Flags)} {seq}:{seq + s.Length}({s.Length})";
        if (s.IsAck) text += $" ack {RelAck(s)}";
        return text + $" win {s.Window}";
    }

    private static string Render(PacketLine p)
    {
        var text = $"{(p.Inbound ? "<" : ">")} {p.Flags} {p.Start}:{p.End}({p.Length})";
        if (p.Ack is { } a) text += $" ack {a}";
        if (p.Window is { } w) text += $" win {w}";
        if (p.Options is { } o) text += $" <{o}>";
        return text;
    }

    /// <summary>Control bits the way packetdrill writes them: <c>S.</c>, <c>F.</c>, <c>R</c>, <c>.</c>.</summary>
    public static string FlagText(TcpFlags f)
    {
        var sb = new System.Text.StringBuilder();
        if ((f & TcpFlags.Fin) != 0) sb.Append('F');
        if ((f & TcpFlags.Syn) != 0) sb.Append('S');
        if ((f & TcpFlags.Rst) != 0) sb.Append('R');
        if ((f & TcpFlags.Psh) != 0) sb.Append('P');
        if ((f & TcpFlags.Urg) != 0) sb.Append('U');
        if ((f & TcpFlags.Ack) != 0) sb.Append('.');
        return sb.Length == 0 ? "-" : sb.ToString();
    }

    // ---- socket calls ------------------------------------------------------------------------------

    private sealed class Sock(int fd)
    {
        public int Fd { get; } = fd;
        public bool Closed { get; set; }
        public bool AbortOnClose { get; set; }
    }

    private sealed record Pending(CallLine Call, int Line, string Text, long End, long Latest);

    private readonly record struct Outcome(long Value, string? Errno)
    {
        public static Outcome Ok(long v) => new(v, null);

        public static Outcome Err(string errno) => new(-1, errno);

        public override string ToString() => Errno is null ? Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"-1 {Errno}";
    }

    /// <summary>Runs a call at time <paramref name="t"/>; false if it was skipped.</summary>
    private bool RunCall(ScriptLine line, CallLine c, long t, long startBase)
    {
        if (c.Kind == CallKind.Socket) return Socket(line, c);
        if (!_fds.TryGetValue(c.Fd, out var sock))
        {
            Check(line, c, Outcome.Err("EBADF"));
            return true;
        }
        if (sock.Closed)
        {
            Check(line, c, Outcome.Err("EBADF"));
            return true;
        }
        bool isEndpoint = c.Fd == _endpointFd;
        bool isListener = c.Fd == _listenFd;
        if (!isEndpoint && !isListener)
        {
            Skip(line, $"fd {c.Fd} is not the modelled socket (the engine is one endpoint)");
            return false;
        }
        if (isListener && !isEndpoint && c.Kind is not (CallKind.Close or CallKind.Bind or CallKind.Listen or CallKind.SetLinger))
        {
            Skip(line, $"{c.Name} on the listening socket after accept is not modelled (one connection per script)");
            return false;
        }

        switch (c.Kind)
        {
            case CallKind.Bind:
                Check(line, c, Outcome.Ok(0));
                return true;
            case CallKind.SetLinger:
            {
                var (onoff, linger) = c.Linger!.Value;
                sock.AbortOnClose = onoff != 0 && linger == 0;
                if (onoff != 0 && linger != 0)
                    _notes.Add(new LineNote(line.Line, "SO_LINGER with a linger time: close() stays a graceful CLOSE"));
                Check(line, c, Outcome.Ok(0));
                return true;
            }
            case CallKind.Listen:
            {
                if (!isEndpoint || _ep.State == TcpState.Listen)
                {
                    Check(line, c, Outcome.Ok(0));
                    return true;
                }
                var s = Do(TcpEvent.OpenPassive, () => _rt.OpenPassive(ref _ep));
                if (s.Has(NoticeKind.ErrorConnectionExists)) Check(line, c, Outcome.Err("EINVAL"));
                else
                {
                    _listenFd = c.Fd;
                    Check(line, c, Outcome.Ok(0));
                }
                return true;
            }
            case CallKind.Close:
            {
                sock.Closed = true;
                if (isEndpoint)
                {
                    if (sock.AbortOnClose) Do(TcpEvent.Abort, () => _rt.Abort(ref _ep));
                    else Do(TcpEvent.Close, () => _rt.Close(ref _ep));
                }
                Check(line, c, Outcome.Ok(0));
                return true;
            }
            case CallKind.Shutdown:
            {
                if (c.How == ShutdownHow.Read)
                {
                    Skip(line, "shutdown(SHUT_RD) is not modelled (it sends no segment)");
                    return false;
                }
                if (isListener && !_accepted)
                {
                    Check(line, c, Outcome.Err("ENOTCONN"));
                    return true;
                }
                var s = Do(TcpEvent.Close, () => _rt.Close(ref _ep));
                Check(line, c, s.Has(NoticeKind.ErrorNoConnection) ? Outcome.Err("ENOTCONN") : Outcome.Ok(0));
                return true;
            }
            case CallKind.Write:
            {
                if (isListener && !_accepted)
                {
                    Check(line, c, Outcome.Err("ENOTCONN"));
                    return true;
                }
                if (TakeError() is { } err)
                {
                    Check(line, c, Outcome.Err(err));
                    return true;
                }
                var s = Do(TcpEvent.Send, () => _rt.Send(ref _ep, c.Count));
                Outcome o = s.Has(NoticeKind.ErrorClosing) ? Outcome.Err("EPIPE")
                    : s.Has(NoticeKind.ErrorNoConnection) ? Outcome.Err(_everSynchronized ? "EPIPE" : "ENOTCONN")
                    : s.Has(NoticeKind.ErrorForeignUnspecified) ? Outcome.Err("ENOTCONN")
                    : Outcome.Ok(c.Count);
                Check(line, c, o);
                return true;
            }
            case CallKind.Read:
                if (isListener && !_accepted)
                {
                    Check(line, c, Outcome.Err("ENOTCONN"));
                    return true;
                }
                Complete(line, c, t, startBase, TryRead(c), "EAGAIN");
                return true;
            case CallKind.Accept:
                if (!isListener)
                {
                    Check(line, c, Outcome.Err("EINVAL"));
                    return true;
                }
                if (_accepted)
                {
                    Skip(line, "a second accept is not modelled (one connection per script)");
                    return false;
                }
                Complete(line, c, t, startBase, TryAccept(c), "EAGAIN");
                return true;
            case CallKind.Connect:
                Connect(line, c, t, startBase);
                return true;
        }
        return true;
    }

    private bool Socket(ScriptLine line, CallLine c)
    {
        bool free = _endpointFd is null
            || (_fds.Values.All(s => s.Closed) && _ep.State == TcpState.Closed);
        if (!free)
        {
            Skip(line, "a second socket is not modelled (the engine is one endpoint)");
            return false;
        }
        if (c.Result < 0)
        {
            Check(line, c, Outcome.Ok(3));
            return true;
        }
        int fd = (int)Math.Min(c.Result, int.MaxValue);
        if (_endpointFd is not null)
        {
            // A new socket after the previous one closed: a fresh connection on the same endpoint.
            _fds.Clear();
            _listenFd = null;
            _accepted = _connecting = _connectReported = _everSynchronized = _peerFin = false;
            _soError = null;
        }
        _fds[fd] = new Sock(fd);
        _endpointFd = fd;
        Check(line, c, Outcome.Ok(fd));
        return true;
    }

    private string? TakeError()
    {
        var e = _soError;
        _soError = null;
        return e;
    }

    private void Connect(ScriptLine line, CallLine c, long t, long startBase)
    {
        if (!_connecting || (_ep.State == TcpState.Closed && _soError is null))
        {
            _connecting = true;
            _connectReported = false;
            var s = Do(TcpEvent.OpenActive, () => _rt.OpenActive(ref _ep));
            if (s.Has(NoticeKind.ErrorConnectionExists))
            {
                Check(line, c, Outcome.Err(Synchronized(_ep.State) ? "EISCONN" : "EALREADY"));
                return;
            }
            if (c.Errno == "EINPROGRESS")
            {
                Check(line, c, Outcome.Err("EINPROGRESS"));
                return;
            }
            Complete(line, c, t, startBase, TryConnect(), null);
            return;
        }
        // connect() again on a socket already connecting (the nonblocking idiom), as Linux answers it.
        if (_ep.State is TcpState.SynSent or TcpState.SynReceived)
        {
            Complete(line, c, t, startBase, null, "EALREADY");
            return;
        }
        if (Synchronized(_ep.State))
        {
            Check(line, c, _connectReported ? Outcome.Err("EISCONN") : Outcome.Ok(0));
            _connectReported = true;
            return;
        }
        Check(line, c, TakeError() is { } err ? Outcome.Err(err) : Outcome.Err("ECONNRESET"));
    }

    private Outcome? TryConnect()
    {
        if (Synchronized(_ep.State))
        {
            _connectReported = true;
            return Outcome.Ok(0);
        }
        if (_soError is not null) return Outcome.Err(TakeError()!);
        if (_ep.State == TcpState.Closed) return Outcome.Err("ECONNRESET");
        return null;
    }

    private Outcome? TryAccept(CallLine c)
    {
        if (!Synchronized(_ep.State) && !(_ep.State == TcpState.Closed && _everSynchronized)) return null;
        int fd = c.Result >= 0 ? (int)Math.Min(c.Result, int.MaxValue) : _fds.Keys.Max() + 1;
        // The accepted socket inherits the listener's options (SO_LINGER).
        _fds[fd] = new Sock(fd) { AbortOnClose = _listenFd is { } l && _fds.TryGetValue(l, out var listener) && listener.AbortOnClose };
        _endpointFd = fd;
        _accepted = true;
        return Outcome.Ok(fd);
    }

    private Outcome? TryRead(CallLine c)
    {
        if (c.Count == 0) return Outcome.Ok(0);
        if (_ep.RcvBuffered > 0)
        {
            var s = Do(TcpEvent.Receive, () => _rt.Receive(ref _ep, c.Count));
            var delivered = s.Notices.FirstOrDefault(n => n.Kind == NoticeKind.Delivered);
            return Outcome.Ok(delivered.Kind == NoticeKind.Delivered ? delivered.B : 0);
        }
        if (_soError is not null) return Outcome.Err(TakeError()!);
        if (_ep.State == TcpState.Closed)
        {
            Do(TcpEvent.Receive, () => _rt.Receive(ref _ep, c.Count));
            return _everSynchronized || _peerFin ? Outcome.Ok(0) : Outcome.Err("ENOTCONN");
        }
        if (_ep.Has(EndpointFlags.FinReceived))
        {
            var s = Do(TcpEvent.Receive, () => _rt.Receive(ref _ep, c.Count));
            var delivered = s.Notices.FirstOrDefault(n => n.Kind == NoticeKind.Delivered);
            return Outcome.Ok(delivered.Kind == NoticeKind.Delivered ? delivered.B : 0); // end of file
        }
        return null;
    }

    /// <summary>
    /// A call that may block: done now, or failing with <paramref name="wouldBlock"/> when the
    /// script expects it (a nonblocking socket), or blocked until the engine lets it complete.
    /// </summary>
    private void Complete(ScriptLine line, CallLine c, long t, long startBase, Outcome? now, string? wouldBlock)
    {
        long end = c.EndUsecs is { } e ? (line.Time.Kind == TimeKind.Relative ? startBase + e : e) : t;
        if (now is { } o)
        {
            Check(line, c, o);
            CheckReturnTime(line, c, end);
            return;
        }
        if (wouldBlock is not null && (c.Errno == wouldBlock || (wouldBlock == "EAGAIN" && c.Errno == "EWOULDBLOCK")))
        {
            Check(line, c, Outcome.Err(c.Errno));
            return;
        }
        _pending = new Pending(c, line.Line, line.Text, end, end + _tol);
    }

    private void CheckReturnTime(ScriptLine line, CallLine c, long end)
    {
        if (_now < end - _tol || _now > end + _tol)
            Fail(line, $"{c.Name} returned at {S(_now)} s, expected at {S(end)} s ± {S(_tol)} s", c.ExpectedText, $"returned at {S(_now)} s");
    }

    /// <summary>After every step: a blocked call whose condition now holds returns.</summary>
    private void CheckPending()
    {
        if (_pending is not { } p || _inPending) return;
        _inPending = true;
        try
        {
            Outcome? o = p.Call.Kind switch
            {
                CallKind.Connect => TryConnect(),
                CallKind.Accept => TryAccept(p.Call),
                CallKind.Read => TryRead(p.Call),
                _ => Outcome.Ok(0),
            };
            if (o is null) return;
            _pending = null;
            var line = new ScriptLine(p.Line, default, p.Call, p.Text);
            Check(line, p.Call, o.Value);
            if (_now < p.End - _tol || _now > p.Latest)
                Fail(line, $"the blocking {p.Call.Name} returned at {S(_now)} s, expected at {S(p.End)} s ± {S(_tol)} s",
                    p.Call.ExpectedText, $"{o.Value} at {S(_now)} s");
        }
        finally
        {
            _inPending = false;
        }
    }

    private void Check(ScriptLine line, CallLine c, Outcome actual)
    {
        bool ok = actual.Value == c.Result
            && (c.Errno is null || actual.Errno is null || SameErrno(c.Errno, actual.Errno));
        if (!ok)
            throw new ScriptFailed(new LineFailure(line.Line, line.Text, $"{c.Name} returned {actual}, expected {c.ExpectedText}",
                c.ExpectedText, actual.ToString(), StateName, RowOf(_lineStepRow), _now));
    }

    private static bool SameErrno(string a, string b) => a == b || (a is "EAGAIN" or "EWOULDBLOCK" && b is "EAGAIN" or "EWOULDBLOCK");

    // ---- failures ------------------------------------------------------------------------------------

    private sealed class ScriptFailed(LineFailure failure) : Exception(failure.Message)
    {
        public LineFailure Failure { get; } = failure;
    }

    private void Fail(ScriptLine line, string message, string? expected, string? actual) =>
        throw new ScriptFailed(new LineFailure(line.Line, line.Text, message, expected, actual, StateName, RowOf(_lastStep.Row), _now));

    private void Fail(int lineNumber, string message, string? expected, string? actual)
    {
        var line = _script.Lines.FirstOrDefault(l => l.Line == lineNumber) ?? _line;
        Fail(line, message, expected, actual);
    }

    private void FailSent(ScriptLine line, Sent s, string message, string expected, string actual)
    {
        string state = s.Step.From == s.Step.To ? Name(s.Step.To) : $"{Name(s.Step.From)} → {Name(s.Step.To)}";
        var ev = TcpMachine.EventNames[(int)s.Step.Event];
        var cause = s.Step.Event switch
        {
            TcpEvent.RetransmitTimeout or TcpEvent.TimeWaitTimeout or TcpEvent.UserTimeout => $"sent when {ev} fired",
            >= TcpEvent.Syn and <= TcpEvent.Bare => $"sent in reply to the {ev} of line {s.Line}",
            _ => $"sent on the {ev} of line {s.Line}",
        };
        throw new ScriptFailed(new LineFailure(line.Line, line.Text, $"{message}; {cause}", expected, actual, state, RowOf(s.Step.Row), s.At));
    }

    private static string S(long usecs) => (usecs / 1e6).ToString("0.000###", System.Globalization.CultureInfo.InvariantCulture);
}
