using System.Globalization;
using System.Text.RegularExpressions;

namespace TcpSpec.Conformance.Packetdrill;

/// <summary>
/// The shell commands and code snippets of a script whose meaning the runner knows: a
/// <c>sysctl -w NAME=VALUE</c> the profile knows (a knob switching a deviation, or a parameter),
/// the state checks suites write (<c>sockstat ... | grep -c STATE | grep N</c>,
/// <c>%{ assert tcpi_state == TCPI_X }%</c>) checked against the engine's state, and
/// <c>tcpdrop -s STATE</c> (the connection forgotten without a segment). Everything else is
/// reported skipped, a check when it would have checked the stack.
/// </summary>
internal sealed partial class ScriptCommands(PacketdrillRunner run)
{
    private readonly PacketdrillRunner _run = run;
    private readonly HashSet<string> _disabled = [.. run.Profile?.Disabled ?? new HashSet<string>()];

    [GeneratedRegex(@"^\s*sysctl\s+(?:-[a-z]+\s+)*([A-Za-z0-9_.]+)=(.+?)\s*$")]
    private static partial Regex Sysctl();

    [GeneratedRegex(@"^\s*sockstat\b.*\|\s*grep\s+-c\s+([A-Z_0-9]+)\s*\|\s*grep\s+(\d+)\s*$")]
    private static partial Regex Sockstat();

    [GeneratedRegex(@"^\s*tcpdrop\s+-s\s+([A-Z_0-9]+)\s*$")]
    private static partial Regex TcpDrop();

    [GeneratedRegex(@"^\s*assert\s+tcpi_state\s*==\s*([A-Za-z_0-9]+)\s*;?\s*$")]
    private static partial Regex TcpiAssert();

    [GeneratedRegex(@"^\s*assert\s+tcpi_options\s*==\s*(\d+)\s*;?\s*$")]
    private static partial Regex TcpiOptions();

    /// <summary>Runs the line; false if it was skipped.</summary>
    public bool Run(ScriptLine line)
    {
        switch (line.Body)
        {
            case ShellLine sh:
                return Shell(line, sh.Command);
            case CodeLine code:
            {
                var m = TcpiAssert().Match(code.Code.Trim());
                var o = TcpiOptions().Match(code.Code.Trim());
                if (o.Success)
                {
                    // The engine negotiates no TCP option (no timestamps, SACK or window scaling): tcpi_options is 0.
                    if (o.Groups[1].Value != "0")
                        _run.Fail(line, $"tcpi_options == {o.Groups[1].Value} does not hold: the engine negotiates no TCP option (tcpi_options is 0)", o.Groups[1].Value, "0");
                    _run.Checked();
                    return true;
                }
                if (!m.Success)
                {
                    _run.Skip(line, "code snippet not run (only 'assert tcpi_state == X' and 'assert tcpi_options == N' are read)",
                        wasCheck: code.Code.Contains("assert", StringComparison.Ordinal));
                    return false;
                }
                return CheckState(line, m.Groups[1].Value, $"tcpi_state == {m.Groups[1].Value}");
            }
        }
        return false;
    }

    private bool Shell(ScriptLine line, string command)
    {
        var sysctl = Sysctl().Match(command);
        if (sysctl.Success) return SetSysctl(line, sysctl.Groups[1].Value, sysctl.Groups[2].Value);
        var sock = Sockstat().Match(command);
        if (sock.Success)
        {
            // One endpoint: sockstat lists it in its state (while a descriptor or the TCB still exists).
            var state = StateFromName(sock.Groups[1].Value);
            if (state is null)
            {
                _run.Skip(line, $"sockstat state {sock.Groups[1].Value} is not a TCP state the runner knows", wasCheck: true);
                return false;
            }
            int want = int.Parse(sock.Groups[2].Value, CultureInfo.InvariantCulture);
            int have = _run.StateName == state ? 1 : 0;
            if (have != want)
                _run.Fail(line, $"the shell check expects {want} connection(s) in {state}; the endpoint is in {_run.StateName}", $"{want} in {state}", $"{have} ({_run.StateName})");
            _run.Checked();
            return true;
        }
        var drop = TcpDrop().Match(command);
        if (drop.Success)
        {
            var state = StateFromName(drop.Groups[1].Value);
            if (state is not null && _run.StateName == state) _run.DiscardEndpoint();
            return true;
        }
        var word = command.TrimStart().Split([' ', '\t', '\n', '\r'], 2)[0];
        // A command that tests something (grep, test, ss, netstat, nstat) would have checked the stack; a setup script would not.
        bool check = command.Contains("grep", StringComparison.Ordinal) || word is "test" or "[" or "ss" or "netstat" or "nstat" or "sockstat";
        _run.Skip(line, word.Length > 0 ? $"shell command {word} not run" : "shell command not run", wasCheck: check);
        return false;
    }

