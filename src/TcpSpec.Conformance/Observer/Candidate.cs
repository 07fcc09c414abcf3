namespace TcpSpec.Conformance.Observer;

/// <summary>
/// A segment the spec emitted for a candidate and the capture has not shown yet: the endpoint
/// may still send it. <see cref="AckFloor"/> and <see cref="RcvNxt"/> are the acknowledgment range
/// of the step that emitted it (for a reset sent as the TCB is deleted, where the candidate no
/// longer has them).
/// </summary>
internal readonly record struct Owed(Segment Seg, int Row, long Frame, uint AckFloor = 0, uint RcvNxt = 0, bool Synchronized = false);

/// <summary>A received segment that began beyond RCV.NXT, held until the gap before it is filled (RFC 9293 SHLD-31).</summary>
internal readonly record struct Held(Segment Seg, long Frame);

/// <summary>
/// One step of a candidate's history: the state it reached and why (a captured segment arrived,
/// a user call or timeout the observer assumed, a segment it sent). Histories share their
/// prefixes, so a candidate set costs one node per candidate per step.
/// </summary>
internal sealed record Lineage(Lineage? Parent, int State, string Cause, long Frame, int Row)
{
    public IEnumerable<Lineage> FromRoot()
    {
        var stack = new Stack<Lineage>();
        for (var l = this; l is not null; l = l.Parent) stack.Push(l);
        return stack;
    }
}

/// <summary>Something the observer had to assume for a candidate: a deviation of the stack, or a segment lost after the capture point.</summary>
public sealed record Assumption(string Id, long Frame, string Text);

/// <summary>
/// One possible state of an endpoint given what the capture has shown: the spec's
/// <see cref="Endpoint"/> value, the segments its rows emitted that may still appear
/// (<see cref="Owed"/>), the received segments it holds until a gap is filled, what the endpoint has actually been seen sending (its highest sequence
/// number and its last acknowledgment), how many of the received segments it has processed, and
/// what had to be assumed.
/// </summary>
internal sealed class Candidate
{
    public Endpoint Ep;
    public Owed[] Owed = [];
    public Held[] Held = [];
    public uint LastAck;
    public bool HasLastAck;
    public uint SentHigh;
    public bool HasSentHigh;
    /// <summary>How many of the endpoint's received segments (in capture order) have been applied.</summary>
    public int Applied;
    public int Losses;
    /// <summary>How many user calls and timeouts the observer assumed (the simplest explanation is shown).</summary>
    public int Hidden;
    /// <summary>How many sent segments acknowledged less than the spec's RCV.NXT (allowed: delayed and cumulative acknowledgment).</summary>
    public int Lag;
    public Assumption[] Assumptions = [];
    public Lineage History = null!;

    public Candidate Clone() => (Candidate)MemberwiseClone();

    public int DeviationCount => Assumptions.Length;

    /// <summary>Whether this candidate is a simpler explanation than <paramref name="other"/>: fewer assumptions, then fewer assumed calls and timeouts, then fewer lagging acknowledgments.</summary>
    public bool SimplerThan(Candidate other) => Simplicity.CompareTo(other.Simplicity) < 0;

    public (int, int, int) Simplicity => (DeviationCount, Hidden, Lag);

    /// <summary>Equality for the candidate set: the history and the assumptions do not count (the first and simplest are kept).</summary>
    public sealed class KeyComparer : IEqualityComparer<Candidate>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(Candidate? a, Candidate? b)
        {
            if (ReferenceEquals(a, b)) return true;
            if (a is null || b is null) return false;
            if (!a.Ep.Equals(b.Ep) || a.Applied != b.Applied || a.Losses != b.Losses
                || a.HasLastAck != b.HasLastAck || (a.HasLastAck && a.LastAck != b.LastAck)
                || a.HasSentHigh != b.HasSentHigh || (a.HasSentHigh && a.SentHigh != b.SentHigh)
                || a.Owed.Length != b.Owed.Length || a.Held.Length != b.Held.Length) return false;
            for (int i = 0; i < a.Owed.Length; i++)
                if (a.Owed[i].Seg != b.Owed[i].Seg) return false;
            for (int i = 0; i < a.Held.Length; i++)
                if (a.Held[i].Seg != b.Held[i].Seg) return false;
            return true;
        }

        public int GetHashCode(Candidate c)
        {
            ulong h = c.Ep.Hash64() ^ ((ulong)(uint)c.Applied << 32) ^ (uint)c.Losses;
            if (c.HasLastAck) h = Endpoint.Mix(h ^ c.LastAck);
            if (c.HasSentHigh) h = Endpoint.Mix(h ^ ((ulong)c.SentHigh << 1));
            foreach (var o in c.Owed) h = Endpoint.Mix(h ^ ((ulong)o.Seg.Seq << 32 | o.Seg.Length) ^ ((ulong)o.Seg.Flags << 56));
            foreach (var x in c.Held) h = Endpoint.Mix(h ^ ((ulong)x.Seg.Seq << 32 | x.Seg.Length) ^ 0x5A5A);
            return (int)h ^ (int)(h >> 32);
        }
    }
}

/// <summary>An insertion-ordered set of candidates: of two equal ones it keeps the simpler explanation.</summary>
internal sealed class CandidateSet
{
    private readonly Dictionary<Candidate, int> _index = new(Candidate.KeyComparer.Instance);
    private readonly List<Candidate> _items = new();

    public int Count => _items.Count;

    public IReadOnlyList<Candidate> Items => _items;

    public bool Add(Candidate c)
    {
        if (_index.TryGetValue(c, out int i))
        {
            if (c.SimplerThan(_items[i])) _items[i] = c;
            return false;
        }
        _index[c] = _items.Count;
        _items.Add(c);
        return true;
    }
}
