using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Checker.Output;

/// <summary>The files written for a violation: a replay file, the trace as text, a sequence diagram and a pcap.</summary>
public sealed record CounterexampleFiles(string Replay, string Trace, string Diagram, string Pcap)
{
    public static CounterexampleFiles Write(CheckResult result, Violation v, string directory, string? specPath)
    {
        var model = result.Model;
        Directory.CreateDirectory(directory);
        string stem = Path.Combine(directory, $"{model.Scenario.Name}.{v.Property}");
        var trace = Properties.Trace.Of(model, result.Properties, v.Path);
        var files = new CounterexampleFiles(stem + ".replay.json", stem + ".trace.txt", stem + ".sequence.md", stem + ".pcap");
        File.WriteAllText(files.Replay, ReplayFile.From(model, v, specPath, result.Strategy).ToJson());
        File.WriteAllText(files.Trace, TraceText.Write(model, v, trace));
        File.WriteAllText(files.Diagram, $"# {model.Scenario.Name}: {v.Property}\n\n{v.Message}\n\n" + SequenceDiagram.Write(model, v, trace));
        using (var file = File.Create(files.Pcap)) using (var pcap = new PcapWriter(file))
        {
            long t = 0;
            foreach (var f in Enumerable.Range(0, model.Initial.Net.Count).Select(i => model.Initial.Net[i])) pcap.Write(f.From, f.Seg, t);
            foreach (var step in trace)
            {
                t += 100_000; // 100 ms a move: the model has no clock, the picture needs an order
                foreach (var f in step.Sent) pcap.Write(f.From, f.Seg, t);
            }
        }
        return files;
    }
}
