using TcpSpec.Language;
using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary>The README is the user's manual: it must document what the code does.</summary>
public class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Repo.Path("README.md"));

    [Fact]
    public void Every_diagnostic_id_is_documented_with_its_severity()
    {
        foreach (var rule in SpecRules.All)
        {
            var severity = rule.Severity == SpecSeverity.Error ? "error" : "warning";
            Assert.Contains($"| {rule.Id} | {severity} |", Readme);
        }
    }

    [Fact]
    public void Every_scenario_and_broken_table_is_documented()
    {
        foreach (var scenario in TcpSpec.Checker.Scenarios.ScenarioCatalog.All) Assert.Contains($"| {scenario.Name} |", Readme);
        foreach (var file in Directory.GetFiles(Repo.Path("spec", "broken"), "*.spec.md"))
            Assert.Contains($"| {Path.GetFileName(file).Replace(".spec.md", "")} |", Readme);
        foreach (var property in TcpSpec.Checker.Properties.BuiltinProperties.All) Assert.Contains($"| {property.Name} |", Readme);
    }

    [Fact]
    public void The_profiles_section_example_is_an_overlay_that_merges_cleanly()
    {
        int section = Readme.IndexOf("\n## Profiles\n", StringComparison.Ordinal);
        Assert.True(section >= 0, "the README has no Profiles section");
        int start = Readme.IndexOf("```markdown\n", section, StringComparison.Ordinal) + "```markdown\n".Length;
        var example = Readme[start..Readme.IndexOf("```", start, StringComparison.Ordinal)];
        var profile = TcpSpec.Conformance.Profiles.Profile.Compile("example", "README.md", example, "spec/tcp.spec.md",
            TcpSpec.Conformance.Profiles.BuiltIn.Table(), out var diagnostics);
        Assert.Empty(diagnostics);
        Assert.Equal(["tcp_rfc1337", "reset-with-ack"], profile!.Deviations.Select(d => d.Id));
        Assert.Equal("TIME-WAIT × RST, RST-ACK / Drop → same", profile.Engine.Rows[profile.DeviationRows.Single().Key - 1].Description);
    }

    [Fact]
    public void The_readme_shows_the_two_commands()
    {
        Assert.Contains("dotnet run --project src/TcpSpec.Cli -- check", Readme);
        Assert.Contains("dotnet test", Readme);
    }
}
