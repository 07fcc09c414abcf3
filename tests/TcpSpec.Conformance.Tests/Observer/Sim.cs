using TcpSpec.Checker.Output;
using TcpSpec.Engines;

namespace TcpSpec.Conformance.Tests.Observer;

/// <summary>A captured segment: when the tap saw it, who sent it (0 = A, 1 = B), and the segment.</summary>
internal sealed record Frame(double TimeMs, int From, Segment Seg)
{
    public override string ToString() => $"{TimeMs}ms {(From == 0 ? "A" : "B")} {Seg}";
}

/// <summary>
/// Two endpoints of the real engine joined by a network, with a capture tap at one host, as
/// tcpdump on that host sees the traffic: what the host sends is captured as it leaves (even if
/// the network then loses it); what the peer sends is captured only when it reaches the host.
/// Every action takes one millisecond. <see cref="Pcap"/> writes the capture with the checker's
/// <see cref="PcapWriter"/> (A is 10.0.0.1:40000, B 10.0.0.2:80).
/// </summary>
internal sealed class Sim
{
    private readonly TcpRuntime[] _rt;
    private readonly Endpoint[] _ep;
    private readonly Queue<Segment>[] _toward = [new(), new()];
    private readonly int _tap;
    private double _now;

    public Sim(uint issA = 100, uint issB = 300, int tap = 0, IEngine? engineA = null, IEngine? engineB = null, TcpConfig? config = null)
    {
        _rt = [new TcpRuntime(engineA, config), new TcpRuntime(engineB, config)];
        _ep = [Endpoint.Create(issA, 1), Endpoint.Create(issB, 2)];
        _tap = tap;
    }

    public const int A = 0;
    public const int B = 1;

    public List<Frame> Frames { get; } = new();

    public Endpoint this[int host] => _ep[host];

    public TcpState State(int host) => _ep[host].State;

    public int InFlight(int to) => _toward[to].Count;

    public Sim OpenPassive(int h) => Act(h, (rt, ref ep) => rt.OpenPassive(ref ep));

    public Sim OpenActive(int h) => Act(h, (rt, ref ep) => rt.OpenActive(ref ep));

    public Sim Send(int h, uint n) => Act(h, (rt, ref ep) => rt.Send(ref ep, n));

    public Sim Receive(int h) => Act(h, (rt, ref ep) => rt.Receive(ref ep));

    public Sim Close(int h) => Act(h, (rt, ref ep) => rt.Close(ref ep));

    public Sim Abort(int h) => Act(h, (rt, ref ep) => rt.Abort(ref ep));

    /// <summary>Lets time pass (a timer's duration, say).</summary>
    public Sim Wait(double ms)
    {
        _now += ms;
        return this;
    }

    public Sim Expire(int h, TimerKind t)
    {
        Assert.True((_ep[h].Timers & t) != 0, $"{(h == 0 ? "A" : "B")}'s {t} timer is not armed");
        return Act(h, (rt, ref ep) => rt.Expire(ref ep, t));
    }

    /// <summary>Delivers the oldest segment travelling toward <paramref name="to"/>.</summary>
    public Segment Deliver(int to)
    {
        Assert.True(_toward[to].Count > 0, $"nothing in flight toward {(to == 0 ? "A" : "B")}");
        var seg = _toward[to].Dequeue();
        _now += 1;
        if (_tap == to) Frames.Add(new Frame(_now, 1 - to, seg));
        _rt[to].Arrive(ref _ep[to], seg);
        Emit(to);
        return seg;
    }

    /// <summary>Loses the oldest segment travelling toward <paramref name="to"/>.</summary>
    public Segment Drop(int to)
    {
        Assert.True(_toward[to].Count > 0, $"nothing in flight toward {(to == 0 ? "A" : "B")}");
        return _toward[to].Dequeue();
    }

    /// <summary>Delivers everything in flight, alternating directions, until the network is quiet.</summary>
    public Sim DeliverAll()
    {
        for (int guard = 0; guard < 10_000 && (_toward[0].Count > 0 || _toward[1].Count > 0); guard++)
        {
            if (_toward[1].Count > 0) Deliver(1);
            if (_toward[0].Count > 0) Deliver(0);
        }
        return this;
    }

    private delegate int Call(TcpRuntime rt, ref Endpoint ep);

    private Sim Act(int h, Call call)
    {
        _now += 1;
        call(_rt[h], ref _ep[h]);
        Emit(h);
        return this;
    }

    private void Emit(int h)
    {
        foreach (var s in _rt[h].Effects.Segments)
        {
            _toward[1 - h].Enqueue(s);
            if (_tap == h) Frames.Add(new Frame(_now, h, s));
        }
    }

    /// <summary>The capture as a pcap file.</summary>
    public byte[] Pcap() => Write(Frames);

    public static byte[] Write(IEnumerable<Frame> frames)
    {
        using var ms = new MemoryStream();
        using (var w = new PcapWriter(ms))
        {
            foreach (var f in frames.OrderBy(f => f.TimeMs)) w.Write(f.From, f.Seg, (long)Math.Round(f.TimeMs * 1000));
        }
        return ms.ToArray();
    }

    /// <summary>A handshake (A active, B passive), both ESTABLISHED.</summary>
    public static Sim Established(int tap = 0, uint issA = 100, uint issB = 300)
    {
        var s = new Sim(issA, issB, tap);
        s.OpenPassive(B).OpenActive(A).DeliverAll();
        Assert.Equal(TcpState.Established, s.State(A));
        Assert.Equal(TcpState.Established, s.State(B));
        return s;
    }
}
