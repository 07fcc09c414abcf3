using System.CommandLine;
using System.CommandLine.Parsing;
using TcpSpec.Language;

namespace TcpSpec.Cli;

/// <summary>
/// Finds words that look like options but that no option of the command takes (<c>conform --bogus
/// x.pcap</c>): System.CommandLine would hand them to a file argument, and the user would read "no
/// such file" about a typo. Negative numbers are values, not options. A word where a command is
/// expected that names none (<c>tcpspec chek</c>) is an unknown command, with the commands there are.
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
            if (command is RootCommand && token.Type == TokenType.Argument && !token.Value.StartsWith('-'))
            {
                var names = command.Subcommands.Select(c => c.Name).ToList();
                yield return $"unknown command '{token.Value}'{Suggestions.DidYouMean(token.Value, names)}; the commands are {string.Join(", ", names)}";
                yield break;
            }
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

    /// <summary>The known option closest to <paramref name="name"/>, if it is close enough to be a typo (<c>-loss</c> and <c>--lose</c> both mean <c>--loss</c>).</summary>
    public static string? Nearest(string name, IEnumerable<string> known)
    {
        var byBareName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var k in known) byBareName.TryAdd(k.TrimStart('-'), k);
        string bare = name.TrimStart('-');
        if (byBareName.TryGetValue(bare, out var sameName)) return sameName;
        var near = Suggestions.Nearest(bare, byBareName.Keys);
        return near is null ? null : byBareName[near];
    }
}
