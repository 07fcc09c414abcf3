using TcpSpec.Engines;
using TcpSpec.Language;

namespace TcpSpec.Conformance.Profiles;

/// <summary>A documented, deliberate difference of a stack from the table; <see cref="Row"/> when rows of the profile's overlay model it (otherwise it is a relaxation of what the observer accepts).</summary>
public sealed record Deviation(string Id, string Description, bool Row = false);

/// <summary>
/// Differences a profile allows that the table's rows cannot express (they are about the segments
/// a stack sends, not its states). An overlay's Deviations table names them in its <c>observer</c> cell.
/// </summary>
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

/// <summary>
/// What the observer holds a stack to: a table (the RFC 9293 table compiled into tcpspec, or an
/// edited one), merged with a profile overlay (<c>spec/profiles/*.md</c>, see <see cref="SpecOverlay"/>)
/// when the stack has one, and the observer relaxations the overlay's deviations name. The rows of
/// the overlay name the deviation they model when they fire.
/// </summary>
public sealed class Profile
{
    public const string Rfc9293Name = "rfc9293";
    public const string LinuxName = "linux";
    public const string FreeBsdName = "freebsd";

    /// <summary>The built-in table and overlays, as diagnostics name them.</summary>
    public const string TablePath = "spec/tcp.spec.md";

    private static readonly Lazy<Profile> BuiltInLinux = new(() => Linux(BuiltIn.Table()));

    private readonly IReadOnlyDictionary<Relaxations, Deviation> _relaxations;

    private Profile(string name, IEngine engine, IReadOnlyDictionary<Relaxations, Deviation> relaxations, IReadOnlyDictionary<int, Deviation> deviationRows,
        IReadOnlyList<Deviation> deviations, SpecDocument? merged)
    {
        Name = name;
        Engine = engine;
        _relaxations = relaxations;
        Allowed = relaxations.Keys.Aggregate(Relaxations.None, (a, r) => a | r);
        DeviationRows = deviationRows;
        Deviations = deviations;
        Merged = merged;
    }

    /// <summary>"rfc9293", "linux", or an overlay file's name.</summary>
    public string Name { get; }

    public IEngine Engine { get; }

    /// <summary>Timers, buffers, reset shape, sysctls and OS name of the stack (see <see cref="StackParameters"/>).</summary>
    public StackParameters Parameters { get; private init; } = StackParameters.Rfc9293;

    /// <summary>The deviations whose rows this profile's merge left out (knobs that are off).</summary>
    public IReadOnlySet<string> Disabled { get; private init; } = new HashSet<string>();

    private (string OverlayPath, string OverlayText, string TablePath, string TableText)? _source;
    private readonly Dictionary<string, Profile?> _variants = [];

    /// <summary>
    /// The same overlay merged without the rows of the deviations in <paramref name="disabled"/>
    /// (a knob switched off by a script's sysctl line); this profile itself when that is what it
    /// already is. Null if the variant does not compile.
    /// </summary>
    public Profile? Without(IReadOnlySet<string> disabled)
    {
        ArgumentNullException.ThrowIfNull(disabled);
        if (disabled.SetEquals(Disabled) || _source is not { } src) return this;
        var key = string.Join(",", disabled.Order(StringComparer.Ordinal));
        if (_variants.TryGetValue(key, out var cached)) return cached;
        var variant = Compile(Name, src.OverlayPath, src.OverlayText, src.TablePath, src.TableText, out _, disabled.ToHashSet());
        _variants[key] = variant;
        return variant;
    }

    public Relaxations Allowed { get; }

    /// <summary>Rows of the table that are a deviation, by id.</summary>
    public IReadOnlyDictionary<int, Deviation> DeviationRows { get; }

    /// <summary>Every deviation the profile models, in its overlay's order.</summary>
    public IReadOnlyList<Deviation> Deviations { get; }

    /// <summary>The table merged with the overlay, as syntax (null for the table alone).</summary>
    public SpecDocument? Merged { get; }

    /// <summary>The Linux deviations, from the built-in overlay <c>spec/profiles/linux.md</c>.</summary>
    public static IReadOnlyList<Deviation> LinuxDeviations => BuiltInLinux.Value.Deviations;

    public bool Allows(Relaxations r) => (Allowed & r) == r;

    public Deviation DeviationFor(Relaxations r) =>
        _relaxations.TryGetValue(r, out var d) ? d : throw new ArgumentOutOfRangeException(nameof(r), $"the {Name} profile does not allow {r}");

