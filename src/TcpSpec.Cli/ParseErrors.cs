using System.Text.RegularExpressions;

namespace TcpSpec.Cli;

/// <summary>
/// Says System.CommandLine's value errors in the user's words: "Cannot parse argument 'x' for
/// option '--loss' as expected type 'System.Nullable`1[System.Int32]'" becomes "--loss expects a
/// whole number, not 'x'"; "Required command was not provided." names the commands. Other
/// messages pass through unchanged.
/// </summary>
public static partial class ParseErrors
{
    /// <summary>The start of what a missing command becomes (an unknown command's own message names the commands already).</summary>
    public const string GiveACommand = "give a command: ";

    public static string Reword(string message, IEnumerable<string> commands)
    {
        if (message == "Required command was not provided.") return $"{GiveACommand}{string.Join(", ", commands)} (tcpspec --help says what each does)";
        var choice = NotAChoice().Match(message);
        if (choice.Success) return $"'{choice.Groups["value"].Value}' is not one of: {string.Join(", ", choice.Groups["choice"].Captures.Select(c => c.Value))}";
        var m = CannotParse().Match(message);
        if (!m.Success) return message;
        string kind = m.Groups["type"].Value switch
        {
            var t when t.Contains("UInt") => "a whole number, 0 or more",
            var t when t.Contains("Int32") || t.Contains("Int64") || t.Contains("Int16") || t.Contains("Byte") => "a whole number",
            var t when t.Contains("Double") || t.Contains("Single") || t.Contains("Decimal") => "a number",
            var t when t.Contains("Boolean") => "true or false",
            _ => "a value of another form",
        };
        string value = m.Groups["value"].Value;
        // A whole number too large for its option is still a whole number: say its limit.
        if (Digits().IsMatch(value) && MostOf(m.Groups["type"].Value) is { } most) kind += $" up to {most}";
        return $"{m.Groups["option"].Value} expects {kind}, not '{value}'";
    }

    private static string? MostOf(string type) => type switch
    {
        var t when t.Contains("UInt64") => ulong.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        var t when t.Contains("UInt32") => uint.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        var t when t.Contains("Int64") => long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        var t when t.Contains("Int32") => int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    [GeneratedRegex(@"^Argument '(?<value>.*)' not recognized\. Must be one of:(?:\s*'(?<choice>[^']*)')+\s*$")]
    private static partial Regex NotAChoice();

    [GeneratedRegex(@"^[0-9]+$")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'\.?$")]
    private static partial Regex CannotParse();
}
