using TcpSpec.Conformance.Pcap;

namespace TcpSpec.Conformance.Observer;

/// <summary>The first segment an endpoint sent that the spec does not allow.</summary>
public sealed record Failure(long Frame, double Time, Segment Segment, IReadOnlyList<string> States, string Explanation);

/// <summary>What the observer concluded about one endpoint of a connection.</summary>
public sealed record EndpointResult(
    int Side,
    TcpAddress Address,
    Failure? Failure,
    string States,
    IReadOnlyList<Assumption> Assumptions,
    IReadOnlyList<string> Notes,
    IReadOnlyDictionary<long, string> StatesByFrame)
{
    public bool Conforms => Failure is null;

    public string Name => Side == 0 ? "A" : "B";

    /// <summary>The state sequences <see cref="States"/> prints, one per simplest explanation (state names only, without causes).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Sequences { get; init; } = [];

    /// <summary>The candidates at the end of the connection (or at the failure): where the next incarnation of the 4-tuple starts from.</summary>
    internal IReadOnlyList<Candidate> Final { get; init; } = [];
}
