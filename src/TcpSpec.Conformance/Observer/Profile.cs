using System.Text.RegularExpressions;
using TcpSpec.Engines;
using TcpSpec.Language;

namespace TcpSpec.Conformance.Observer;

/// <summary>A documented, deliberate difference of a stack from the table; <see cref="Row"/> when a row of the profile's table models it (otherwise it is a relaxation of what the observer accepts).</summary>
public sealed record Deviation(string Id, string Description, bool Row = false);

/// <summary>Differences a profile allows that the table's rows cannot express (they are about the segments a stack sends, not its states).</summary>
[Flags]
public enum Relaxations
{
    None = 0,
    /// <summary>The reset of an ABORT (or of a close with unread data) carries ACK: <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=RST,ACK&gt;</c>.</summary>
    ResetCarriesAck = 1,
    /// <summary>Keep-alive and zero-window probes: <c>&lt;SEQ=SND.UNA-1&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;</c>, no text.</summary>
    Probes = 2,
    /// <summary>Retransmitting a segment other than the first unacknowledged one (tail loss probe, SACK recovery).</summary>
    AnyRetransmission = 4,
}

/// <summary>One edit of a table row, applied to the Markdown text.</summary>
public sealed record RowEdit(string Row, string? ReplaceWith = null, string? InsertAfter = null, string? InsertBefore = null);

/// <summary>
/// What the observer holds a stack to: a table (the RFC 9293 table compiled into tcpspec, an
/// edited table, or a stack's variant of it) and the relaxations the stack's documented
/// deviations need. Rows of a variant table whose RFC cell says <c>(deviation: ID)</c> name the
/// deviation when they fire.
/// </summary>
public sealed class Profile
{
    public const string Rfc9293Name = "rfc9293";
    public const string LinuxName = "linux";

    private static readonly Regex DeviationMark = new(@"\(deviation: ([A-Za-z0-9_.\-]+)\)", RegexOptions.CultureInvariant);

    /// <summary>The Linux deviations, with the sysctl or function that documents each.</summary>
    public static readonly IReadOnlyList<Deviation> LinuxDeviations =
    [
        new("tcp_rfc1337", "an RST in TIME-WAIT is ignored (Linux with net.ipv4.tcp_rfc1337=1, as RFC 1337 recommends; RFC 9293 §3.10.7.4 closes the connection, as Linux does by default)", Row: true),
        new("time-wait-accepts-syn", "a SYN beyond RCV.NXT in TIME-WAIT opens a new connection when a listener is there: SYN-RECEIVED and a SYN,ACK, its ISS above the old SND.NXT (Linux: tcp_timewait_state_process returns TCP_TW_SYN, ISS = old SND.NXT + 65537; RFC 9293 §3.6.1 MAY-2 allows it, asking also for a return to TIME-WAIT should the SYN be an old duplicate, which Linux cannot do; the table answers every SYN in TIME-WAIT with a challenge ACK, §3.10.7.4 fourth)", Row: true),
        new("reset-with-ack", "the reset of an abort carries ACK, <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK> (Linux: tcp_send_active_reset; RFC 9293 §3.10.5 sends <SEQ=SND.NXT><CTL=RST>)"),
        new("probe", "a keep-alive or zero-window probe <SEQ=SND.UNA-1><CTL=ACK> (Linux: tcp_xmit_probe_skb; keep-alives are a MAY of RFC 9293 §3.8.4 that the table does not model)"),
        new("tail-loss-probe", "a retransmission of a segment other than the first unacknowledged one (Linux: tail loss probe and SACK recovery, RFC 8985; the table retransmits from SND.UNA, RFC 6298 §5.4)"),
    ];

    /// <summary>The Linux variant of the table: edits of the RFC 9293 table's rows.</summary>
    public static readonly IReadOnlyList<RowEdit> LinuxEdits =
    [
        new("| CLOSING, LAST-ACK, TIME-WAIT | RST, RST-ACK | — | DeleteTcb | CLOSED |",
            ReplaceWith: "| CLOSING, LAST-ACK | RST, RST-ACK | — | DeleteTcb | CLOSED |",
            InsertAfter: "| TIME-WAIT | RST, RST-ACK | — | Drop | same | RFC 1337 (TIME-WAIT assassination); Linux net.ipv4.tcp_rfc1337=1 (deviation: tcp_rfc1337) |"),
        new("| ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT | SYN, SYN-ACK, SYN-FIN | — | SendChallengeAck | same |",
            InsertBefore: "| TIME-WAIT | SYN | PassiveOpen & !InOrder & !RstExact | ReturnToListen, AcceptSyn, SelectIss, SendSynAck | SYN-RECEIVED | RFC 9293 §3.6.1 MAY-2, RFC 1122 §4.2.2.13: a new SYN (SEG.SEQ > RCV.NXT, which is !InOrder & !RstExact) reopens the connection; Linux tcp_timewait_state_process (TCP_TW_SYN), when a listener is there (PassiveOpen), the new ISS chosen above the old SND.NXT (deviation: time-wait-accepts-syn) |"),
    ];

    private Profile(string name, IEngine engine, Relaxations relaxations, IReadOnlyDictionary<int, Deviation> deviationRows, IReadOnlyList<Deviation> deviations)
    {
        Name = name;
        Engine = engine;
        Allowed = relaxations;
        DeviationRows = deviationRows;
        Deviations = deviations;
    }

    /// <summary>"rfc9293" or "linux".</summary>
    public string Name { get; }

    public IEngine Engine { get; }

    public Relaxations Allowed { get; }

    /// <summary>Rows of the table that are a deviation, by id.</summary>
    public IReadOnlyDictionary<int, Deviation> DeviationRows { get; }