    private bool SetSysctl(ScriptLine line, string name, string value)
    {
        var p = _run.Parameters;
        if (p.Knobs.FirstOrDefault(k => k.Sysctl == name) is { } knob)
        {
            bool on = value != "0";
            bool changed = on ? _disabled.Remove(knob.Deviation) : _disabled.Add(knob.Deviation);
            if (changed && !_run.SwitchDeviations(_disabled))
            {
                _run.Skip(line, $"sysctl {name} switches the deviation {knob.Deviation}, which this run cannot switch (a fixed --spec table)");
                return false;
            }
            _run.Notes.Add(new LineNote(line.Line, $"sysctl {name}={value}: deviation {knob.Deviation} {(on ? "on" : "off")}"));
            return true;
        }
        if (p.Parameters.FirstOrDefault(x => x.Sysctl == name) is { } param)
        {
            if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            {
                _run.Skip(line, $"sysctl {name}: '{value}' is not a number");
                return false;
            }
            _run.SetParameters(param.Set(p, v));
            _run.Notes.Add(new LineNote(line.Line, $"sysctl {name}={value}: {param.Parameter}"));
            return true;
        }
        var who = _run.Profile is { } prof ? $"the {prof.Name} profile" : "the table alone (no --profile)";
        _run.Skip(line, $"sysctl {name} is not a knob or parameter of {who}");
        return false;
    }

    /// <summary>Checks the engine's state against a name (TCPI_ESTABLISHED, TCP_CLOSE_WAIT, SYN_RCVD) or a profile's tcpi_state number.</summary>
    internal bool CheckState(ScriptLine line, string expected, string what)
    {
        string? state = int.TryParse(expected, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? _run.Parameters.TcpiStates.TryGetValue(n, out var s) ? s : null
            : StateFromName(expected);
        if (state is null)
        {
            _run.Skip(line, $"{what}: the state {expected} is not one the runner can read{(_run.Profile is null ? " (numbers need a --profile)" : "")}", wasCheck: true);
            return false;
        }
        if (_run.StateName != state)
            _run.Fail(line, $"the state assertion {what} does not hold: the endpoint is in {_run.StateName}", state, _run.StateName);
        _run.Checked();
        return true;
    }

    /// <summary>FreeBSD's TCPI_/TCPS_ and sockstat names, Linux's TCP_ names, as the table's state names.</summary>
    internal static string? StateFromName(string name)
    {
        var n = name.ToUpperInvariant();
        foreach (var prefix in new[] { "TCPI_", "TCPS_", "TCP_" })
            if (n.StartsWith(prefix, StringComparison.Ordinal)) n = n[prefix.Length..];
        return n switch
        {
            "CLOSED" or "CLOSE" => "CLOSED",
            "LISTEN" => "LISTEN",
            "SYN_SENT" => "SYN-SENT",
            "SYN_RECEIVED" or "SYN_RCVD" or "SYN_RECV" => "SYN-RECEIVED",
            "ESTABLISHED" => "ESTABLISHED",
            "CLOSE_WAIT" => "CLOSE-WAIT",
            "FIN_WAIT_1" or "FIN_WAIT1" => "FIN-WAIT-1",
            "FIN_WAIT_2" or "FIN_WAIT2" => "FIN-WAIT-2",
            "CLOSING" => "CLOSING",
            "LAST_ACK" => "LAST-ACK",
            "TIME_WAIT" => "TIME-WAIT",
            _ => null,
        };
    }
}
