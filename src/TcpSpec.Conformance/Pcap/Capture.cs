namespace TcpSpec.Conformance.Pcap;

/// <summary>
/// What a capture file held: its TCP segments in file order, and an account of everything else
/// (non-TCP packets, TCP packets that could not be followed), so a report can say what it skipped.
/// </summary>
public sealed class Capture
{
    internal Capture(string format, IReadOnlyList<int> linkTypes, long packets, IReadOnlyList<CapturedSegment> segments,
        IReadOnlyDictionary<string, long> notTcp, IReadOnlyDictionary<string, long> skipped, IReadOnlyList<string> notes)
    {
        Format = format;
        LinkTypes = linkTypes;
        Packets = packets;
        Segments = segments;
        NotTcp = notTcp;
        Skipped = skipped;
        Notes = notes;
    }

    /// <summary>"pcap" or "pcapng", with the details that matter (byte order, timestamp resolution).</summary>
    public string Format { get; }

    /// <summary>The link type of every interface (one for pcap).</summary>
    public IReadOnlyList<int> LinkTypes { get; }

    /// <summary>Every packet record in the file.</summary>
    public long Packets { get; }

    public IReadOnlyList<CapturedSegment> Segments { get; }

    /// <summary>Packets that are not TCP, counted by what they are (ARP, UDP, ICMP...).</summary>
    public IReadOnlyDictionary<string, long> NotTcp { get; }

    /// <summary>TCP packets that could not be followed (non-first fragments, cut or malformed headers), counted by reason.</summary>
    public IReadOnlyDictionary<string, long> Skipped { get; }

    /// <summary>Other remarks (the first of each kind, with its frame number).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Where the file ends inside a record, if it does: the packets before it were read, the cut one was not.</summary>
    public Truncation? CutShort { get; init; }

    public long NotTcpCount => NotTcp.Values.Sum();

    public long SkippedCount => Skipped.Values.Sum();
}

/// <summary>A capture file that ends inside a record (tcpdump killed while writing): the byte offset of that record and what is missing.</summary>
public sealed record Truncation(long ByteOffset, string Reason)
{
    public override string ToString() => $"cut short at byte {ByteOffset} ({Reason}); read up to the cut";
}
