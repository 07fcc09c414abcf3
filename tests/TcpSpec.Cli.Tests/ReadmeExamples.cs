using System.Text;
using System.Text.RegularExpressions;

namespace TcpSpec.Cli.Tests;

/// <summary>
/// The README's example outputs, read from the README itself: a <c>```sh</c> block whose last
/// command is <c>dotnet run --project src/TcpSpec.Cli -- ARGS</c>, followed at once by a bare
/// <c>```</c> block holding what that command prints on stdout. The output block's last line may
/// end in <c>(exit N)</c>, the command's exit code (0 when absent).
/// </summary>
internal sealed record ReadmeExample(int CommandLine, string[] Args, int OutputStart, int OutputEnd, string Expected, int ExpectedExit)
{
    private const string Prefix = "dotnet run --project src/TcpSpec.Cli -- ";
    private static readonly Regex ExitNote = new(@"\s+\(exit (\d+)\)\s*$");

    public override string ToString() => $"README.md line {CommandLine}: tcpspec {string.Join(' ', Args)}";

    /// <summary>Every example of <paramref name="lines"/> (the README, split at newlines).</summary>
    public static IReadOnlyList<ReadmeExample> All(string[] lines)
    {
        var examples = new List<ReadmeExample>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i] != "```sh") continue;
            int close = Array.IndexOf(lines, "```", i + 1);
            if (close < 0 || close + 1 >= lines.Length || lines[close + 1] != "```") { i = Math.Max(i, close); continue; }
            int outputClose = Array.IndexOf(lines, "```", close + 2);
            if (outputClose < 0) break;
            var (commandLine, command) = LastCommand(lines, i + 1, close);
            if (command is null || !command.StartsWith(Prefix, StringComparison.Ordinal)) { i = outputClose; continue; }
            var output = lines[(close + 2)..outputClose].ToList();
            int exit = 0;
            if (output.Count > 0 && ExitNote.Match(output[^1]) is { Success: true } m)
            {
                exit = int.Parse(m.Groups[1].Value);
                output[^1] = output[^1][..m.Index];
            }
            examples.Add(new ReadmeExample(commandLine + 1, Words(command[Prefix.Length..]), close + 2, outputClose,
                string.Join('\n', output), exit));
            i = outputClose;
        }
        return examples;
    }

    /// <summary>The README with this example's output block replaced by <paramref name="actual"/>.</summary>
    public string[] Approve(string[] lines, string actual, int exit)
    {
        var output = actual.TrimEnd('\n').Split('\n').ToList();
        output[^1] += $"          (exit {exit})";
        return [.. lines[..OutputStart], .. output, .. lines[OutputEnd..]];
    }

    /// <summary>The last command of a shell block (lines joined at a trailing backslash, comments cut).</summary>
    private static (int Line, string? Command) LastCommand(string[] lines, int from, int to)
    {
        (int, string?) last = (from, null);
        for (int i = from; i < to; i++)
        {
            int start = i;
            var text = new StringBuilder(lines[i].TrimEnd());
            while (text.Length > 0 && text[^1] == '\\' && i + 1 < to)
            {
                text.Length--;
                text.Append(' ').Append(lines[++i].Trim());
            }
            var command = CutComment(text.ToString()).Trim();
            if (command.Length > 0) last = (start, Regex.Replace(command, @"\s+", " "));
        }
        return last;
    }

    private static string CutComment(string line)
    {
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '"') quoted = !quoted;
            else if (!quoted && line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1]))) return line[..i];
        }
        return line;
    }

    private static string[] Words(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool quoted = false, any = false;
        foreach (char c in command)
        {
            if (c == '"') { quoted = !quoted; any = true; }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any) words.Add(word.ToString());
                word.Clear();
                any = false;
            }
            else { word.Append(c); any = true; }
        }
        if (any) words.Add(word.ToString());
        return [.. words];
    }
}
