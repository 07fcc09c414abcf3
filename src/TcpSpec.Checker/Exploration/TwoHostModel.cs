using TcpSpec.Checker.Model;
using TcpSpec.Engines;

namespace TcpSpec.Checker.Exploration;

/// <summary>Options of the model that are not budgets.</summary>
public sealed record ModelOptions
{
    /// <summary>Let the retransmission timer fire while segments are in flight (an RTO shorter than the round trip). Off: it fires only when the network holds nothing of the current incarnations.</summary>
    public bool SpuriousTimeouts { get; init; }

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
        int r2 = Math.Max(Options.Config.MaxRetransmissions, Budgets.Loss + Budgets.Dup + Budgets.Stale + Budgets.Attack + oldSegments + 2);
        Config = Options.Config with { MaxRetransmissions = r2, SynMaxRetransmissions = r2 };
        Setup = probe with { Config = Config };
        Initial = BuildInitial();
    }

    public IEngine Engine { get; }
    public Scenario Scenario { get; }
    public Budgets Budgets { get; }
    public ModelOptions Options { get; }
    public StateIds States { get; }
    public Setup Setup { get; }
    public World Initial { get; }

    /// <summary>The endpoint constants in force: the model options' config with R2 raised above the fault budgets.</summary>
    public TcpConfig Config { get; }

    /// <summary>The ISS of a host's incarnation.</summary>
    public uint IssFor(int host, int incarnation) =>
        (host == 0 ? Options.IssA : Options.IssB) + (uint)incarnation * Options.IssStride;

    public bool MayListen(int host) => Scenario.Script(host).Any(o => o.Kind == OpKind.OpenPassive);

    private World BuildInitial()
    {
        var w = new World
        {
            LossLeft = (byte)Budgets.Loss,
            DupLeft = (byte)Budgets.Dup,
            CrashLeft = (byte)Budgets.Crash,
            StaleLeft = (byte)Budgets.Stale,
            AttackLeft = (byte)Budgets.Attack,
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
            }
        }
    }

    private readonly List<EngineStep> _setupSteps = new();

    /// <summary>The engine steps taken to build the initial world (handshake, prelude): they count for coverage.</summary>
    public IReadOnlyList<EngineStep> SetupSteps => _setupSteps;

    /// <summary>Opens the connection without faults: A active, B passive, the three segments delivered in order.</summary>
    private void Handshake(ref World w)
    {
        var rt = new TcpRuntime(Engine, Config);
        void Record(int host, TcpEvent ev, TcpState from, TcpState to) => _setupSteps.Add(new EngineStep(host, ev, rt.Effects.Row, from, to, null));
        rt.OpenPassive(ref w.B.Ep);
        Record(1, TcpEvent.OpenPassive, default, w.B.Ep.State);
        rt.OpenActive(ref w.A.Ep);
        Record(0, TcpEvent.OpenActive, default, w.A.Ep.State);
        var syn = rt.Effects.Segments[0];
        var before = w.B.Ep.State;
        rt.Arrive(ref w.B.Ep, syn);
        Record(1, TcpRuntime.Classify(syn), before, w.B.Ep.State);
        var synAck = rt.Effects.Segments[0];
        before = w.A.Ep.State;
        rt.Arrive(ref w.A.Ep, synAck);
        Record(0, TcpRuntime.Classify(synAck), before, w.A.Ep.State);
        var ack = rt.Effects.Segments[0];
        before = w.B.Ep.State;
        rt.Arrive(ref w.B.Ep, ack);
        Record(1, TcpRuntime.Classify(ack), before, w.B.Ep.State);
        if (w.StaleLeft > 0)
        {
            // The handshake was sent in this run: its segments are old duplicates the network may deliver again.
            w.Seen.Remember(new Flight(syn, 0, 0));
            w.Seen.Remember(new Flight(synAck, 1, 0));
            w.Seen.Remember(new Flight(ack, 0, 0));
        }
        if (!States.Open(w.A.Ep.State) || !States.Open(w.B.Ep.State))
            throw new InvalidOperationException($"the table does not open a connection with a plain three-way handshake (A is {States.Name(w.A.Ep.State)}, B is {States.Name(w.B.Ep.State)}); scenario '{Scenario.Name}' starts from ESTABLISHED");
    }
}
