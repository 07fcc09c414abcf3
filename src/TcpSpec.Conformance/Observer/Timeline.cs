namespace TcpSpec.Conformance.Observer;

/// <summary>An endpoint's sequence of states, read from the histories of the candidates that survived.</summary>
internal static class Timeline
{
    private const int MaxAlternatives = 3;

    /// <summary>
    /// The states as one line: <c>CLOSED → SYN-SENT (OPEN-ACTIVE for #1) → ESTABLISHED (#2)</c>;
    /// where the survivors' histories differ, the common part and then the alternatives in braces.
    /// Also the states by frame (several joined by "|" when they differ).
    /// </summary>
    public static (string States, IReadOnlyDictionary<long, string> ByFrame, IReadOnlyList<IReadOnlyList<string>> Sequences) Describe(CandidateStepper o, IReadOnlyList<Candidate> survivors)
    {
        var byFrame = new SortedDictionary<long, SortedSet<string>>();
        var sequences = new List<List<string>>();
        var names = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in survivors)
        {
            var tokens = new List<string>();
            int last = -1;
            var frames = new Dictionary<long, int>();
            foreach (var step in c.History.FromRoot())
            {
                if (tokens.Count == 0) tokens.Add(o.StateName(step.State));
                else if (step.State != last) tokens.Add($"{o.StateName(step.State)} ({step.Cause})");
                last = step.State;
                if (step.Frame > 0) frames[step.Frame] = step.State;
            }
            foreach (var (frame, state) in frames)
            {
                if (!byFrame.TryGetValue(frame, out var set)) byFrame[frame] = set = new SortedSet<string>(StringComparer.Ordinal);
                set.Add(o.StateName(state));
            }
            if (seen.Add(string.Join("\u0001", tokens)))
            {
                sequences.Add(tokens);
                var states = new List<string>();
                foreach (var step in c.History.FromRoot())
                    if (states.Count == 0 || states[^1] != o.StateName(step.State)) states.Add(o.StateName(step.State));
                if (!names.Any(n => n.SequenceEqual(states))) names.Add(states);
            }
        }
        var frameText = byFrame.ToDictionary(kv => kv.Key, kv => string.Join("|", kv.Value));
        if (sequences.Count == 0) return ("(no state)", frameText, names);
        if (sequences.Count == 1) return (string.Join(" → ", sequences[0]), frameText, names);

        int common = 0;
        while (sequences.All(s => s.Count > common && s[common] == sequences[0][common])) common++;
        var alternatives = sequences.Select(s => s.Skip(common).ToList()).Select(s => s.Count == 0 ? "(no further change)" : string.Join(" → ", s))
            .Distinct(StringComparer.Ordinal).ToList();
        string more = alternatives.Count > MaxAlternatives ? $" | … {alternatives.Count - MaxAlternatives} more" : "";
        string choice = "{" + string.Join(" | ", alternatives.Take(MaxAlternatives)) + more + "}";
        return (common == 0 ? choice : string.Join(" → ", sequences[0].Take(common)) + " → " + choice, frameText, names);
    }
}
