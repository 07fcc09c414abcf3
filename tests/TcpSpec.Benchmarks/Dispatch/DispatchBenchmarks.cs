using BenchmarkDotNet.Attributes;
using TcpSpec.Engines;

namespace TcpSpec.Benchmarks.Dispatch;

/// <summary>
/// The same precomputed event stream through the hand-written switch (the baseline), the
/// generated engine and the interpreted engine. One invocation replays the whole stream
/// (<see cref="EventStreams.Length"/> events), so the reported time is per event.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("dispatch")]
public class DispatchBenchmarks
{
    private EventStream _stream = null!;
    private InterpretedEngine _interpreted = null!;
    private readonly Endpoint[] _eps = new Endpoint[2];
    private readonly Effects _fx = new();

    [ParamsSource(nameof(Streams))]
    public string Stream { get; set; } = EventStreams.HandshakeDataClose;

    public static IEnumerable<string> Streams => EventStreams.Names;

    [GlobalSetup]
    public void Setup()
    {
        _stream = EventStreams.Get(Stream);
        _interpreted = SpecTable.Interpreted();
        EngineAgreement.AssertStream(_stream, _interpreted);
        // Grow the reused output buffers to fit before measuring.
        StreamReplay.Run(new GeneratedDispatch(), _stream, _eps, _fx);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EventStreams.Length, Description = "hand-written switch")]
    public int HandWritten() => StreamReplay.Run(new HandWrittenDispatch(), _stream, _eps, _fx);

    [Benchmark(OperationsPerInvoke = EventStreams.Length, Description = "generated")]
    public int Generated() => StreamReplay.Run(new GeneratedDispatch(), _stream, _eps, _fx);

    [Benchmark(OperationsPerInvoke = EventStreams.Length, Description = "interpreted")]
    public int Interpreted() => StreamReplay.Run(new InterpretedDispatch(_interpreted), _stream, _eps, _fx);

    /// <summary>The replay loop with no engine: the fixed cost of a step around any engine (not a competitor; it shows how much of a step is dispatch, guards and actions).</summary>
    [Benchmark(OperationsPerInvoke = EventStreams.Length, Description = "step frame only (no engine)")]
    public int FrameOnly() => StreamReplay.Run(new NoDispatch(), _stream, _eps, _fx);
}
