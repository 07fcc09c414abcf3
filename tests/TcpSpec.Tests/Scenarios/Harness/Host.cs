using TcpSpec.Engines;
using TcpSpec.Protocol;

namespace TcpSpec.Tests.Scenarios.Harness;

/// <summary>
/// One host of the two-host harness: an endpoint, its runtime, and everything it has done and
/// been told. Every step's segments go on the wire to the peer; nothing happens by itself.
/// </summary>
public sealed class Host
{
    private readonly Wire _wire;
    private Endpoint _ep;
    private readonly List<Notice> _notices = new();
    private readonly List<StepRecord> _steps = new();

    internal Host(string name, Wire wire, uint iss, byte streamTag, TcpRuntime runtime)
    {
        Name = name;
        _wire = wire;
        _ep = Endpoint.Create(iss, streamTag);
        Runtime = runtime;
    }

    public string Name { get; }

    public TcpRuntime Runtime { get; }

    public Endpoint Endpoint => _ep;

    public TcpState State => _ep.State;

    public byte StreamTag => _ep.StreamTag;

    /// <summary>Octets of text SEND accepted from this host's user (over all its connections).</summary>
    public uint Written { get; private set; }

    /// <summary>Every notice this host's user has been given, in order.</summary>
    public IReadOnlyList<Notice> Notices => _notices;

    public IReadOnlyList<StepRecord> Steps => _steps;

    public StepRecord OpenActive() => Run("OPEN active", r => r.OpenActive(ref _ep));

    public StepRecord OpenPassive(bool foreignSpecified = false) => Run("OPEN passive", r => r.OpenPassive(ref _ep, foreignSpecified));

    public StepRecord Send(uint octets)
    {
        var step = Run($"SEND {octets}", r => r.Send(ref _ep, octets));
        if (!step.Notices.Any(IsError)) Written += octets;
        return step;
    }

    public StepRecord Receive(uint maxOctets = 0) => Run($"RECEIVE {maxOctets}", r => r.Receive(ref _ep, maxOctets));

    public StepRecord Close() => Run("CLOSE", r => r.Close(ref _ep));

    public StepRecord Abort() => Run("ABORT", r => r.Abort(ref _ep));

    /// <summary>Fires a timer, which must be armed: the harness has no clock, the test decides when time passes.</summary>
    public StepRecord Expire(TimerKind timer)
    {
        Assert.True((_ep.Timers & timer) != 0, $"{Name}: the {timer} timer is not armed ({_ep})");
        return Run($"{timer} timeout", r => r.Expire(ref _ep, timer));
    }

    /// <summary>A crash and restart: the TCB is lost, the host comes back CLOSED with a new ISN and stream tag.</summary>
    public void Reboot(uint iss, byte streamTag) => _ep = Endpoint.Create(iss, streamTag);

    internal StepRecord Arrive(Segment seg) => Run($"arrival of {seg}", r => r.Arrive(ref _ep, seg), seg);

    private StepRecord Run(string cause, Func<TcpRuntime, int> step, Segment? input = null)
    {
        var before = _ep.State;
        int row = step(Runtime);
        var fx = Runtime.Effects;
        Assert.Equal(row, fx.Row);
        var record = new StepRecord(Name, cause, input, row, before, _ep.State,
            fx.Segments.ToArray(), fx.TimerCommands.ToArray(), fx.Notices.ToArray());
        Assert.True(row != 0, $"undecided cell: {record}");
        _steps.Add(record);
        _notices.AddRange(record.Notices);
        foreach (var s in record.Segments) _wire.Put(this, s);
        return record;
    }

    private static bool IsError(Notice n) => n.Kind is NoticeKind.ErrorClosing or NoticeKind.ErrorNoConnection
        or NoticeKind.ErrorForeignUnspecified or NoticeKind.ErrorConnectionExists;

    public override string ToString() => $"{Name}: {_ep}";
}
