using TcpSpec.Conformance.Packetdrill;
using TcpSpec.Conformance.Profiles;
using TcpSpec.Testing;

namespace TcpSpec.Conformance.Tests.Profiles;

/// <summary>
/// The Linux profile's scripts (Profiles/LinuxScripts): each passes under --profile linux --strict
/// and fails against the table alone; tcp_rfc1337 is off by default, as Linux's sysctl is.
/// </summary>
public class LinuxProfileTests
{
    public static string ScriptsDir => Repo.Path("tests", "TcpSpec.Conformance.Tests", "Profiles", "LinuxScripts");

    private static readonly Lazy<Profile> Linux = new(() => ProfileScripts.Load(Profile.LinuxName));

    private static ScriptResult Run(string file, Profile? profile) => ProfileScripts.Run(ScriptsDir, file, profile);

    [Theory]
    [InlineData("syn-text-dropped-listen.pkt")]
    [InlineData("syn-text-dropped-syn-sent.pkt")]
    [InlineData("tcp-rfc1337.pkt")]
    public void The_script_passes_under_the_profile_and_fails_against_the_table(string file)
    {
        var under = Run(file, Linux.Value);
        Assert.True(under.Passed, PacketdrillReport.Format(under, verbose: true));
        Assert.Equal(0, under.SkippedChecks);
        Assert.False(Run(file, null).Passed, $"{file} passes against the table alone");
    }

    [Fact]
    public void Tcp_rfc1337_is_off_by_default_as_in_linux()
    {
        Assert.Equal(new HashSet<string> { "tcp_rfc1337" }, Linux.Value.Disabled);
        Assert.DoesNotContain(Linux.Value.Deviations, d => d.Id == "tcp_rfc1337");
        Assert.Contains(Linux.Value.Deviations, d => d.Id == "syn-text-dropped" && d.Row);
    }
}
