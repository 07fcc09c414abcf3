using TcpSpec.Language;
namespace TcpSpec.Conformance.Observer;

/// <summary>
/// One step of the profile's table on a copy of a <see cref="Candidate"/>: the engine decides the
/// event, and the step's bookkeeping follows (the segments the row emitted become owed, what the
/// peer acknowledged stops being owed, a deviation row is named). Also what the observer knows of
/// the table's states: their names, which are synchronized, CLOSED and LISTEN.
/// </summary>
internal sealed class CandidateStepper
{
    /// <summary>MSS and windows as large as a segment and the TCB can say; R2 as a choice (see <see cref="HiddenMoves"/>).</summary>
    internal static readonly TcpConfig Config = new() { Mss = 65535, ReceiveWindow = 65535, MaxRetransmissions = 1, SynMaxRetransmissions = 1, UserTimeoutMs = 0 };

    private const int MaxOwed = 16;

    private readonly TcpRuntime _runtime;
    private readonly bool[] _synchronized;

    public CandidateStepper(Profile profile)
    {
        Profile = profile;
        _runtime = new TcpRuntime(profile.Engine, Config);
        var table = profile.Engine.Table;
        StateNames = table.States.Select(s => s.Name).ToArray();
        _synchronized = Enumerable.Range(0, table.States.Count).Select(s => table.Is(s, StateRole.Synchronized)).ToArray();
        Initial = table.StateWith(StateRole.Initial);
        Listen = table.StateWith(StateRole.Listening);
    }

    public Profile Profile { get; }

    public IReadOnlyList<string> StateNames { get; }

    /// <summary>The initial (CLOSED) state's number.</summary>
    public int Initial { get; }

    /// <summary>The LISTEN state's number, or -1 when the table has none.</summary>
    public int Listen { get; }

    internal string StateName(int state) => state >= 0 && state < StateNames.Count ? StateNames[state] : $"state {state}";

    internal bool Synchronized(in Endpoint ep) => (int)ep.State < _synchronized.Length && _synchronized[(int)ep.State];

    internal bool ClosedOrListen(int state) => state == Initial || state == Listen;

    /// <summary>A passive OPEN on the bare endpoint (a starting point, not a step of a candidate).</summary>
    internal void OpenPassive(ref Endpoint ep) => _runtime.OpenPassive(ref ep);

    /// <summary>One step of the engine on a copy of the candidate: the new candidate, what it emitted and the row.</summary>
    internal Candidate Step(Candidate c, TcpEvent ev, in Segment seg, uint amount, string cause, long frame, bool r2, out Segment[] emitted, out int row)
    {
        var ep = c.Ep;
        if (TcpRuntime.TimerOf(ev) is { } timer)
        {
            ep.Retries = r2 ? (byte)Config.MaxRetransmissions : (byte)0;
            row = _runtime.Expire(ref ep, timer);
        }
        else if (ev == TcpEvent.Send && Seq.Gt(ep.SndUna, ep.Iss))
        {
            // Flow control is not checked: a SEND goes out whole, whatever the flight. The TCB's
            // 16-bit SND.WND cannot hold a scaled window (RFC 7323), so the observer opens the
            // window for the step (SND.UNA at SND.NXT, SND.WND at its largest) and restores both.
            uint una = ep.SndUna;
            ushort wnd = ep.SndWnd;
            ep.SndUna = ep.SndNxt;
            ep.SndWnd = ushort.MaxValue;
            row = _runtime.Step(ref ep, ev, seg, amount);
            ep.SndUna = una;
            ep.SndWnd = wnd;
        }
        else
        {
            row = _runtime.Step(ref ep, ev, seg, amount);
        }
        emitted = _runtime.Effects.Segments.ToArray();
        ep.RcvWnd = (ushort)Math.Min(Config.ReceiveWindow, ep.RcvWnd + ep.RcvBuffered); // the application reads whatever arrives,
        ep.RcvBuffered = 0;                                                             // so the window it freed opens again
        ep.Retries = 0;     // R2 is a choice the observer makes at each timeout

        var next = c.Clone();
        next.Ep = ep;
        bool forgotten = ClosedOrListen((int)ep.State) && (int)c.Ep.State != (int)ep.State;
        var owed = forgotten ? new List<Owed>() : c.Owed.ToList();
        if (forgotten)
        {
            next.HasLastAck = false;
            next.HasSentHigh = false;
        }
        // A new incarnation without passing through CLOSED or LISTEN (a SYN accepted in TIME-WAIT):
        // what the old one was seen sending and acknowledging says nothing about the new one.
        if (ep.Iss != c.Ep.Iss) next.HasSentHigh = false;
        if (ep.Irs != c.Ep.Irs) next.HasLastAck = false;
        bool sync = Synchronized(ep);
        bool hadSyn = c.Ep.Has(EndpointFlags.SynReceived);
        foreach (var s in emitted)
        {
            if (sync && IsPureAck(s)) continue; // covered by the pure-ACK rule
            owed.Add(new Owed(s, row, frame, SegmentMatcher.AckFloor(c), c.Ep.RcvNxt, hadSyn));
        }
        next.Owed = Prune(owed, ep);
        if (row > 0 && Profile.DeviationRows.TryGetValue(row, out var dev))
            next.Assumptions = [.. c.Assumptions, new Assumption(dev.Id, frame, dev.Description)];
        next.History = new Lineage(c.History, (int)ep.State, cause, frame, row);
        return next;
    }

    internal static bool IsPureAck(in Segment s) => (s.Flags & (TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Rst | TcpFlags.Ack)) == TcpFlags.Ack && s.Length == 0;

    internal static bool DataLike(in Segment s) => !s.IsSyn && !s.IsRst && (s.Length > 0 || s.IsFin);

    /// <summary>Drops what the peer has acknowledged (and trims what it acknowledged in part), keeps at most <see cref="MaxOwed"/>.</summary>
    private static Owed[] Prune(List<Owed> owed, in Endpoint ep)
    {
        if (ep.Has(EndpointFlags.SynReceived) && Seq.Gt(ep.SndUna, ep.Iss))
        {
            for (int i = owed.Count - 1; i >= 0; i--)
            {
                var s = owed[i].Seg;
                if (s.IsSyn) { owed.RemoveAt(i); continue; }
                if (!DataLike(s)) continue;
                uint end = s.Seq + s.SegLen;
                if (Seq.Le(end, ep.SndUna)) { owed.RemoveAt(i); continue; }
                if (Seq.Lt(s.Seq, ep.SndUna))
                {
                    uint cut = ep.SndUna - s.Seq;
                    if (cut <= s.Length) owed[i] = owed[i] with { Seg = s with { Seq = s.Seq + cut, Length = (ushort)(s.Length - cut), Payload = s.Payload + cut } };
                }
            }
        }
        if (owed.Count > MaxOwed) owed.RemoveRange(0, owed.Count - MaxOwed);
        return owed.ToArray();
    }
}
