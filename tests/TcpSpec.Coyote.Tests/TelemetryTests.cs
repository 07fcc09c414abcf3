using System.Reflection;
using System.Text.Json;
using TcpSpec.Testing;

namespace TcpSpec.Coyote.Tests;

/// <summary>Coyote sends telemetry by default: nothing of ours may phone out.</summary>
public class TelemetryTests
{
    public static TheoryData<string> Strategies() => new(CoyoteOptions.StrategyNames);

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Every_configuration_has_telemetry_off(string strategy)
    {
        var configuration = new CoyoteOptions { Strategy = CoyoteOptions.Parse(strategy)!.Value }.ToConfiguration();
        var field = typeof(Microsoft.Coyote.Configuration).GetField("IsTelemetryEnabled", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!;
        Assert.Equal(false, field.GetValue(configuration));
    }

    [Fact]
    public void The_cli_runs_are_opted_out_and_the_tool_manifest_rolls_forward()
    {
        Assert.Contains("COYOTE_CLI_TELEMETRY_OPTOUT=1", File.ReadAllText(Repo.Path(".ci", "run")));
        Assert.Contains("COYOTE_CLI_TELEMETRY_OPTOUT=1", File.ReadAllText(Repo.Path("README.md")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Repo.Path(".config", "dotnet-tools.json")));
        var tool = manifest.RootElement.GetProperty("tools").GetProperty("microsoft.coyote.cli");
        Assert.Equal("1.7.11", tool.GetProperty("version").GetString());
        Assert.True(tool.GetProperty("rollForward").GetBoolean(), "the coyote tool targets an older .NET: rollForward lets it run on .NET 10");
    }
}
