using TcpSpec.Checker.Exploration;

namespace TcpSpec.Checker.Strategies;

/// <summary>
/// Everything an exhaustive search knows between two chunk merges: the states (fingerprints and
/// graph), the level being expanded and the next one so far, the counts, the coverage, the
/// violations found (as move ordinals, replayed into paths at the end), and where the merge is.
/// It is what a checkpoint holds: saved at a merge boundary and loaded, the search goes on as
/// if never stopped, since the expansion of a chunk depends only on the level's worlds and the
/// merge is in frontier order.
/// </summary>
internal sealed class SearchState
{
    public required IStateSet Index;
    public BitstateSet? Bitstate;
    public required StateGraph Graph;
    public required Coverage Coverage;
    /// <summary>The ids of the level being expanded, and of the next level so far.</summary>
    public LevelIds Frontier = new(), Next = new();
    /// <summary>Violations by property: the message and the move ordinals from the initial world.</summary>
    public readonly Dictionary<string, (string Message, List<ushort> Ordinals)> Found = new();
    public long Transitions, Endings, Bounded;
    public int Depth;
    /// <summary>A violation was found in this level: the search ends with it.</summary>
    public bool Stop;
    /// <summary>Seconds spent by the runs before this one (0 unless resumed).</summary>
    public double Seconds;
    /// <summary>Where the merge of the current level is: the chunk, and in it the first successor not merged (-1: the chunk is not begun).</summary>
    public int Chunk, Successor = -1;

    /// <summary>What a checkpoint must agree on with the run that resumes it.</summary>
    public static IReadOnlyList<(string, string)> Identity(TwoHostModel model, ExhaustiveOptions options, bool liveness)
    {
        var b = model.Budgets;
        return
        [
            ("table", options.TableHash ?? "(not named)"),
            ("scenario", model.Scenario.Name),
            ("budgets", $"loss={b.Loss} dup={b.Dup} crash={b.Crash} data={b.Data} in-flight={b.MaxInFlight} stale={b.Stale} attack={b.Attack}{(b.Calls != 0 ? $" calls={b.Calls}" : "")}{(b.Icmp != 0 ? $" icmp={b.Icmp}" : "")}"),
            ("model options", $"spurious-timeouts={model.Options.SpuriousTimeouts} untimed-timers={model.Options.UntimedTimers} iss={model.Options.IssA}/{model.Options.IssB}/{model.Options.IssStride} {model.Options.Config}"),
            ("bitstate", options.BitstateLog2 is int n ? $"2^{n}" : "off"),
            ("liveness", liveness ? "on" : "off"),
            ("max depth", options.MaxDepth == int.MaxValue ? "none" : options.MaxDepth.ToString()),
            // What the fields above do not name (a scenario's scripts, say): compared last.
            ("initial world", model.Initial.Hash64().ToString("x16")),
        ];
    }

    public void Save(CheckpointWriter w, LevelStream source, LevelStream next)
    {
        w.Bool(Bitstate is not null);
        Index.Save(w);
        Graph.Save(w);
        w.Array<bool>(Coverage.Rows);
        w.Array<bool>(Coverage.Cells);
        w.Array<int>(Frontier.ToArray());
        w.Array<int>(Next.ToArray());
        source.Save(w);
        next.Save(w);
        w.Int(Found.Count);
        foreach (var (name, (message, ordinals)) in Found)
        {
            w.String(name);
            w.String(message);
            w.Array<ushort>(ordinals.ToArray());
        }
        w.Long(Transitions);
        w.Long(Endings);
        w.Long(Bounded);
        w.Int(Depth);
        w.Bool(Stop);
        w.Double(Seconds);
        w.Int(Chunk);
        w.Int(Successor);
    }

    public static SearchState Load(CheckpointReader r, TwoHostModel model, ExhaustiveOptions options, LevelStream source, LevelStream next)
    {
        bool bitstate = r.Bool();
        if (bitstate != options.BitstateLog2 is not null) throw new InvalidDataException("the kind of state set disagrees with the options");
        BitstateSet? bits = null;
        IStateSet index = bitstate ? bits = BitstateSet.Load(r, options.BitstateLog2!.Value) : FingerprintTable.Load(r);
        var graph = StateGraph.Load(r, options.SpillDirectory, options.SpillBytes);
        var coverage = Coverage.Of(model);
        r.Into<bool>(coverage.Rows);
        r.Into<bool>(coverage.Cells);
        var s = new SearchState { Index = index, Bitstate = bits, Graph = graph, Coverage = coverage };
        LoadIds(r.Array<int>(), s.Frontier, graph.Count);
        LoadIds(r.Array<int>(), s.Next, graph.Count);
        source.Load(r, options.SpillBytes);
        next.Load(r, options.SpillBytes);
        if (source.Count != s.Frontier.Count || next.Count != s.Next.Count) throw new InvalidDataException("a level's worlds disagree with its states");
        int found = r.Int();
        if (found < 0 || found > 1 << 16) throw new InvalidDataException($"{found} violations");
        for (int i = 0; i < found; i++) s.Found[r.String()] = (r.String(), r.Array<ushort>().ToList());
        s.Transitions = r.Long();
        s.Endings = r.Long();
        s.Bounded = r.Long();
        s.Depth = r.Int();
        s.Stop = r.Bool();
        s.Seconds = r.Double();
        s.Chunk = r.Int();
        s.Successor = r.Int();
        int chunks = (s.Frontier.Count + Chunks.Size - 1) / Chunks.Size;
        if (s.Chunk < 0 || s.Chunk > chunks || s.Successor < -1 || s.Transitions < 0 || s.Depth < 0) throw new InvalidDataException("the position of the merge is out of range");
        return s;
    }

    private static void LoadIds(int[] ids, LevelIds into, int states)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            if (ids[i] < 0 || ids[i] >= states) throw new InvalidDataException("a frontier names a state that does not exist");
            if (i > 0 && ids[i] <= ids[i - 1]) throw new InvalidDataException("a frontier's ids are out of order");
            into.Add(ids[i]);
        }
    }
}
