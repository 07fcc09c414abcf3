namespace TcpSpec.Conformance.Packetdrill;

/// <summary>A parsed packetdrill script: its lines in file order, each with its line number, timing and body.</summary>
public sealed record Script(string Path, IReadOnlyList<ScriptLine> Lines)
{
    /// <summary>The value of a <c>--name=value</c> option line, or null.</summary>
    public string? Option(string name) =>
        Lines.Select(l => l.Body).OfType<OptionLine>().LastOrDefault(o => o.Name == name)?.Value;
}

/// <summary>How a line's time is written.</summary>
public enum TimeKind
{
    /// <summary>No time: an option or a shell command before or after the events.</summary>
    None,
    /// <summary><c>0.100</c>: seconds since the script started.</summary>
    Absolute,
    /// <summary><c>+0.1</c>: seconds after the previous event.</summary>
    Relative,
    /// <summary><c>*</c>: any time (outbound packets only).</summary>
    Any,
    /// <summary><c>0.1~0.2</c> (outbound packets only).</summary>
    AbsoluteRange,
    /// <summary><c>+0.1~+0.2</c> (outbound packets only).</summary>
    RelativeRange,
}

/// <summary>A line's time in microseconds (<see cref="EndUsecs"/> for ranges).</summary>
public readonly record struct EventTime(TimeKind Kind, long Usecs = 0, long EndUsecs = 0)
{
    public override string ToString() => Kind switch
    {
        TimeKind.None => "",
        TimeKind.Absolute => Seconds(Usecs),
        TimeKind.Relative => "+" + Seconds(Usecs),
        TimeKind.Any => "*",
        TimeKind.AbsoluteRange => $"{Seconds(Usecs)}~{Seconds(EndUsecs)}",
        _ => $"+{Seconds(Usecs)}~+{Seconds(EndUsecs)}",
    };

    /// <summary>Microseconds as seconds, the way scripts write them (<c>0.1</c>, <c>2</c>).</summary>
    public static string Seconds(long usecs)
    {
        var s = (usecs / 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        long frac = Math.Abs(usecs % 1_000_000);
        return frac == 0 ? s : s + "." + frac.ToString("D6", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('0');
    }
}

/// <summary>One statement of the script (usually one text line; a bracket, string or comment left open continues it).</summary>
/// <param name="Line">The 1-based line it starts on.</param>
/// <param name="Text">Its source text, comments removed, on one line.</param>
public sealed record ScriptLine(int Line, EventTime Time, LineBody Body, string Text);

/// <summary>What a line does.</summary>
public abstract record LineBody;

public enum PacketDirection { Inbound, Outbound }

/// <summary>
/// <c>&lt; S. 0:0(0) ack 1 win 8192 &lt;mss 1460&gt;</c>: a TCP segment the script injects (<c>&lt;</c>) or
/// expects the stack to send (<c>&gt;</c>). Sequence numbers are relative to the sender's ISN,
/// acknowledgment numbers to the receiver's, as packetdrill writes them.
/// </summary>
/// <param name="Flags">The flags as written: <c>S</c>, <c>S.</c>, <c>.</c>, <c>F.</c>, <c>R</c>, <c>P.</c>, <c>-</c> (none).</param>
/// <param name="Bits">The control bits the engine knows (F, S, R, P, U and the ACK dot).</param>
/// <param name="EcnFlags">E, W, A as written: bits the engine does not model.</param>
/// <param name="Options">The TCP options' text between the angle brackets (<c>...</c> for "any"), or null.</param>
/// <param name="Mss">The value of an <c>mss</c> option, if the options carry one.</param>
/// <param name="Ignored">What the line says that the engine does not model (IP info, ports, urgent pointer), for the report.</param>
public sealed record PacketLine(PacketDirection Direction, string Flags, TcpFlags Bits, string EcnFlags,
    uint Start, uint End, ushort Length, uint? Ack, ushort? Window, string? Options, ushort? Mss, IReadOnlyList<string> Ignored) : LineBody
{
    public bool Inbound => Direction == PacketDirection.Inbound;

    /// <summary><c>...(length)</c>: the sequence number is not compared (outbound only).</summary>
    public bool SeqIgnored { get; init; }
}

/// <summary>The socket calls the runner models.</summary>
public enum CallKind { Socket, Bind, Listen, Connect, Accept, Close, Shutdown, SetLinger, Write, Read, GetSockOpt, SetSockOpt, Ioctl }

public enum ShutdownHow { Read, Write, Both }

/// <summary>
/// <c>connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)</c>: a socket call with its
/// expected result. <see cref="Args"/> are the arguments' raw text; the fields after them are
/// what the runner reads from them.
/// </summary>
/// <param name="EndUsecs">The time after <c>...</c> of a blocking call (<c>+0...0.1 read(...)</c>), as written.</param>
/// <param name="Fd">The socket the call is on (none for <c>socket</c>).</param>
/// <param name="Count">Octets to write or read.</param>
/// <param name="Linger">SO_LINGER's <c>{onoff, linger}</c>.</param>
public sealed record CallLine(string Name, CallKind Kind, IReadOnlyList<string> Args, long Result, string? Errno, string? Note,
    long? EndUsecs, int Fd = -1, uint Count = 0, ShutdownHow How = ShutdownHow.Both, (int OnOff, int Linger)? Linger = null) : LineBody
{
    public string ExpectedText => Errno is null ? Result.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Result} {Errno}";
}

/// <summary><c>--tolerance_usecs=10000</c>: a script option (only before the first event).</summary>
public sealed record OptionLine(string Name, string? Value) : LineBody;

/// <summary><c>`sysctl -w net.inet.tcp.insecure_rst=1`</c>: a shell command; the runner knows a profile's sysctl knobs and the state checks suites write (sockstat), and reports the rest skipped.</summary>
public sealed record ShellLine(string Command) : LineBody;

/// <summary><c>%{ assert tcpi_state == TCPI_CLOSING }%</c>: a code snippet; the runner checks the state assertions it can read and reports the rest skipped.</summary>
public sealed record CodeLine(string Code) : LineBody;

/// <summary>A line the runner cannot model (sysctl or other shell commands, getsockopt, fcntl, code blocks...), with why.</summary>
public sealed record SkippedLine(string Reason) : LineBody;
