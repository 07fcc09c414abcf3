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

        int bad = Array.IndexOf(good, false);
        if (bad < 0) return null;

        // A cycle among the bad states reachable from `bad` (all its successors are bad too).
        var seenAt = new Dictionary<int, int>();
        var walk = new List<int>();
        int cur = bad;
        while (!seenAt.ContainsKey(cur))
        {
            seenAt[cur] = walk.Count;
            walk.Add(cur);
            cur = targets[starts[cur]]; // every bad state has a successor: endings are good or were reported
        }
        int loopAt = seenAt[cur];

        // The run: the stored path to `bad`, then around the cycle, each time the first move (in
        // enumeration order) whose successor is the next state of the walk.
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

    /// <summary>Marks every world that reaches a good one, walking the reversed transition graph from the good worlds.</summary>
    private static void ReachGoodBackwards(int n, bool[] good, ReadOnlySpan<int> starts, ReadOnlySpan<int> targets)
    {
        var reverseCount = new int[n + 1];
        foreach (var t in targets) reverseCount[t + 1]++;
        for (int i = 0; i < n; i++) reverseCount[i + 1] += reverseCount[i];
        var reverse = new int[targets.Length];
        var fill = (int[])reverseCount.Clone();
        for (int s = 0; s < n; s++)
        {
            for (int e = starts[s]; e < starts[s + 1]; e++) reverse[fill[targets[e]]++] = s;
        }
        var queue = new Queue<int>();
        for (int s = 0; s < n; s++)
        {
            if (good[s]) queue.Enqueue(s);
        }
        while (queue.Count > 0)
        {
            int t = queue.Dequeue();
            for (int e = reverseCount[t]; e < reverseCount[t + 1]; e++)
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
