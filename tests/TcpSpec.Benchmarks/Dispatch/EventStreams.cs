using TcpSpec.Engines;

namespace TcpSpec.Benchmarks.Dispatch;

/// <summary>
/// Builds the benchmark streams by running two endpoints against each other with the generated
/// engine (through <see cref="TcpRuntime"/>, the user API) and recording every engine step.
/// </summary>
internal static class EventStreams
{
    /// <summary>Events per stream: every benchmark invocation replays this many.</summary>
    public const int Length = 4096;

    public const string HandshakeDataClose = "handshake-data-close";
    public const string Random = "random";

    public static readonly string[] Names = [HandshakeDataClose, Random];

    private static readonly Dictionary<string, EventStream> Cache = new();

    public static EventStream Get(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var s))
            {
                s = name switch
                {
                    HandshakeDataClose => new Recorder(name).Conversations(),
                    Random => new Recorder(name).RandomRun(seed: 9293),
                    _ => throw new ArgumentException($"unknown stream '{name}'", nameof(name)),
                };
                Cache[name] = s;
            }
            return s;
        }
    }

    private sealed class Recorder(string name)
    {
        private readonly TcpRuntime _rt = new(GeneratedEngine.Instance, TcpConfig.Default);
        private readonly Endpoint[] _eps = [Endpoint.Create(100, 0x10), Endpoint.Create(300, 0x20)];
        private readonly List<(int To, Segment Seg)> _net = new();
        private readonly List<StreamStep> _steps = new();
        private readonly List<int> _rows = new();
        private readonly List<Endpoint> _after = new();
        private readonly List<ulong> _outputs = new();
        private Endpoint[]? _initial;

        private bool Full => _steps.Count >= Length;

        private void Step(int h, TcpEvent ev, in Segment seg = default, uint amount = 0, TimerKind clear = TimerKind.None)
        {
            if (Full) return;
            ref var ep = ref _eps[h];
            ep.Timers &= ~clear;
            int row = _rt.Step(ref ep, ev, seg, amount);
            _steps.Add(new StreamStep((byte)h, ev, clear, amount, seg));
            _rows.Add(row);
            _after.Add(ep);
            _outputs.Add(EventStream.Digest(_rt.Effects));
            foreach (var s in _rt.Effects.Segments) _net.Add((1 - h, s));
        }

        private void Deliver(int i)
        {
            var (to, seg) = _net[i];
            _net.RemoveAt(i);
            Step(to, TcpRuntime.Classify(seg), seg);
        }

        private void Expire(int h, TimerKind t) =>
            Step(h, t switch { TimerKind.Retransmit => TcpEvent.RetransmitTimeout, TimerKind.TimeWait => TcpEvent.TimeWaitTimeout, _ => TcpEvent.UserTimeout }, default, 0, t);

        /// <summary>Deliver everything in flight, in order, until the network is empty.</summary>
        private void Pump()
        {
            while (_net.Count > 0 && !Full) Deliver(0);
        }

        private EventStream Finish()
        {
            if (_steps.Count != Length) throw new InvalidOperationException($"stream '{name}' has {_steps.Count} steps, not {Length}");
            return new EventStream
            {
                Name = name,
                Config = _rt.Config,
                Initial = _initial!,
                Steps = _steps.ToArray(),
                Rows = _rows.ToArray(),
                After = _after.ToArray(),
                Outputs = _outputs.ToArray(),
            };
        }

        /// <summary>
        /// Connection after connection without faults: B listens, A opens (three-way handshake),
        /// A sends 1200 octets (3 segments), B reads and answers 600 (2 segments), A closes, B closes,
        /// A's TIME-WAIT expires (RFC 9293 Figures 6 and 12).
        /// </summary>
        public EventStream Conversations()
        {
            _initial = (Endpoint[])_eps.Clone();
            while (!Full)
            {
                Step(1, TcpEvent.OpenPassive);
                Step(0, TcpEvent.OpenActive);
                Pump();
                Step(0, TcpEvent.Send, default, 1200);
                Pump();
                Step(1, TcpEvent.Receive);
                Step(1, TcpEvent.Send, default, 600);
                Pump();
                Step(0, TcpEvent.Receive);
                Step(0, TcpEvent.Close);
                Pump();
                Step(1, TcpEvent.Close);
                Pump();
                Expire(0, TimerKind.TimeWait);
                if (!Full && (_eps[0].State != TcpState.Closed || _eps[1].State != TcpState.Closed))
                    throw new InvalidOperationException($"the conversation did not end with both CLOSED: {_eps[0].State}, {_eps[1].State}");
            }
            return Finish();
        }

        /// <summary>
        /// A random run of the two endpoints: the applications open (sometimes both actively), send,
        /// receive, close and now and then abort; the network delivers any segment in flight
        /// (reordering), loses or duplicates one; armed timers fire. Every event is one the
        /// endpoints can meet; a new connection starts whenever both are idle.
        /// </summary>
        public EventStream RandomRun(int seed)
        {
            _initial = (Endpoint[])_eps.Clone();
            var rng = new System.Random(seed);
            var choices = new List<(int Weight, Action Act)>();
            while (!Full)
            {
                choices.Clear();
                for (int h = 0; h < 2; h++)
                {
                    int host = h;
                    var st = _eps[h].State;
                    switch (st)
                    {
                        case TcpState.Closed:
                            // A opens actively; B listens, or now and then opens actively too (simultaneous open).
                            choices.Add((6, () => Step(host, host == 0 ? TcpEvent.OpenActive : TcpEvent.OpenPassive)));
                            if (host == 1) choices.Add((1, () => Step(host, TcpEvent.OpenActive)));
                            break;
                        case TcpState.Established:
                        case TcpState.CloseWait:
                            choices.Add((4, () => Step(host, TcpEvent.Send, default, (uint)rng.Next(1, 1600))));
                            choices.Add((2, () => Step(host, TcpEvent.Receive)));
                            choices.Add((2, () => Step(host, TcpEvent.Close)));
                            choices.Add((1, () => Step(host, rng.Next(8) == 0 ? TcpEvent.Abort : TcpEvent.Receive)));
                            break;
                        default:
                            choices.Add((1, () => Step(host, rng.Next(3) switch { 0 => TcpEvent.Send, 1 => TcpEvent.Receive, _ => TcpEvent.Close }, default, 100)));
                            break;
                    }
                    var timers = _eps[h].Timers;
                    if ((timers & TimerKind.Retransmit) != 0) choices.Add((_net.Count == 0 ? 6 : 1, () => Expire(host, TimerKind.Retransmit)));
                    if ((timers & TimerKind.TimeWait) != 0) choices.Add((_net.Count == 0 ? 6 : 1, () => Expire(host, TimerKind.TimeWait)));
                    if ((timers & TimerKind.User) != 0) choices.Add((1, () => Expire(host, TimerKind.User)));
                }
                for (int i = 0; i < _net.Count; i++)
                {
                    int index = i;
                    choices.Add((8, () => Deliver(index)));
                    choices.Add((1, () => _net.RemoveAt(index)));
                    if (_net.Count < 12) choices.Add((1, () => _net.Add(_net[index])));
                }
                int total = choices.Sum(c => c.Weight);
                int pick = rng.Next(total);
                foreach (var (w, act) in choices)
                {
                    if (pick < w)
                    {
                        act();
                        break;
                    }
                    pick -= w;
                }
            }
            return Finish();
        }
    }
}
