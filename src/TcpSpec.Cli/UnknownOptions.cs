using System.CommandLine;
using System.CommandLine.Parsing;

namespace TcpSpec.Cli;

/// <summary>
/// Finds words that look like options but that no option of the command takes (<c>conform --bogus
/// x.pcap</c>): System.CommandLine would hand them to a file argument, and the user would read "no
/// such file" about a typo. Negative numbers are values, not options.
/// </summary>
public static class UnknownOptions
{
    public static IEnumerable<string> Find(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var known = command.Options.Concat(Ancestors(parse.CommandResult).SelectMany(c => c.Options.Where(o => o.Recursive)))
            .SelectMany(o => o.Aliases.Append(o.Name)).Distinct().ToList();
        foreach (var token in parse.Tokens)
        {
            if (token.Type != TokenType.Argument || token.Value.Length < 2 || token.Value[0] != '-') continue;
            if (double.TryParse(token.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)) continue;
            string name = token.Value.Split('=', 2)[0];
            string? near = Nearest(name, known);
            yield return $"unknown option '{name}' for '{command.Name}'" + (near is null ? "" : $" (did you mean '{near}'?)");
        }
    }

    private static IEnumerable<Command> Ancestors(CommandResult result)
    {
        for (var r = result.Parent as CommandResult; r is not null; r = r.Parent as CommandResult) yield return r.Command;
    }

    /// <summary>The known option closest to <paramref name="name"/> by edit distance, if it is close enough to be a typo.</summary>
    public static string? Nearest(string name, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var k in known)
        {
            int d = Distance(name.TrimStart('-'), k.TrimStart('-'));
            if (d < bestDistance) (best, bestDistance) = (k, d);
        }
        return best is not null && bestDistance <= Math.Max(1, name.TrimStart('-').Length / 3) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
