using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Properties;

namespace TcpSpec.Checker.Output;

/// <summary>
/// A counterexample as a capture: every segment from the connection's first one (the handshake
/// a scenario that starts ESTABLISHED did before the run, the segments in flight at the start,
/// then each one the run sent or the network duplicated), one packet each in the order they
/// appeared, 100 ms a move. Each packet's comment says who sent it by which table row, and what
/// the network did with it (delivered, LOST, a duplicate of an earlier packet, still in flight).
/// </summary>
public static class CounterexampleCapture
{
    /// <summary>A packet of the capture: the segment, its sender, when, and the comment.</summary>
    public sealed record Packet(int From, Segment Seg, long Micros, string Comment);

    public static IReadOnlyList<Packet> Of(TwoHostModel model, IReadOnlyList<TraceStep> trace)
    {
        var packets = new List<(int From, Segment Seg, long Micros, string Origin, List<string> Fate)>();
        var inFlight = new List<(Flight Flight, int Packet)>();
        var names = model.Scenario.HostNames;

        int Add(Flight f, long micros, string origin, bool delivered = false)
        {
            packets.Add((f.From, f.Seg, micros, origin, delivered ? ["delivered"] : []));
            if (!delivered) inFlight.Add((f, packets.Count - 1));
            return packets.Count - 1;
        }
        int Take(Flight f)
        {
            int i = inFlight.FindIndex(x => x.Flight == f);
            if (i < 0) return -1;
            int packet = inFlight[i].Packet;
            inFlight.RemoveAt(i);
            return packet;
        }

        foreach (var (f, row, delivered) in model.SetupSegments)
            Add(f, 0, $"{Arrow(f)} sent by {names[f.From]} before the run ({(delivered ? "the handshake" : "the prelude")}), {Row(row)}", delivered);
        // The prelude's segments are in flight at the start: they are already listed.
        for (int i = 0; i < model.Initial.Net.Count; i++)
        {
            var f = model.Initial.Net[i];
            if (inFlight.Any(x => x.Flight == f)) continue;
            Add(f, 0, f.Incarnation == Flight.PreviousLife ? $"{Arrow(f)} an old duplicate from a previous incarnation of {names[f.From]}, in flight at the start" : $"{Arrow(f)} in flight at the start");
        }

        long t = 0;
        foreach (var step in trace)
        {
            t += 100_000; // 100 ms a move: the model has no clock, the picture needs an order
            var m = step.Move;
            if (m.Kind is MoveKind.Deliver or MoveKind.Lose or MoveKind.Duplicate)
            {
                var f = step.Before.Net[m.Index];
                int p = m.Kind == MoveKind.Duplicate ? inFlight.FindIndex(x => x.Flight == f) is int k and >= 0 ? inFlight[k].Packet : -1 : Take(f);
                if (m.Kind == MoveKind.Duplicate)
                {
                    string of = p >= 0 ? $"#{p + 1}" : "an earlier packet";
                    Add(f, t, $"{Arrow(f)} DUPLICATE of {of} made by the network at move {step.Number}");
                }
                else if (p >= 0) packets[p].Fate.Add(m.Kind == MoveKind.Deliver ? $"delivered at move {step.Number}" : $"LOST at move {step.Number}");
            }
            else if (m.Kind == MoveKind.Icmp && Take(Stepper.Quoted(step.Before, m)) is int q and >= 0)
                packets[q].Fate.Add($"not delivered: answered with an ICMP {(Stepper.IcmpKind(m) == IcmpClass.Hard ? "hard" : "soft")} error to {names[m.Host]} at move {step.Number}");
            foreach (var f in step.Sent)
            {
                int row = step.Steps.LastOrDefault(s => s.Host == f.From).Row;
                Add(f, t, $"{Arrow(f)} sent by {names[f.From]} at move {step.Number} ({step.Description}), {Row(row)}");
            }
        }
        foreach (var (_, p) in inFlight) packets[p].Fate.Add("still in flight at the end");

        return packets.Select(p => new Packet(p.From, p.Seg, p.Micros, p.Fate.Count == 0 ? p.Origin : $"{p.Origin}; {string.Join(", ", p.Fate)}")).ToList();

        string Arrow(Flight f) => $"{names[f.From]}→{names[f.To]}";
        string Row(int id)
        {
            var row = model.Engine.Rows.FirstOrDefault(r => r.Id == id);
            return row is null ? "no row (an undecided cell)" : $"row R{row.Id} at line {row.Line}: {row.Description}";
        }
    }

    /// <summary>Writes the capture as pcapng.</summary>
    public static void Write(Stream output, IReadOnlyList<Packet> packets)
    {
        using var pcap = new PcapngWriter(output);
        foreach (var p in packets) pcap.Write(p.From, p.Seg, p.Micros, p.Comment);
    }
}
