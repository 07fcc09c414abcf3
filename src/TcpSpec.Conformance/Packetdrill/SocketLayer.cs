namespace TcpSpec.Conformance.Packetdrill;

/// <summary>
/// The script's sockets over the one endpoint the engine is: descriptors (socket, accept, close),
/// socket options (SO_LINGER), the RFC 9293 user call each system call is (§3.9), the errno each
/// returns (from the engine's notices), and calls that block until the engine lets them complete.
/// It steps the engine, and fails a line, through the <see cref="PacketdrillRunner"/> that owns it.
/// </summary>
internal sealed class SocketLayer(PacketdrillRunner run)
{
    private readonly PacketdrillRunner _run = run;
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
    private bool _readShut;         // shutdown(SHUT_RD): reads return end of file
    private uint? _rcvBufSet;       // SO_RCVBUF as set (null: the profile's default)
    private uint? _sndBufSet;

    /// <summary>The blocking call still waiting, if any.</summary>
    public Pending? Waiting => _pending;

    /// <summary>After every engine step: its notices set the socket's error and end of file, and a blocked call whose condition now holds returns.</summary>
    public void OnStep(PacketdrillRunner.EngineStep s)
    {
        foreach (var n in s.Notices)
        {
            switch (n.Kind)
            {
                case NoticeKind.ConnectionReset:
                    _soError = s.From == TcpState.SynSent ? "ECONNREFUSED" : "ECONNRESET";
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
        if (Synchronized(_run.Ep.State)) _everSynchronized = true;
        CheckPending();
    }

    private static bool Synchronized(TcpState s) => s is not (TcpState.Closed or TcpState.Listen or TcpState.SynSent or TcpState.SynReceived);

    private sealed class Sock(int fd)
    {
        public int Fd { get; } = fd;
        public bool Closed { get; set; }
        public bool AbortOnClose { get; set; }
    }

    public sealed record Pending(CallLine Call, int Line, string Text, long End, long Latest);

    private readonly record struct Outcome(long Value, string? Errno)
    {
        public static Outcome Ok(long v) => new(v, null);

        public static Outcome Err(string errno) => new(-1, errno);

        public override string ToString() => Errno is null ? Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"-1 {Errno}";
    }

    /// <summary>Runs a call at time <paramref name="t"/>; false if it was skipped.</summary>
    public bool RunCall(ScriptLine line, CallLine c, long t, long startBase)
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
            _run.Skip(line, $"fd {c.Fd} is not the modelled socket (the engine is one endpoint)");
            return false;
        }
        if (c.Kind is CallKind.GetSockOpt or CallKind.SetSockOpt or CallKind.Ioctl) return SocketOption(line, c, sock, isEndpoint);
        if (isListener && !isEndpoint && c.Kind is not (CallKind.Close or CallKind.Bind or CallKind.Listen or CallKind.SetLinger))
        {
            _run.Skip(line, $"{c.Name} on the listening socket after accept is not modelled (one connection per script)");
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
                    _run.Notes.Add(new LineNote(line.Line, "SO_LINGER with a linger time: close() stays a graceful CLOSE"));
                Check(line, c, Outcome.Ok(0));
                return true;
            }
            case CallKind.Listen:
            {
                if (!isEndpoint || _run.Ep.State == TcpState.Listen)
                {
                    Check(line, c, Outcome.Ok(0));
                    return true;
                }
                var s = _run.Do(TcpEvent.OpenPassive, () => _run.Runtime.OpenPassive(ref _run.Ep));
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
                if (isListener && !_accepted && _run.Ep.State != TcpState.Listen)
                {
                    // The listener goes with the connections not yet accepted: one still in
                    // SYN-RECEIVED is forgotten without a segment (FreeBSD syncache, Linux request
                    // socks); one already established is aborted with a reset (FreeBSD soabort,
                    // Linux inet_csk_listen_stop).
                    if (_run.Ep.State == TcpState.SynReceived) _run.DiscardEndpoint();
                    else if (Synchronized(_run.Ep.State)) _run.Do(TcpEvent.Abort, () => _run.Runtime.Abort(ref _run.Ep));
                }
                else if (isEndpoint)
                {
                    // RFC 1122 §4.2.2.13: a close with received data not yet read sends a reset.
                    bool unread = _run.Ep.RcvBuffered > 0 && Synchronized(_run.Ep.State);
                    if (sock.AbortOnClose || unread) _run.Do(TcpEvent.Abort, () => _run.Runtime.Abort(ref _run.Ep));
                    else _run.Do(TcpEvent.Close, () => _run.Runtime.Close(ref _run.Ep));
                }
                Check(line, c, Outcome.Ok(0));
                return true;
            }
            case CallKind.Shutdown:
            {
                if (isListener && !_accepted)
                {
                    Check(line, c, Outcome.Err("ENOTCONN"));
                    return true;
                }
                if (c.How is ShutdownHow.Read or ShutdownHow.Both) _readShut = true;
                if (c.How == ShutdownHow.Read)
                {
                    // SHUT_RD sends no segment: later reads return end of file (RFC 1122 §4.2.2.13 leaves it to the host).
                    Check(line, c, _run.Ep.State == TcpState.Closed && !_everSynchronized ? Outcome.Err("ENOTCONN") : Outcome.Ok(0));
                    return true;
                }
                var s = _run.Do(TcpEvent.Close, () => _run.Runtime.Close(ref _run.Ep));
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
                var s = _run.Do(TcpEvent.Send, () => _run.Runtime.Send(ref _run.Ep, c.Count));
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
                    _run.Skip(line, "a second accept is not modelled (one connection per script)");
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

    /// <summary>getsockopt, setsockopt (other than SO_LINGER) and ioctl.</summary>
    private bool SocketOption(ScriptLine line, CallLine c, Sock sock, bool isEndpoint)
    {
        string opt = c.Args.Count >= 3 ? c.Args[2] : c.Args.Count >= 2 ? c.Args[1] : "?";
        string? value = c.Kind == CallKind.Ioctl ? (c.Args.Count >= 3 ? c.Args[2] : null) : (c.Args.Count >= 4 ? c.Args[3] : null);
        if (c.Kind == CallKind.Ioctl) opt = c.Args.Count >= 2 ? c.Args[1] : "?";
        switch (c.Kind, opt)
        {
            case (CallKind.GetSockOpt, "SO_ERROR"):
            {
                var err = TakeError();
                CheckValue(line, c, value, err ?? "0");
                return true;
            }
            case (CallKind.GetSockOpt, "SO_RCVBUF"):
                CheckValue(line, c, value, Buffer(_rcvBufSet, _run.Parameters.ReceiveBuffer, isEndpoint, round: true).ToString(System.Globalization.CultureInfo.InvariantCulture));
                return true;
            case (CallKind.GetSockOpt, "SO_SNDBUF"):
                CheckValue(line, c, value, Buffer(_sndBufSet, _run.Parameters.SendBuffer, isEndpoint, round: false).ToString(System.Globalization.CultureInfo.InvariantCulture));
                return true;
            case (CallKind.GetSockOpt, "TCP_INFO"):
            {
                var m = System.Text.RegularExpressions.Regex.Match(value ?? "", @"tcpi_state\s*=\s*([A-Za-z_0-9]+)");
                if (!m.Success)
                {
                    _run.Skip(line, "getsockopt TCP_INFO without tcpi_state: no field the runner models", wasCheck: true);
                    return false;
                }
                Check(line, c, Outcome.Ok(0));
                return _run.CheckState(line, m.Groups[1].Value, $"tcpi_state={m.Groups[1].Value}");
            }
            case (CallKind.SetSockOpt, "SO_RCVBUF" or "SO_SNDBUF"):
            {
                if (Number(value) is not { } n) break;
                if (opt == "SO_RCVBUF")
                {
                    _rcvBufSet = (uint)Math.Min(n, int.MaxValue);
                    // The window advertised is the buffer, up to the 16-bit field (no window scaling modelled).
                    _run.SetConfig(_run.Config with { ReceiveWindow = (ushort)Math.Min(n, ushort.MaxValue) });
                }
                else _sndBufSet = (uint)Math.Min(n, int.MaxValue);
                Check(line, c, Outcome.Ok(0));
                return true;
            }
            case (CallKind.SetSockOpt, "TCP_USER_TIMEOUT"):
            {
                if (Number(value) is not { } ms) break;
                // RFC 9293 §3.10.8's user timeout, in milliseconds as Linux takes it.
                _run.SetConfig(_run.Config with { UserTimeoutMs = (int)Math.Min(ms, int.MaxValue) });
                Check(line, c, Outcome.Ok(0));
                return true;
            }
            case (CallKind.Ioctl, "SIOCINQ" or "FIONREAD"):
                CheckValue(line, c, value, _run.Ep.RcvBuffered.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return true;
        }
        bool isCheck = c.Kind is CallKind.GetSockOpt or CallKind.Ioctl;
        _run.Skip(line, $"{c.Name} {opt} is not modelled", wasCheck: isCheck);
        return false;
    }

    /// <summary>A buffer's size as getsockopt reports it: as set (times the profile's factor) or the default, rounded up to the MSS once the connection's MSS is known where the stack does.</summary>
    private uint Buffer(uint? set, uint @default, bool isEndpoint, bool round)
    {
        var p = _run.Parameters;
        ulong size = set is { } s ? (ulong)s * (ulong)p.SetBufferFactor : @default;
        if (round && p.RoundBufferToMss && isEndpoint && _endpointFd != _listenFd && (_everSynchronized || _run.Ep.State == TcpState.SynReceived))
        {
            // The connection's MSS: the peer's, at most what the link allows (1500 octets less 40 or 60 of headers).
            ulong mss = Math.Min(_run.Config.Mss, _run.LinkMss);
            if (mss > 0) size = (size + mss - 1) / mss * mss;
        }
        return (uint)Math.Min(size, uint.MaxValue);
    }

    private static long? Number(string? value)
    {
        var t = (value ?? "").Trim('[', ']', ' ');
        return long.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>The call's result and the value it writes (<c>[65536]</c>, <c>[ECONNRESET]</c>; <c>...</c> for any).</summary>
    private void CheckValue(ScriptLine line, CallLine c, string? expected, string actual)
    {
        Check(line, c, Outcome.Ok(0));
        var want = (expected ?? "...").Trim();
        if (want == "...") return;
        want = want.Trim('[', ']', ' ');
        bool same = want == actual || (want.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(want.AsSpan(2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var h)
            && h.ToString(System.Globalization.CultureInfo.InvariantCulture) == actual);
        if (!same)
            throw new PacketdrillRunner.ScriptFailed(new LineFailure(line.Line, line.Text, $"{c.Name} {(c.Args.Count >= 3 ? c.Args[c.Kind == CallKind.Ioctl ? 1 : 2] : "")} gives [{actual}], expected [{want}]",
                $"[{want}]", $"[{actual}]", _run.StateName, _run.RowOf(_run.LineStepRow), _run.Now));
    }

    private bool Socket(ScriptLine line, CallLine c)
    {
        bool free = _endpointFd is null
            || (_fds.Values.All(s => s.Closed) && _run.Ep.State == TcpState.Closed);
        if (!free)
        {
            _run.Skip(line, "a second socket is not modelled (the engine is one endpoint)");
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
            _accepted = _connecting = _connectReported = _everSynchronized = _peerFin = _readShut = false;
            _soError = null;
            _rcvBufSet = _sndBufSet = null;
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
        if (!_connecting || (_run.Ep.State == TcpState.Closed && _soError is null))
        {
            _connecting = true;
            _connectReported = false;
            var s = _run.Do(TcpEvent.OpenActive, () => _run.Runtime.OpenActive(ref _run.Ep));
            if (s.Has(NoticeKind.ErrorConnectionExists))
            {
                Check(line, c, Outcome.Err(Synchronized(_run.Ep.State) ? "EISCONN" : "EALREADY"));
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
        if (_run.Ep.State is TcpState.SynSent or TcpState.SynReceived)
        {
            Complete(line, c, t, startBase, null, "EALREADY");
            return;
        }
        if (Synchronized(_run.Ep.State))
        {
            Check(line, c, _connectReported ? Outcome.Err("EISCONN") : Outcome.Ok(0));
            _connectReported = true;
            return;
        }
        Check(line, c, TakeError() is { } err ? Outcome.Err(err) : Outcome.Err("ECONNRESET"));
    }

    private Outcome? TryConnect()
    {
        if (Synchronized(_run.Ep.State))
        {
            _connectReported = true;
            return Outcome.Ok(0);
        }
        if (_soError is not null) return Outcome.Err(TakeError()!);
        if (_run.Ep.State == TcpState.Closed) return Outcome.Err("ECONNRESET");
        return null;
    }

    private Outcome? TryAccept(CallLine c)
    {
        if (!Synchronized(_run.Ep.State) && !(_run.Ep.State == TcpState.Closed && _everSynchronized)) return null;
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
        if (_readShut) return Outcome.Ok(0);
        if (c.Args.Count >= 4 && c.Args[3].Contains("MSG_PEEK", StringComparison.Ordinal) && _run.Ep.RcvBuffered > 0)
            return Outcome.Ok(Math.Min(c.Count, _run.Ep.RcvBuffered)); // MSG_PEEK: the text stays queued
        if (_run.Ep.RcvBuffered > 0)
        {
            var s = _run.Do(TcpEvent.Receive, () => _run.Runtime.Receive(ref _run.Ep, c.Count));
            var delivered = s.Notices.FirstOrDefault(n => n.Kind == NoticeKind.Delivered);
            return Outcome.Ok(delivered.Kind == NoticeKind.Delivered ? delivered.B : 0);
        }
        if (_soError is not null) return Outcome.Err(TakeError()!);
        if (_run.Ep.State == TcpState.Closed)
        {
            _run.Do(TcpEvent.Receive, () => _run.Runtime.Receive(ref _run.Ep, c.Count));
            return _everSynchronized || _peerFin ? Outcome.Ok(0) : Outcome.Err("ENOTCONN");
        }
        if (_run.Ep.Has(EndpointFlags.FinReceived))
        {
            var s = _run.Do(TcpEvent.Receive, () => _run.Runtime.Receive(ref _run.Ep, c.Count));
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
        _pending = new Pending(c, line.Line, line.Text, end, end + _run.Tolerance);
    }

    private void CheckReturnTime(ScriptLine line, CallLine c, long end)
    {
        if (_run.Now < end - _run.Tolerance || _run.Now > end + _run.Tolerance)
            _run.Fail(line, $"{c.Name} returned at {PacketdrillRunner.S(_run.Now)} s, expected at {PacketdrillRunner.S(end)} s ± {PacketdrillRunner.S(_run.Tolerance)} s", c.ExpectedText, $"returned at {PacketdrillRunner.S(_run.Now)} s");
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
            if (_run.Now < p.End - _run.Tolerance || _run.Now > p.Latest)
                _run.Fail(line, $"the blocking {p.Call.Name} returned at {PacketdrillRunner.S(_run.Now)} s, expected at {PacketdrillRunner.S(p.End)} s ± {PacketdrillRunner.S(_run.Tolerance)} s",
                    p.Call.ExpectedText, $"{o.Value} at {PacketdrillRunner.S(_run.Now)} s");
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
            throw new PacketdrillRunner.ScriptFailed(new LineFailure(line.Line, line.Text, $"{c.Name} returned {actual}, expected {c.ExpectedText}",
                c.ExpectedText, actual.ToString(), _run.StateName, _run.RowOf(_run.LineStepRow), _run.Now));
    }

    private static bool SameErrno(string a, string b) => a == b || (a is "EAGAIN" or "EWOULDBLOCK" && b is "EAGAIN" or "EWOULDBLOCK");
}
