using System.Text.RegularExpressions;

namespace TcpSpec.Checker.Scenarios;

/// <summary>
/// What a table of <c>spec/broken/</c> says of itself in its header line
/// <c>`tcpspec check --spec FILE --scenario S [--untimed-timers]` must report **P**.</c>:
/// the scenario that must catch it, the property, and whether only the untimed over-approximation
/// of the timers does. One reader for every user of the header (tests, benchmarks).
/// </summary>
public sealed partial record BrokenTableHeader(string Scenario, string Property, bool UntimedTimers)
{
    /// <summary>The header of <paramref name="text"/>, or null when it has none.</summary>
    public static BrokenTableHeader? Read(string text)
    {
        var m = Line().Match(text);
        return m.Success ? new BrokenTableHeader(m.Groups[1].Value, m.Groups[3].Value, m.Groups[2].Success) : null;
    }

    [GeneratedRegex(@"--scenario ([a-z0-9-]+)( --untimed-timers)?` must report \*\*([a-z0-9-]+)\*\*")]
    private static partial Regex Line();
}
