using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Strategies;

/// <summary>
/// The liveness check, apart from the search (as TLC keeps its liveness checker apart): on the
/// transition graph of an exhaustive search, every world must still reach a good ending.
/// </summary>
internal static class LivelockCheck
{
    /// <summary>
    /// Walks the transition graph backwards from the good endings (and the bounded worlds, whose
    /// futures are unknown); the first world in breadth-first order that cannot reach one is a
    /// livelock, shown as the shortest path to it and a cycle it cannot leave.
    /// </summary>
    public static Violation? Find(TwoHostModel model, StateGraph graph)
    {
        int n = graph.Count;
        var good = ReachGood(graph);
        var starts = graph.SuccessorStarts;
        var targets = graph.Successors;
        if (Array.IndexOf(good, false) < 0) return null;

        // The lasso: the shortest lead-in to a bad strongly connected component with a cycle
        // (world ids are in breadth-first order, so the least id on such a cycle is the nearest),
        // then a shortest cycle through that world inside its component.
        var comp = BadComponents(n, good, starts, targets, out var cyclic);
        int entry = -1;
        for (int s = 0; s < n && entry < 0; s++)
            if (!good[s] && cyclic[comp[s]]) entry = s;
        if (entry < 0) throw new InvalidOperationException("a world that reaches no good ending lies on no cycle: endings are good or reported");
        var walk = ShortestCycle(entry, comp, starts, targets);
        int bad = entry, cur = entry, loopAt = 0;

        // The run: the stored (shortest) path to the entry, then around the cycle, each time the
        // first move (in enumeration order) whose successor is the next state of the walk.
        var prefix = graph.OrdinalsTo(bad);
        var cycle = new ulong[walk.Count];
        for (int i = 0; i < walk.Count; i++) cycle[i] = graph.WorldOf(model, i + 1 < walk.Count ? walk[i + 1] : cur).Hash64();
        var trial = new Stepper(model);
        var path = new List<Move>(prefix.Count + walk.Count);
        var world = Replay.Walk(model, prefix.Count + walk.Count, (int i, in World w, ReadOnlySpan<Move> enabled) =>
        {
            var m = i < prefix.Count ? enabled[prefix[i]] : Successor(trial, w, enabled, cycle[i - prefix.Count]);
            path.Add(m);
            return m;
        });
        string where = $"{model.Scenario.HostNames[0]} in {model.States.Name(world.A.Ep.State)}, {model.Scenario.HostNames[1]} in {model.States.Name(world.B.Ep.State)}";
        return new Violation("no-livelock",
            $"livelock: from here no run reaches a good ending ({where}); the moves from step {prefix.Count + loopAt + 1} on repeat forever",
            path, prefix.Count + loopAt);
    }

    /// <summary>Which worlds reach a good ending (or a bounded world) in <paramref name="graph"/>, by state id.</summary>
    internal static bool[] ReachGood(StateGraph graph)
    {
        int n = graph.Count;
        var good = new bool[n];
        for (int s = 0; s < n; s++) good[s] = graph.KindOf(s) is StateGraph.Ending or StateGraph.Bounded;
        // Most edges lead to the next level, so sweeps in reverse breadth-first order find almost
        // every world that reaches a good one; a sweep that changes nothing proves the fixpoint.
        var starts = graph.SuccessorStarts;
        var targets = graph.Successors;
        bool changed = true;
        for (int sweep = 0; sweep < 3 && changed; sweep++)
        {
            changed = false;
            for (int s = n - 1; s >= 0; s--)
            {
                if (good[s]) continue;
                for (int e = starts[s]; e < starts[s + 1]; e++)
                {
                    if (good[targets[e]])
                    {
                        good[s] = true;
                        changed = true;
                        break;
                    }
                }
            }
        }
        if (changed) ReachGoodBackwards(n, good, starts, targets);

        return good;
    }

