using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Properties;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Checker.Output;

/// <summary>The files written for a violation: a replay file, the trace as text, a sequence diagram and a pcapng capture (<see cref="CounterexampleCapture"/>).</summary>
public sealed record CounterexampleFiles(string Replay, string Trace, string Diagram, string Pcap)
{
    public static CounterexampleFiles Write(CheckResult result, Violation v, string directory, string? specPath, string? tableHash = null)
    {
        var model = result.Model;
        Directory.CreateDirectory(directory);
        string stem = Path.Combine(directory, $"{model.Scenario.Name}.{v.Property}");
        var trace = Properties.Trace.Of(model, result.Properties, v.Path);
        var files = new CounterexampleFiles(stem + ".replay.json", stem + ".trace.txt", stem + ".sequence.md", stem + ".pcapng");
        File.WriteAllText(files.Replay, ReplayFile.From(model, v, specPath, result.Strategy, tableHash).ToJson());
        File.WriteAllText(files.Trace, TraceText.Write(model, v, trace));
        File.WriteAllText(files.Diagram, $"# {model.Scenario.Name}: {v.Property}\n\n{v.Message}\n\n" + SequenceDiagram.Write(model, v, trace));
        using (var file = File.Create(files.Pcap)) CounterexampleCapture.Write(file, CounterexampleCapture.Of(model, trace));
        return files;
    }
}
