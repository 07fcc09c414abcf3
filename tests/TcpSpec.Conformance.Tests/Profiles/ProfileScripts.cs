using TcpSpec.Conformance.Packetdrill;
using TcpSpec.Conformance.Profiles;

namespace TcpSpec.Conformance.Tests.Profiles;

/// <summary>A built-in profile and its own scripts, run as `pkt --profile NAME --strict` runs them.</summary>
internal static class ProfileScripts
{
    public static Profile Load(string name) =>
        Profile.Load(name, Profile.TablePath, BuiltIn.Table(), out _) ?? throw new InvalidOperationException($"the {name} profile does not compile");

    /// <summary>Runs <paramref name="file"/> of <paramref name="dir"/> strictly, under <paramref name="profile"/> (its OS name defined for #ifdef) or the table alone.</summary>
    public static ScriptResult Run(string dir, string file, Profile? profile)
    {
        var defined = new HashSet<string>();
        if (profile?.Parameters.OsName is { } os) defined.Add(os);
        var script = PacketdrillParser.ParseFile(Path.Combine(dir, file), defined);
        return PacketdrillRunner.Run(script, new PacketdrillOptions { Profile = profile, Strict = true });
    }
}