    /// <summary>Every deviation the profile models.</summary>
    public IReadOnlyList<Deviation> Deviations { get; }

    public bool Allows(Relaxations r) => (Allowed & r) == r;

    public Deviation DeviationFor(Relaxations r) => r switch
    {
        Relaxations.ResetCarriesAck => Find("reset-with-ack"),
        Relaxations.Probes => Find("probe"),
        Relaxations.AnyRetransmission => Find("tail-loss-probe"),
        _ => throw new ArgumentOutOfRangeException(nameof(r)),
    };

    private Deviation Find(string id) => Deviations.First(d => d.Id == id);

    /// <summary>The table itself: the generated engine, or an edited table's interpreted engine.</summary>
    public static Profile Rfc9293(IEngine? engine = null) =>
        new(Rfc9293Name, engine ?? GeneratedEngine.Instance, Relaxations.None, new Dictionary<int, Deviation>(), []);

    /// <summary>
    /// The Linux profile: <see cref="LinuxEdits"/> applied to <paramref name="baseTable"/> (the
    /// built-in table's text when null) and compiled with the interpreted engine, plus the
    /// relaxations. Throws <see cref="ProfileException"/> if the edits do not apply or the result does not compile.
    /// </summary>
    public static Profile Linux(string? baseTable = null, string path = "spec/profiles/linux.spec.md")
    {
        var text = LinuxTableText(baseTable ?? BuiltInTable());
        var engine = InterpretedEngine.FromText(path, text, out var diagnostics);
        if (engine is null)
        {
            var errors = diagnostics.Where(d => d.Severity == SpecSeverity.Error).Select(d => d.ToString());
            throw new ProfileException($"the linux profile does not compile: {string.Join("; ", errors)}");
        }
        var rows = new Dictionary<int, Deviation>();
        foreach (var row in engine.Rows)
        {
            var m = DeviationMark.Match(row.Rfc);
            if (!m.Success) continue;
            var d = LinuxDeviations.FirstOrDefault(x => x.Id == m.Groups[1].Value)
                ?? throw new ProfileException($"row {row.Id} (line {row.Line}) names an unknown deviation '{m.Groups[1].Value}'");
            rows[row.Id] = d;
        }
        return new Profile(LinuxName, engine, Relaxations.ResetCarriesAck | Relaxations.Probes | Relaxations.AnyRetransmission, rows, LinuxDeviations);
    }

    public const string LinuxHeader = "> **Linux profile.**";

    /// <summary>The Linux variant's Markdown: the header, then the table with <see cref="LinuxEdits"/> applied.</summary>
    public static string LinuxTableText(string baseTable)
    {
        var lines = baseTable.Replace("\r\n", "\n").Split('\n').ToList();
        foreach (var edit in LinuxEdits)
        {
            var matches = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith(edit.Row, StringComparison.Ordinal)).ToList();
            if (matches.Count != 1)
                throw new ProfileException($"the linux profile edits the row '{edit.Row}', which occurs {matches.Count} times in the table");
            int i = matches[0].i;
            if (edit.ReplaceWith is not null)
            {
                var rfc = lines[i][edit.Row.Length..].TrimEnd();
                if (rfc.EndsWith('|')) rfc = rfc[..^1].TrimEnd() + " (Linux: TIME-WAIT is handled below) |";
                lines[i] = edit.ReplaceWith + rfc;
            }
            if (edit.InsertAfter is not null) lines.Insert(i + 1, edit.InsertAfter);
            if (edit.InsertBefore is not null) lines.Insert(i, edit.InsertBefore);
        }
        var header = new[]
        {
            $"{LinuxHeader} The RFC 9293 table (spec/tcp.spec.md) as Linux behaves where it deliberately departs from it. `tcpspec conform --profile linux` follows captures with it.",
            "> Rows marked `(deviation: ID)` are Linux's; the profile also allows segments no row can express: " +
                string.Join("; ", LinuxDeviations.Where(d => !d.Row).Select(d => $"`{d.Id}`: {d.Description}")) + ".",
            "> Linux behaviours the table already has, or that the observer accepts without a deviation: the SYN,ACK resent for a retransmitted SYN in SYN-RECEIVED (`RetransmittedSyn`); the crossing SYN,ACK of a simultaneous open (`CompletesSimultaneousOpen`), and Linux's bare ACK after it (what §3.10.7.4 first sends for a segment below RCV.NXT; a bare ACK is always allowed); challenge ACKs that Linux rate-limits (RFC 5961 §7; the observer never demands an acknowledgment); when timers fire (linear SYN backoff, the 200 ms RTO floor: the observer does not judge timing); an orphaned FIN-WAIT-2 that times out (`tcp_fin_timeout`) and then resets the peer's FIN from CLOSED, with the reset an ABORT in FIN-WAIT-2 sends (<SEQ=SND.NXT><CTL=RST>).",
            "> Derived from spec/tcp.spec.md by src/TcpSpec.Conformance/Observer/Profile.cs; regenerate with `TCPSPEC_APPROVE=1 dotnet test --filter Linux_profile`.",
            "",
        };
        return string.Join("\n", header.Concat(lines));
    }

    /// <summary>The text of the table compiled into tcpspec (spec/tcp.spec.md, embedded).</summary>
    public static string BuiltInTable()
    {
        using var stream = typeof(Profile).Assembly.GetManifestResourceStream("TcpSpec.Conformance.tcp.spec.md")
            ?? throw new ProfileException("the built-in table is not embedded in TcpSpec.Conformance");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>A profile that cannot be built (its edits do not apply to the table, or the result does not compile).</summary>
public sealed class ProfileException(string message) : Exception(message);