    /// <summary>The table itself: the generated engine, or an edited table's interpreted engine.</summary>
    public static Profile Rfc9293(IEngine? engine = null) =>
        new(Rfc9293Name, engine ?? GeneratedEngine.Instance, new Dictionary<Relaxations, Deviation>(), new Dictionary<int, Deviation>(), [], null);

    /// <summary>
    /// The Linux profile: the built-in overlay merged with <paramref name="tableText"/> (the
    /// built-in table when null). Throws <see cref="ProfileException"/> if the merge has errors.
    /// </summary>
    public static Profile Linux(string? tableText = null, string tablePath = TablePath)
    {
        if (tableText is null) return BuiltInLinux.Value;
        return Compile(LinuxName, BuiltIn.OverlayPath(LinuxName), BuiltIn.Overlay(LinuxName)!, tablePath, tableText, out var diagnostics)
            ?? throw new ProfileException($"the {LinuxName} profile does not compile: {string.Join("; ", diagnostics.Where(d => d.Severity == SpecSeverity.Error))}");
    }

    /// <summary>
    /// A built-in profile by name (<c>linux</c>) or an overlay file by path, merged with the table.
    /// Returns null with the reasons in <paramref name="diagnostics"/> when it has errors; throws
    /// <see cref="ProfileException"/> when it names neither a built-in profile nor a readable file.
    /// </summary>
    public static Profile? Load(string nameOrPath, string tablePath, string tableText, out IReadOnlyList<SpecDiagnostic> diagnostics)
    {
        if (BuiltIn.Overlay(nameOrPath) is { } builtIn)
            return Compile(nameOrPath, BuiltIn.OverlayPath(nameOrPath), builtIn, tablePath, tableText, out diagnostics);
        if (!File.Exists(nameOrPath))
            throw new ProfileException($"unknown profile '{nameOrPath}': use {Rfc9293Name}, {string.Join(", ", BuiltIn.Names)} or the path of an overlay file");
        string text;
        try
        {
            text = File.ReadAllText(nameOrPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ProfileException($"cannot read the profile {nameOrPath}: {ex.Message}");
        }
        var name = Path.GetFileName(nameOrPath);
        int dot = name.IndexOf('.');
        return Compile(dot > 0 ? name[..dot] : name, nameOrPath, text, tablePath, tableText, out diagnostics);
    }

    /// <summary>
    /// Merges an overlay into a table and binds the result; null, with the reasons in
    /// <paramref name="diagnostics"/>, if either has errors. The rows of the deviations in
    /// <paramref name="disabled"/> are left out (null: the profile's knobs at their defaults).
    /// </summary>
    public static Profile? Compile(string name, string overlayPath, string overlayText, string tablePath, string tableText, out IReadOnlyList<SpecDiagnostic> diagnostics,
        IReadOnlySet<string>? disabled = null)
    {
        var parameters = StackParameters.For(name);
        disabled ??= parameters.DefaultOff;
        var (merged, model) = SpecAnalyzer.Compile(tablePath, tableText, overlayPath, OverlayRows.Without(overlayText, disabled));
        var engine = InterpretedEngine.FromModel(tablePath, model, out var bound);
        var all = bound.ToList();
        var relaxations = new Dictionary<Relaxations, Deviation>();
        var deviations = new List<Deviation>();
        foreach (var d in merged.Deviations)
        {
            var deviation = new Deviation(d.Id, d.Description, merged.Rows.Any(r => r.Deviation?.Name == d.Id));
            deviations.Add(deviation);
            if (d.Observer is not { } observer) continue;
            if (Enum.TryParse<Relaxations>(observer.Name, out var r) && r != Relaxations.None && Enum.IsDefined(r))
                relaxations[r] = deviation;
            else
                all.Add(SpecRules.Create(SpecRules.UnknownRelaxation, observer.Location, observer.Name,
                    string.Join(", ", Enum.GetValues<Relaxations>().Where(x => x != Relaxations.None))));
        }
        diagnostics = all;
        if (engine is null || all.Any(d => d.Severity == SpecSeverity.Error)) return null;

        var rows = new Dictionary<int, Deviation>();
        for (int i = 0; i < merged.Rows.Count; i++)
        {
            if (merged.Rows[i].Deviation is { } n) rows[i + 1] = deviations.First(d => d.Id == n.Name);
        }
        return new Profile(name, engine, relaxations, rows, deviations, merged)
        {
            Parameters = parameters,
            Disabled = disabled.ToHashSet(),
            _source = (overlayPath, overlayText, tablePath, tableText),
        };
    }
}

/// <summary>A profile that cannot be built: an unknown name, an unreadable overlay, or one with errors.</summary>
public sealed class ProfileException(string message) : Exception(message);
