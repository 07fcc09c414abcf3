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
/// The parts: <see cref="VirtualClock"/> (time and timer deadlines), <see cref="OutboundMatcher"/>
/// (packets sent and how a line is compared with them), <see cref="SocketLayer"/> (descriptors,
/// errno, blocking calls, socket options); this class runs the lines and steps the engine.
/// </summary>
public sealed class PacketdrillRunner
{
    private readonly Script _script;
    private IEngine _engine;
    private TcpRuntime _rt;
    private readonly long _tol;
    private readonly bool _strict;
    private readonly bool _fixedEngine;
    private Profiles.Profile? _profile;
    private Profiles.StackParameters _params;
    private Endpoint _ep;

    private readonly VirtualClock _clock = new();
    private readonly OutboundMatcher _outbound;
    private readonly SocketLayer _sockets;

    private EngineStep _lastStep; // the engine's latest step (its row explains a missing packet)
    private int _lineStepRow;     // the row of the current line's own step, if it made one

    private ScriptLine _line = null!;
    private readonly List<SkippedReport> _skipped = [];
    private readonly List<LineNote> _notes = [];
    private readonly List<CellHit> _cells = [];
    private int _linesRun;
    private int _checks;

    private PacketdrillRunner(Script script, PacketdrillOptions options)
    {
        _script = script;
        _profile = options.Profile;
        _params = options.Profile?.Parameters ?? Profiles.StackParameters.Rfc9293;
        _fixedEngine = options.Engine is not null;
        _engine = options.Engine ?? options.Profile?.Engine ?? GeneratedEngine.Instance;
        _strict = options.Strict;
        _rt = new TcpRuntime(_engine, options.Config ?? ConfigFor(script, _params.Constants));
        _tol = options.ToleranceUsecs
            ?? (long.TryParse(script.Option("tolerance_usecs"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var t)
                ? t : PacketdrillOptions.DefaultToleranceUsecs);
        _outbound = new OutboundMatcher(options.RemoteIsn);
        _sockets = new SocketLayer(this);
        _ep = Endpoint.Create(options.LocalIss);
        _localIss = options.LocalIss;
        _commands = new ScriptCommands(this);
    }

    private readonly uint _localIss;
    private readonly ScriptCommands _commands;


    /// <summary>Runs the script and reports pass or the first mismatch, the skipped lines and the cells met.</summary>
    public static ScriptResult Run(Script script, PacketdrillOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(script);
        return new PacketdrillRunner(script, options ?? new PacketdrillOptions()).Execute();
    }

    /// <summary>The default constants with the script's receive window and the peer's MSS (see <see cref="PacketdrillOptions.Config"/>).</summary>
    public static TcpConfig ConfigFor(Script script) => ConfigFor(script, TcpConfig.Default);

    /// <summary><paramref name="timers"/> (a profile's) with the script's receive window and the peer's MSS.</summary>
    public static TcpConfig ConfigFor(Script script, TcpConfig timers)
    {
        ArgumentNullException.ThrowIfNull(timers);
        var config = timers;
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
            if (_sockets.Waiting is { } waiting) AdvanceTo(waiting.Latest);
            if (_sockets.Waiting is { } p)
                Fail(p.Line, $"the blocking call never returned (the script ended at {S(_clock.Now)} s, in {StateName}); expected {p.Call.ExpectedText}",
                    p.Call.ExpectedText, "still blocked");
            if (_strict && _outbound.Count > 0)
            {
                var s = _outbound.First;
                FailSent(_line, s, $"unexpected outbound packet after the last line (sent at {S(s.At)} s)", "nothing", _outbound.Render(s.Seg));
            }
            return Result(null);
        }
        catch (ScriptFailed f)
        {
            return Result(f.Failure);
        }
    }