    /// <summary>
    /// The strongly connected components of the bad worlds (Tarjan's algorithm, iterative: the
    /// graph has millions of worlds), as a component number per world (-1 for good ones), and
    /// which components hold a cycle (more than one world, or a world with a move to itself).
    /// </summary>
    private static int[] BadComponents(int n, bool[] good, ReadOnlySpan<int> starts, BlockList<int> targets, out List<bool> cyclic)
    {
        var index = new int[n];
        var low = new int[n];
        var comp = new int[n];
        Array.Fill(index, -1);
        Array.Fill(comp, -1);
        var onStack = new bool[n];
        var stack = new Stack<int>();
        var callNode = new Stack<int>();
        var callEdge = new Stack<int>();
        cyclic = new List<bool>();
        int counter = 0;
        for (int root = 0; root < n; root++)
        {
            if (good[root] || index[root] >= 0) continue;
            index[root] = low[root] = counter++;
            stack.Push(root);
            onStack[root] = true;
            callNode.Push(root);
            callEdge.Push(starts[root]);
            while (callNode.Count > 0)
            {
                int v = callNode.Peek();
                int e = callEdge.Pop();
                if (e < starts[v + 1])
                {
                    callEdge.Push(e + 1);
                    int w = targets[e];
                    if (good[w]) continue;
                    if (index[w] < 0)
                    {
                        index[w] = low[w] = counter++;
                        stack.Push(w);
                        onStack[w] = true;
                        callNode.Push(w);
                        callEdge.Push(starts[w]);
                    }
                    else if (onStack[w])
                    {
                        low[v] = Math.Min(low[v], index[w]);
                    }
                    continue;
                }
                callNode.Pop();
                if (callNode.Count > 0)
                {
                    int u = callNode.Peek();
                    low[u] = Math.Min(low[u], low[v]);
                }
                if (low[v] != index[v]) continue;
                int c = cyclic.Count, size = 0;
                int x;
                do
                {
                    x = stack.Pop();
                    onStack[x] = false;
                    comp[x] = c;
                    size++;
                } while (x != v);
                bool selfLoop = false;
                for (int f = starts[v]; f < starts[v + 1]; f++) selfLoop |= targets[f] == v;
                cyclic.Add(size > 1 || selfLoop);
            }
        }
        return comp;
    }

    /// <summary>A shortest cycle through <paramref name="entry"/> inside its component (breadth-first), as the worlds from the entry on; the last leads back to it.</summary>
    private static List<int> ShortestCycle(int entry, int[] comp, ReadOnlySpan<int> starts, BlockList<int> targets)
    {
        var parent = new Dictionary<int, int> { [entry] = -1 };
        var queue = new Queue<int>();
        queue.Enqueue(entry);
        while (queue.Count > 0)
        {
            int v = queue.Dequeue();
            for (int e = starts[v]; e < starts[v + 1]; e++)
            {
                int w = targets[e];
                if (w == entry)
                {
                    var walk = new List<int>();
                    for (int x = v; x >= 0; x = parent[x]) walk.Add(x);
                    walk.Reverse();
                    return walk;
                }
                if (comp[w] != comp[entry] || parent.ContainsKey(w)) continue;
                parent[w] = v;
                queue.Enqueue(w);
            }
        }
        throw new InvalidOperationException("a cyclic component has no cycle through one of its worlds");
    }

    /// <summary>The first enabled move whose successor has fingerprint <paramref name="target"/>.</summary>
    private static Move Successor(Stepper stepper, in World w, ReadOnlySpan<Move> enabled, ulong target)
    {
        foreach (var m in enabled)
        {
            var next = w;
            stepper.Apply(ref next, m);
            if (next.Hash64() == target) return m;
        }
        throw new InvalidOperationException("the transition graph has an edge that no move of the model makes");
    }

    /// <summary>
    /// Marks every world that reaches a good one. Only the worlds the sweeps left bad can still
    /// turn good, and only through edges between them and to good ones, so the reversed graph is
    /// built of the edges between bad worlds alone (few, as a rule: the whole reversed graph
    /// would cost as much memory as the transitions), indexed by a bad world's rank among them.
    /// </summary>
    private static void ReachGoodBackwards(int n, bool[] good, ReadOnlySpan<int> starts, BlockList<int> targets)
    {
        int badCount = 0;
        for (int s = 0; s < n; s++) badCount += good[s] ? 0 : 1;
        var bad = new int[badCount];
        for (int s = 0, i = 0; s < n; s++)
        {
            if (!good[s]) bad[i++] = s;
        }
        var reverseStart = new int[badCount + 1];
        foreach (int s in bad)
        {
            for (int e = starts[s]; e < starts[s + 1]; e++)
            {
                int t = targets[e];
                if (!good[t]) reverseStart[Array.BinarySearch(bad, t) + 1]++;
            }
        }
        for (int i = 0; i < badCount; i++) reverseStart[i + 1] += reverseStart[i];
        var reverse = new int[reverseStart[badCount]];
        var fill = (int[])reverseStart.Clone();
        foreach (int s in bad)
        {
            for (int e = starts[s]; e < starts[s + 1]; e++)
            {
                int t = targets[e];
                if (!good[t]) reverse[fill[Array.BinarySearch(bad, t)]++] = s;
            }
        }
        // The bad worlds with a move to a good one turn good; then whatever reaches them.
        var queue = new Queue<int>();
        foreach (int s in bad)
        {
            for (int e = starts[s]; e < starts[s + 1] && !good[s]; e++)
            {
                if (good[targets[e]])
                {
                    good[s] = true;
                    queue.Enqueue(s);
                }
            }
        }
        while (queue.Count > 0)
        {
            int rank = Array.BinarySearch(bad, queue.Dequeue());
            for (int e = reverseStart[rank]; e < reverseStart[rank + 1]; e++)
            {
                int s = reverse[e];
                if (!good[s])
                {
                    good[s] = true;
                    queue.Enqueue(s);
                }
            }
        }
    }
}
