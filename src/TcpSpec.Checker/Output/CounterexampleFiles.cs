using TcpSpec.Checker.Exploration;

namespace TcpSpec.Checker.Output;

/// <summary>The files written for a violation: a replay file, the trace as text, a sequence diagram and a pcap.</summary>
public sealed record CounterexampleFiles(string Replay, string Trace, string Diagram, string Pcap)
{
    public static CounterexampleFiles Write(ModelSpec spec, Violation v, string directory, string? specPath, string strategy)
    {
        Directory.CreateDirectory(directory);
        string stem = Path.Combine(directory, $"{spec.Scenario.Name}.{v.Property}");
        var trace = Exploration.Replay.Run(spec, v.Path);
        var files = new CounterexampleFiles(stem + ".replay.json", stem + ".trace.txt", stem + ".sequence.md", stem + ".pcap");
        File.WriteAllText(files.Replay, ReplayFile.From(spec, v, specPath, strategy).ToJson());
        File.WriteAllText(files.Trace, TraceText.Write(spec, v, trace));
        File.WriteAllText(files.Diagram, $"# {spec.Scenario.Name}: {v.Property}\n\n{v.Message}\n\n" + SequenceDiagram.Write(spec, v, trace));
        using (var file = File.Create(files.Pcap)) using (var pcap = new PcapWriter(file))
        {
            long t = 0;
            foreach (var f in Enumerable.Range(0, spec.Initial.Net.Count).Select(i => spec.Initial.Net[i])) pcap.Write(f.From, f.Seg, t);
            foreach (var step in trace)
            {
                t += 100_000; // 100 ms a move: the model has no clock, the picture needs an order
                foreach (var f in step.Sent) pcap.Write(f.From, f.Seg, t);
            }
        }
        return files;
    }
}
