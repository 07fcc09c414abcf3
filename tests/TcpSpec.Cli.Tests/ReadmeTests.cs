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
    public void The_readme_shows_the_two_commands()
    {
        Assert.Contains("dotnet run --project src/TcpSpec.Cli -- check", Readme);
        Assert.Contains("dotnet test", Readme);
    }
}
