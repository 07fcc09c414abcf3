using System;
using System.Collections.Generic;

namespace TcpSpec.Language;

/// <summary>"Did you mean": the declared name closest to a misspelt one, when it is close enough to be a typo.</summary>
public static class Suggestions
{
    /// <summary>The text to put after an unknown name: <c> (did you mean 'X'?)</c>, or empty.</summary>
    public static string DidYouMean(string name, IEnumerable<string> known)
    {
        var near = Nearest(name, known);
        return near is null ? "" : $" (did you mean '{near}'?)";
    }

    public static string? Nearest(string name, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var k in known)
        {
            int d = Distance(name, k);
            if (d < bestDistance || (d == bestDistance && best is not null && string.CompareOrdinal(k, best) < 0)) { best = k; bestDistance = d; }
        }
        return best is not null && bestDistance > 0 && bestDistance <= Math.Max(1, name.Length / 3) ? best : null;
    }

    /// <summary>Levenshtein distance, letters compared without case (a typo in case is a typo too).</summary>
    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) row[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                int cost = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1;
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + cost);
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
