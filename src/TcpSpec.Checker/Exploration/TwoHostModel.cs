using TcpSpec.Checker.Model;
using TcpSpec.Engines;

namespace TcpSpec.Checker.Exploration;

/// <summary>Options of the model that are not budgets.</summary>
public sealed record ModelOptions
{
    /// <summary>Let the retransmission timer fire while segments are in flight (an RTO shorter than the round trip). Off: it fires only when the network holds nothing of the current incarnations.</summary>
    public bool SpuriousTimeouts { get; init; }

    /// <summary>
    /// The untimed over-approximation: any armed timer may fire once the network is quiet, in any
    /// order, whatever its duration. Off (the default): timers carry deadlines on the logical
    /// clock of <see cref="TimerClock"/> and the earliest fires first.
    /// </summary>
    public bool UntimedTimers { get; init; }

    /// <summary>ISS of host A's first incarnation (RFC 9293's figures use 100).</summary>
    public uint IssA { get; init; } = 100;

    /// <summary>ISS of host B's first incarnation (RFC 9293's figures use 300).</summary>
    public uint IssB { get; init; } = 300;

    /// <summary>How far a restarted host's ISS moves per incarnation: small, so old duplicates land near new windows.</summary>
    public uint IssStride { get; init; } = 8;

    /// <summary>The endpoint constants of the model: MSS 1 (one octet per segment), a small window, R2 of 3.</summary>
    public TcpConfig Config { get; init; } = new() { Mss = 1, ReceiveWindow = 4, MaxRetransmissions = 3, IssStep = 16 };
}

/// <summary>
/// The model of one scenario that the checker explores: two hosts running the engine (generated,
/// or an interpreted table), their applications' scripts, the network between them, the fault
/// budgets and the model options, and the initial world built from them. It names no property:
/// a strategy is handed those. Immutable and shared by the workers; <see cref="Stepper"/> holds
/// the per-worker mutable parts.
/// </summary>
public sealed class TwoHostModel
{
    public TwoHostModel(IEngine engine, Scenario scenario, Budgets budgets, ModelOptions? options = null)
    {
        Engine = engine;
        Scenario = scenario;
        Budgets = budgets with { MaxInFlight = Math.Min(budgets.MaxInFlight, Network.Capacity) };
        Options = options ?? new ModelOptions();
        States = new StateIds(engine);
        var probe = new Setup(Options.IssA, Options.IssB, Options.IssStride, Options.Config);
        int oldSegments = scenario.InitialFlights?.Invoke(probe).Count() ?? 0;
        // R2 above every fault the budgets allow: a connection then gives up only when the protocol
        // itself stops making progress, never merely because the environment used its budget.
        // A scenario with its own limits (a host that really gives up) keeps them as given.
        int r2 = Math.Max(Options.Config.MaxRetransmissions, Budgets.Loss + Budgets.Dup + Budgets.Stale + Budgets.Attack + oldSegments + 2);
        var limits = scenario.Limits;
        Config = Options.Config with
        {
            MaxRetransmissions = limits?.R2 ?? r2,
            SynMaxRetransmissions = limits?.SynR2 ?? r2,
            R1Retransmissions = limits?.R1 ?? Options.Config.R1Retransmissions,
            UserTimeoutMs = limits is null ? Options.Config.UserTimeoutMs : limits.UserTimeoutMs,
            ReceiveWindow = scenario.ReceiveBuffer ?? Options.Config.ReceiveWindow,
            DelayedAckMs = scenario.DelayedAckMs > 0 ? scenario.DelayedAckMs : Options.Config.DelayedAckMs,
        };
        Setup = probe with { Config = Config };
        AttackGuesses = GuessMask(scenario.AttackGuesses);
        Initial = BuildInitial();
    }

    /// <summary>The blind attacker's guesses in play, one bit per <see cref="Forgery"/> index (the scenario's <see cref="Scenario.AttackGuesses"/>).</summary>
    public uint AttackGuesses { get; }

    private static uint GuessMask(string[]? names)
    {
        if (names is null) return Forgery.Count >= 32 ? uint.MaxValue : (1u << Forgery.Count) - 1;
        uint mask = 0;
        foreach (var name in names)
        {
            int i = Enumerable.Range(0, Forgery.Count).FirstOrDefault(k => Forgery.Name(k) == name, -1);
            if (i < 0) throw new ArgumentException($"no forged guess is named '{name}'", nameof(names));
            mask |= 1u << i;
        }
        return mask;
    }

    public IEngine Engine { get; }
    public Scenario Scenario { get; }
    public Budgets Budgets { get; }
    public ModelOptions Options { get; }
    public StateIds States { get; }
    public Setup Setup { get; }
    public World Initial { get; }

    /// <summary>The endpoint constants in force: the model options' config with R2 raised above the fault budgets and the scenario's receive buffer.</summary>
    public TcpConfig Config { get; }

    /// <summary>The ISS of a host's incarnation.</summary>
    public uint IssFor(int host, int incarnation) =>
        (host == 0 ? Options.IssA : Options.IssB) + (uint)incarnation * Options.IssStride;

    public bool MayListen(int host) => Scenario.Script(host).Any(o => o.Kind is OpKind.OpenPassive or OpKind.OpenPassiveForeign);