    private ScriptResult Result(LineFailure? failure) => new(_script.Path, failure, _skipped, _notes, _cells, _linesRun, _tol, _checks);

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
                    long t = _clock.At(line.Time);
                    AdvanceTo(t);
                    _clock.Last = Math.Max(t, _clock.Now);
                }
                Skip(line, s.Reason);
                return;
            case ShellLine or CodeLine:
            {
                if (line.Time.Kind is TimeKind.Absolute or TimeKind.Relative)
                {
                    long t = Begin(line);
                    _clock.Last = t;
                }
                if (_commands.Run(line)) _linesRun++;
                return;
            }
            case PacketLine { Inbound: true } p:
            {
                long t = Begin(line);
                Inject(p);
                _clock.Last = t;
                _linesRun++;
                return;
            }
            case PacketLine p:
                ExpectOutbound(line, p);
                _linesRun++;
                _checks++;
                return;
            case CallLine c:
            {
                long startBase = _clock.Last;
                long t = Begin(line);
                if (_sockets.Waiting is { } q)
                    Fail(q.Line, $"the blocking call had not returned when the next system call started (line {line.Line}, at {S(t)} s)",
                        q.Call.ExpectedText, "still blocked");
                _clock.Last = t;
                if (_sockets.RunCall(line, c, t, startBase))
                {
                    _linesRun++;
                    _checks++;
                }
                return;
            }
        }
    }

    internal void Skip(ScriptLine line, string reason, bool wasCheck = false) => _skipped.Add(new SkippedReport(line.Line, line.Text, reason, wasCheck));

    /// <summary>A state assertion or similar check that ran and held.</summary>
    internal void Checked() => _checks++;

    /// <summary>Moves the clock to an inbound packet's or a call's time: fires due timers, then requires that every sent packet was expected.</summary>
    private long Begin(ScriptLine line)
    {
        long t = _clock.At(line.Time);
        if (t < _clock.Now - _tol)
            Fail(line, $"the line is due at {S(t)} s but the script is already at {S(_clock.Now)} s (an earlier event ran late, or the times go backwards)", null, null);
        AdvanceTo(t);
        if (_strict && _outbound.Count > 0)
        {
            var s = _outbound.First;
            FailSent(line, s, $"unexpected outbound packet (sent at {S(s.At)} s, before this line)", "nothing before this line", _outbound.Render(s.Seg));
        }
        return Math.Max(t, _clock.Now);
    }

    // ---- the clock -----------------------------------------------------------------------------

    /// <summary>Fires every timer due by <paramref name="t"/> in deadline order, then sets the clock to <paramref name="t"/>.</summary>
    private void AdvanceTo(long t)
    {
        while (FireNextTimer(t)) { }
        _clock.MoveTo(t);
        if (_sockets.Waiting is { } p && _clock.Now > p.Latest)
            Fail(p.Line, $"the blocking call did not return by {S(p.Latest)} s (expected at {S(p.End)} s ± {S(_tol)} s; still blocked at {S(_clock.Now)} s in {StateName})",
                p.Call.ExpectedText, "still blocked");
    }

    /// <summary>Fires the earliest timer due by <paramref name="limit"/>, if any.</summary>
    private bool FireNextTimer(long limit)
    {
        if (_clock.NextDue(limit) is not { } due) return false;
        var (timer, deadline) = due;
        if (!_clock.CountFiring())
            Fail(_line, $"timers fired more than {VirtualClock.MaxTimerFirings} times (a timer of length 0?)", null, null);
        if (_sockets.Waiting is { } p && deadline > p.Latest)
            Fail(p.Line, $"the blocking call did not return by {S(p.Latest)} s (expected at {S(p.End)} s ± {S(_tol)} s)", p.Call.ExpectedText, "still blocked");
        _clock.Fire(timer);
        Do(TcpRuntime.TimeoutOf(timer), () => _rt.Expire(ref _ep, timer));
        return true;
    }

    // ---- engine steps ----------------------------------------------------------------------------

    /// <summary>One step of the engine: the event, the row that fired, the states before and after, the notices.</summary>
    internal readonly record struct EngineStep(int Row, TcpEvent Event, TcpState From, TcpState To, Notice[] Notices)
    {
        public bool Has(NoticeKind k) => Notices.Any(n => n.Kind == k);
    }

    /// <summary>The endpoint the engine steps (the socket layer reads it and passes it to user calls).</summary>
    internal ref Endpoint Ep => ref _ep;

    internal TcpRuntime Runtime => _rt;

    internal long Now => _clock.Now;

    internal long Tolerance => _tol;

    internal List<LineNote> Notes => _notes;

    /// <summary>The row of the current line's own step, if it made one (a call's mismatch names it).</summary>
    internal int LineStepRow => _lineStepRow;

    /// <summary>One engine step: its segments join the outbound queue, its timer commands set deadlines, its notices go to the sockets.</summary>
    internal EngineStep Do(TcpEvent ev, Func<int> step)
    {
        var from = _ep.State;
        uint rcvNxt = _ep.RcvNxt;
        int row = step();
        var fx = _rt.Effects;
        var s = new EngineStep(row, ev, from, _ep.State, fx.Notices.ToArray());
        var segments = fx.Segments.ToArray().Select(seg => Shaped(seg, s, rcvNxt)).ToArray();
        var timers = fx.TimerCommands.ToArray();
        _lastStep = s;
        _lineStepRow = row;
        foreach (var seg in segments) _outbound.Add(new OutboundMatcher.Sent(seg, _clock.Now, s, _line.Line));
        foreach (var tc in timers) _clock.Apply(tc);
        _sockets.OnStep(s);
        return s;
    }

    /// <summary>
    /// A segment as the profiled stack sends it: FreeBSD's reset of a connection (SendReset) is
    /// RST,ACK with ACK=RCV.NXT and window 0 (tcp_output.c), where RFC 9293 §3.10.5 sends a bare RST.
    /// </summary>
    private Segment Shaped(Segment seg, EngineStep step, uint rcvNxt)
    {
        if (!_params.ResetCarriesAck || !seg.IsRst || seg.IsAck) return seg;
        if (RowOf(step.Row) is not { } row || !row.Actions.Contains("SendReset", StringComparison.Ordinal)) return seg;
        return seg with { Flags = seg.Flags | TcpFlags.Ack, Ack = rcvNxt, Window = 0 };
    }

    /// <summary>The profile's parameters as the script has set them so far (sysctl lines change them).</summary>
    internal Profiles.StackParameters Parameters => _params;

    internal Profiles.Profile? Profile => _profile;

    /// <summary>A sysctl set a parameter: the endpoint's constants follow (a new runtime over the same endpoint).</summary>
    internal void SetParameters(Profiles.StackParameters p)
    {
        _params = p;
        var t = p.Constants;
        _rt = new TcpRuntime(_engine, _rt.Config with
        {
            InitialRtoMs = t.InitialRtoMs, MaxRtoMs = t.MaxRtoMs, MslMs = t.MslMs,
            MaxRetransmissions = t.MaxRetransmissions, SynMaxRetransmissions = t.SynMaxRetransmissions, R1Retransmissions = t.R1Retransmissions,
            DelayedAckMs = t.DelayedAckMs,
        });
    }

    /// <summary>A socket option changed an endpoint constant (SO_RCVBUF's window, TCP_USER_TIMEOUT).</summary>
    internal void SetConfig(TcpConfig config) => _rt = new TcpRuntime(_engine, config);

    /// <summary>A sysctl knob switched: the engine becomes the profile merged without the deviations now off. False if the engine is fixed (--spec without a profile) or the variant does not compile.</summary>
    internal bool SwitchDeviations(IReadOnlySet<string> disabled)
    {
        if (_profile is null || _fixedEngine) return false;
        if (_profile.Without(disabled) is not { } variant) return false;
        _profile = variant;
        _engine = variant.Engine;
        _rt = new TcpRuntime(_engine, _rt.Config);
        return true;
    }

    /// <summary>Forgets the connection without a segment (a listener closed before its connection was accepted): a fresh CLOSED endpoint, no timer armed.</summary>
    internal void DiscardEndpoint()
    {
        uint next = _ep.NextIss;
        _ep = Endpoint.Create(next == 0 ? _localIss : next);
        _clock.CancelAll();
    }

    internal bool StrictMode => _strict;

    /// <summary>Checks a state assertion (a tcpi_state name or number) against the engine's state.</summary>
    internal bool CheckState(ScriptLine line, string expected, string what) => _commands.CheckState(line, expected, what);

    internal TcpConfig Config => _rt.Config;

    /// <summary>The MSS an Ethernet link allows: 1460 over IPv4, 1440 over IPv6 (the script's --ip_version).</summary>
    internal ushort LinkMss => _script.Option("ip_version") == "ipv6" ? (ushort)1440 : (ushort)1460;

    internal IEngine Engine => _engine;

    internal string StateName => Name(_ep.State);

    private string Name(TcpState s) => (int)s < _engine.StateNames.Count ? _engine.StateNames[(int)s] : s.ToString();

    internal TcpMachine.Row? RowOf(int id) => id > 0 && id <= _engine.Rows.Count ? _engine.Rows[id - 1] : null;

    // ---- packets ---------------------------------------------------------------------------------

    private void Inject(PacketLine p)
    {
        NotePacket(p);
        var seg = _outbound.Inbound(p);
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
        var t = line.Time;
        var (lo, hi, due) = OutboundMatcher.Window(t, _clock, _tol);
        while (_outbound.Count == 0 && FireNextTimer(hi)) { }
        if (_outbound.Count == 0)
        {
            string by = hi == long.MaxValue ? "and no timer is armed" : $"by {S(hi)} s";
            Fail(line, $"expected outbound packet not sent {by} (in {StateName})", OutboundMatcher.Render(p), "nothing sent");
        }
        var s = _outbound.Take();
        var diff = _outbound.Differences(p, s.Seg);
        if (diff.Count > 0)
            FailSent(line, s, $"outbound packet differs in {string.Join(", ", diff)}", OutboundMatcher.Render(p), _outbound.Render(s.Seg));
        if (s.At < lo || s.At > hi)
        {
            string expected = t.Kind is TimeKind.AbsoluteRange or TimeKind.RelativeRange
                ? $"between {S(lo + _tol)} s and {S(hi - _tol)} s" : $"at {S(due)} s";
            FailSent(line, s, $"outbound packet sent at {S(s.At)} s, expected {expected} ± {S(_tol)} s", OutboundMatcher.Render(p), _outbound.Render(s.Seg));
        }
        _clock.MoveTo(s.At);
        _clock.Last = s.At;
    }

    /// <summary>Control bits the way packetdrill writes them: <c>S.</c>, <c>F.</c>, <c>R</c>, <c>.</c>.</summary>
    public static string FlagText(TcpFlags f) => OutboundMatcher.FlagText(f);

    // ---- failures ------------------------------------------------------------------------------------

    /// <summary>Ends the run at the first mismatch (caught in <see cref="Execute"/>).</summary>
    internal sealed class ScriptFailed(LineFailure failure) : Exception(failure.Message)
    {
        public LineFailure Failure { get; } = failure;
    }

    internal void Fail(ScriptLine line, string message, string? expected, string? actual) =>
        throw new ScriptFailed(new LineFailure(line.Line, line.Text, message, expected, actual, StateName, RowOf(_lastStep.Row), _clock.Now));

    internal void Fail(int lineNumber, string message, string? expected, string? actual)
    {
        var line = _script.Lines.FirstOrDefault(l => l.Line == lineNumber) ?? _line;
        Fail(line, message, expected, actual);
    }

    private void FailSent(ScriptLine line, OutboundMatcher.Sent s, string message, string expected, string actual)
    {
        string state = s.Step.From == s.Step.To ? Name(s.Step.To) : $"{Name(s.Step.From)} → {Name(s.Step.To)}";
        var ev = TcpMachine.EventNames[(int)s.Step.Event];
        var cause = s.Step.Event switch
        {
            _ when TcpRuntime.TimerOf(s.Step.Event) is not null => $"sent when {ev} fired",
            >= TcpEvent.Syn and <= TcpEvent.Bare => $"sent in reply to the {ev} of line {s.Line}",
            _ => $"sent on the {ev} of line {s.Line}",
        };
        throw new ScriptFailed(new LineFailure(line.Line, line.Text, $"{message}; {cause}", expected, actual, state, RowOf(s.Step.Row), s.At));
    }

    internal static string S(long usecs) => (usecs / 1e6).ToString("0.000###", System.Globalization.CultureInfo.InvariantCulture);
}
