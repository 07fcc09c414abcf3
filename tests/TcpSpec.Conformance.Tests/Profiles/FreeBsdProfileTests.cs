using TcpSpec.Conformance.Packetdrill;
using TcpSpec.Conformance.Profiles;
using TcpSpec.Testing;

namespace TcpSpec.Conformance.Tests.Profiles;

/// <summary>
/// The FreeBSD profile (spec/profiles/freebsd.md and its stack parameters): each deviation has its
/// own script (Profiles/FreeBsdScripts) that passes under --profile freebsd --strict and fails
/// against the table alone, so every deviation is needed and does what its row says.
/// </summary>
public class FreeBsdProfileTests
{
    public static string ScriptsDir => Repo.Path("tests", "TcpSpec.Conformance.Tests", "Profiles", "FreeBsdScripts");

    private static readonly Lazy<Profile> FreeBsd = new(() => ProfileScripts.Load(Profile.FreeBsdName));

    /// <summary>The script that shows each deviation of the overlay (and two parameters).</summary>
    public static readonly IReadOnlyDictionary<string, string> ScriptFor = new Dictionary<string, string>
    {
        ["syn-ack-at-listen"] = "syn-ack-at-listen.pkt",
        ["fin-resent-with-ack"] = "fin-resent-with-ack.pkt",
        ["old-ack-processed"] = "old-ack-processed.pkt",
        ["time-wait-twcheck"] = "time-wait-twcheck.pkt",
        ["reset-signalled-late"] = "reset-signalled-late.pkt",
        ["close-in-syn-received"] = "close-in-syn-received.pkt",
        ["reset-with-ack"] = "reset-with-ack.pkt",
        ["insecure_syn"] = "insecure-syn.pkt",
        ["insecure_rst"] = "insecure-rst.pkt",
        ["drop_synfin"] = "drop-synfin.pkt",
        ["syn-text-dropped"] = "syn-text-dropped.pkt",
        ["parameter: MSL"] = "msl.pkt",
        ["parameter: receive buffer rounded to the MSS"] = "receive-buffer-rounded.pkt",
        ["parameter: delayed ACK (net.inet.tcp.delacktime)"] = "delayed-ack.pkt",
        ["parameter: delayed ACK switched by sysctl (net.inet.tcp.delayed_ack)"] = "delayed-ack-sysctl.pkt",
        ["parameter: delayed ACK of text held on a SYN"] = "delayed-ack-syn-text.pkt",
        ["old-ack-processed: an ACK left of the window in ESTABLISHED"] = "old-ack-processed-established.pkt",
        ["time-wait-twcheck: every ACK but an exact duplicate acknowledged"] = "time-wait-acks-non-duplicate.pkt",
    };

    public static TheoryData<string> Deviations()
    {
        var data = new TheoryData<string>();
        foreach (var k in ScriptFor.Keys) data.Add(k);
        return data;
    }

    private static ScriptResult Run(string file, Profile? profile) => ProfileScripts.Run(ScriptsDir, file, profile);

    [Theory]
    [MemberData(nameof(Deviations))]
    public void The_deviation_script_passes_under_the_profile_and_fails_against_the_table(string deviation)
    {
        var file = ScriptFor[deviation];
        var under = Run(file, FreeBsd.Value);
        Assert.True(under.Passed, PacketdrillReport.Format(under, verbose: true));
        Assert.Equal(0, under.SkippedChecks);
        var table = Run(file, null);
        Assert.False(table.Passed, $"{file} passes against the table alone: it does not show {deviation}");
    }

    [Fact]
    public void Every_deviation_of_the_overlay_has_its_script()
    {
        var ids = FreeBsd.Value.Without(new HashSet<string>())!.Deviations.Select(d => d.Id).ToList();
        Assert.Equal(11, ids.Count);
        // The knobs are off by default, so the default profile lists only the others; all are in the overlay file.
        var text = File.ReadAllText(Repo.Path("spec", "profiles", "freebsd.md"));
        foreach (var id in ScriptFor.Keys.Where(k => !k.StartsWith("parameter", StringComparison.Ordinal) && !k.Contains(':', StringComparison.Ordinal)))
            Assert.Contains($"| {id} |", text);
        foreach (var id in ids) Assert.True(ScriptFor.ContainsKey(id), $"deviation {id} has no script");
    }

    [Fact]
    public void The_knobs_are_off_by_default_and_a_sysctl_line_switches_them_both_ways()
    {
        Assert.Equal(new HashSet<string> { "insecure_syn", "insecure_rst", "drop_synfin" }, FreeBsd.Value.Disabled);
        Assert.DoesNotContain(FreeBsd.Value.Deviations, d => d.Id == "insecure_syn");
        var on = FreeBsd.Value.Without(new HashSet<string> { "insecure_rst", "drop_synfin" })!;
        Assert.Contains(on.Deviations, d => d.Id == "insecure_syn" && d.Row);
        var off = Run("insecure-syn-off.pkt", FreeBsd.Value);
        Assert.True(off.Passed, PacketdrillReport.Format(off, verbose: true));
    }

    [Fact]
    public void The_merged_docs_list_every_deviation_the_knobs_included()
    {
        var merged = MergedTableWriter.ForBuiltIn(Profile.FreeBsdName);
        Assert.StartsWith("> **FreeBSD profile.**", merged);
        foreach (var id in new[] { "insecure_syn", "insecure_rst", "drop_synfin", "time-wait-twcheck" })
            Assert.Contains($"(deviation: {id})", merged);
        Assert.Equal(merged.Replace("\r\n", "\n"), File.ReadAllText(Repo.Path("docs", "profiles", "freebsd.md")).Replace("\r\n", "\n"));
    }

    [Fact]
    public void The_profile_defines_its_os_name_for_ifdef()
    {
        Assert.Equal("FreeBSD", StackParameters.FreeBsd.OsName);
        Assert.Equal("Linux", StackParameters.Linux.OsName);
        Assert.Null(StackParameters.Rfc9293.OsName);
    }
}
