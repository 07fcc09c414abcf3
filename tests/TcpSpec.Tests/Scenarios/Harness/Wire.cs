using TcpSpec.Engines;
using TcpSpec.Protocol;

namespace TcpSpec.Tests.Scenarios.Harness;

/// <summary>
/// Two hosts, A and B, and the segments in flight between them. The test moves every segment
/// by hand: deliver the oldest one headed for a host, take it off the wire (to drop it or to
/// deliver it later), or deliver any segment it likes (a duplicate, an old one from the net).
/// </summary>
public sealed class Wire
{
    private readonly List<(Host To, Segment Segment)> _inFlight = new();

    public Wire(uint issA = 100, uint issB = 300, TcpConfig? configA = null, TcpConfig? configB = null, IEngine? engine = null)
    {
        A = new Host("A", this, issA, 0xA, new TcpRuntime(engine, configA));
        B = new Host("B", this, issB, 0xB, new TcpRuntime(engine, configB));
    }

    public Host A { get; }

    public Host B { get; }

    public Host PeerOf(Host h) => ReferenceEquals(h, A) ? B : A;

    /// <summary>The segments in flight to <paramref name="to"/>, oldest first.</summary>
    public IReadOnlyList<Segment> InFlightTo(Host to) => _inFlight.Where(f => f.To == to).Select(f => f.Segment).ToList();

    public int InFlightCount => _inFlight.Count;

    internal void Put(Host from, Segment s) => _inFlight.Add((PeerOf(from), s));

    /// <summary>Takes the oldest segment headed for <paramref name="to"/> off the wire.</summary>
    public Segment Take(Host to) => Take(to, 0);

    /// <summary>Takes the <paramref name="nth"/> oldest segment headed for <paramref name="to"/> off the wire (0: the oldest).</summary>
    public Segment Take(Host to, int nth)
    {
        int i = -1;
        for (int seen = 0, k = 0; k < _inFlight.Count; k++)
        {
            if (_inFlight[k].To != to) continue;
            if (seen++ == nth) { i = k; break; }
        }
        Assert.True(i >= 0, $"no segment {nth} in flight to {to.Name}");
        var s = _inFlight[i].Segment;
        _inFlight.RemoveAt(i);
        return s;
    }

    /// <summary>Loses the oldest segment headed for <paramref name="to"/>.</summary>
    public Segment Drop(Host to) => Take(to);

    /// <summary>Delivers the oldest segment headed for <paramref name="to"/>.</summary>
    public StepRecord Deliver(Host to) => to.Arrive(Take(to));

    /// <summary>Delivers a given segment: one taken earlier, a duplicate, or an old one from the network.</summary>
    public StepRecord Deliver(Host to, Segment s) => to.Arrive(s);

    /// <summary>Delivers everything in flight, oldest first, including what the deliveries send, until the wire is empty.</summary>
    public void DeliverAll(int maxSteps = 1000)
    {
        for (int n = 0; _inFlight.Count > 0; n++)
        {
            Assert.True(n < maxSteps, "the hosts keep talking");
            var (to, s) = _inFlight[0];
            _inFlight.RemoveAt(0);
            to.Arrive(s);
        }
    }

    public void AssertQuiet() => Assert.True(_inFlight.Count == 0, "in flight: " + string.Join(" ", _inFlight.Select(f => $"{f.To.Name}<-{f.Segment}")));

    /// <summary>
    /// A connected to B (A active, B passive) by the three-way handshake of Figure 6, nothing
    /// lost. Afterwards A's SND.NXT is issA + 1 and B's is issB + 1.
    /// </summary>
    public static Wire Established(uint issA = 100, uint issB = 300, TcpConfig? config = null, IEngine? engine = null)
    {
        var w = new Wire(issA, issB, config, config, engine);
        w.B.OpenPassive();
        w.A.OpenActive();
        w.DeliverAll();
        Assert.Equal(TcpState.Established, w.A.State);
        Assert.Equal(TcpState.Established, w.B.State);
        return w;
    }
}