    private World BuildInitial()
    {
        var w = new World
        {
            LossLeft = (byte)Budgets.Loss,
            DupLeft = (byte)Budgets.Dup,
            CrashLeft = (byte)Budgets.Crash,
            StaleLeft = (byte)Budgets.Stale,
            AttackLeft = (byte)Budgets.Attack,
            CallsLeft = (byte)Budgets.Calls,
            IcmpLeft = (byte)Budgets.Icmp,
        };
        for (int h = 0; h < 2; h++)
        {
            ref var host = ref w.HostRef(h);
            host.Ep = Endpoint.Create(IssFor(h, 0), HostState.StreamTagOf(h, 0));
            host.FirstIss = IssFor(h, 0);
        }
        if (Scenario.StartEstablished) Handshake(ref w);
        RunPrelude(ref w);
        if (Scenario.InitialFlights is not null)
        {
            foreach (var f in Scenario.InitialFlights(Setup)) w.Net.Add(f);
        }
        return w;
    }

    private void RunPrelude(ref World w)
    {
        var stepper = new Stepper(this);
        foreach (int h in new[] { 1, 0 })
        {
            for (int i = 0; i < Scenario.Prelude[h]; i++)
            {
                stepper.Apply(ref w, new Move(MoveKind.App, (byte)h, 0));
                _setupSteps.AddRange(stepper.Log.Steps);
                int row = stepper.Log.Steps.LastOrDefault(st => st.Host == h).Row;
                foreach (var f in stepper.Log.Sent) _setupSegments.Add((f, row, false));
            }
        }
    }

    private readonly List<EngineStep> _setupSteps = new();

    private readonly List<(Flight Flight, int Row, bool Delivered)> _setupSegments = new();

    /// <summary>The segments sent while building the initial world (the handshake of a scenario that starts ESTABLISHED, then the prelude's), with the row that sent each and whether it was delivered then: a capture of the run starts with them.</summary>
    public IReadOnlyList<(Flight Flight, int Row, bool Delivered)> SetupSegments => _setupSegments;

    /// <summary>The engine steps taken to build the initial world (handshake, prelude): they count for coverage.</summary>
    public IReadOnlyList<EngineStep> SetupSteps => _setupSteps;

    /// <summary>
    /// Opens the connection without faults: A active, B passive, the three segments delivered in
    /// order (RFC 9293 §3.5 Figure 6). An edited table may not open it so: a step that sends no
    /// segment where the handshake needs one, or ends elsewhere than ESTABLISHED, makes the
    /// scenario unable to start (<see cref="ScenarioCannotStartException"/>), never an index error.
    /// </summary>
    private void Handshake(ref World w)
    {
        var rt = new TcpRuntime(Engine, Config);
        string Why(string what) =>
            $"scenario '{Scenario.Name}' starts from ESTABLISHED, but the table does not open a connection with a plain three-way handshake (RFC 9293 §3.5 Figure 6): {what}";
        string RowOf(int id) => id == 0 ? "no row decides it" : $"row at line {Engine.Rows.FirstOrDefault(r => r.Id == id)?.Line ?? 0}";
        var clock = new TimerClock();
        void Record(int host, TcpEvent ev, TcpState from, TcpState to)
        {
            _setupSteps.Add(new EngineStep(host, ev, rt.Effects.Row, from, to, null));
            if (!Options.UntimedTimers) clock.Apply(host, rt.Effects.TimerCommands, Config.InitialRtoMs);
        }
        var b = w.B.Ep;
        var a = w.A.Ep;
        rt.OpenPassive(ref b);
        Record(1, TcpEvent.OpenPassive, default, b.State);
        var beforeA = a.State;
        int rowA = rt.OpenActive(ref a);
        Record(0, TcpEvent.OpenActive, beforeA, a.State);
        var syn = First(rt, 0, beforeA, TcpEvent.OpenActive, rowA, "SYN");
        var synAck = Deliver(rt, 1, ref b, syn, "SYN-ACK");
        var ack = Deliver(rt, 0, ref a, synAck, "ACK");
        Deliver(rt, 1, ref b, ack, null);
        w.A.Ep = a;
        w.B.Ep = b;
        w.Clock = clock; // the handshake takes no time: timers it left armed run from the start
        if (w.StaleLeft > 0)
        {
            // The handshake was sent in this run: its segments are old duplicates the network may deliver again.
            w.Seen.Remember(new Flight(syn, 0, 0));
            w.Seen.Remember(new Flight(synAck, 1, 0));
            w.Seen.Remember(new Flight(ack, 0, 0));
        }
        if (!States.Open(a.State) || !States.Open(b.State))
            throw new ScenarioCannotStartException(Why($"A is {States.Name(a.State)}, B is {States.Name(b.State)} after it"));

        Segment Deliver(TcpRuntime rt, int host, ref Endpoint ep, in Segment seg, string? reply)
        {
            var before = ep.State;
            var ev = TcpRuntime.Classify(seg);
            int row = rt.Arrive(ref ep, seg);
            Record(host, ev, before, ep.State);
            return reply is null ? default : First(rt, host, before, ev, row, reply);
        }

        Segment First(TcpRuntime rt, int host, TcpState before, TcpEvent ev, int row, string what)
        {
            if (rt.Effects.SegmentCount > 0)
            {
                _setupSegments.Add((new Flight(rt.Effects.Segments[0], (byte)host, 0), row, true));
                return rt.Effects.Segments[0];
            }
            throw new ScenarioCannotStartException(Why($"host {Scenario.HostNames[host]} in {States.Name(before)} on {TcpMachine.EventNames[(int)ev]} sends no segment ({RowOf(row)}), so no {what} follows"));
        }
    }
}

/// <summary>A scenario whose initial world the table cannot build (e.g. it does not open a connection the scenario starts from): a finding about the table, not an error of the checker.</summary>
public sealed class ScenarioCannotStartException(string message) : InvalidOperationException(message);
