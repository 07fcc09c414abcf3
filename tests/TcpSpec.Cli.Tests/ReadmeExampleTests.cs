using System.Diagnostics;
using System.Text.RegularExpressions;
using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary>
/// Every example output in the README is what the command prints today (issue 15: the README's
/// `pkt` sample cited a table line the tool no longer printed). Each example runs as a user runs
/// it: the built `tcpspec` in its own process, from the repository root, stdout piped.
/// <c>TCPSPEC_APPROVE=1</c> rewrites the README's output blocks instead.
/// </summary>
public class ReadmeExampleTests
{
    private static string ReadmePath => Repo.Path("README.md");

    private static string[] ReadmeLines() => File.ReadAllText(ReadmePath).Replace("\r\n", "\n").Split('\n');

    public static TheoryData<int, string> Examples()
    {
        var data = new TheoryData<int, string>();
        var examples = ReadmeExample.All(ReadmeLines());
        for (int i = 0; i < examples.Count; i++) data.Add(i, examples[i].ToString());
        return data;
    }

    [Fact]
    public void The_readme_has_example_outputs_of_conform_and_pkt()
    {
        var commands = ReadmeExample.All(ReadmeLines()).Select(e => e.Args[0]).ToHashSet();
        Assert.Contains("conform", commands);
        Assert.Contains("pkt", commands);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void The_example_output_is_what_the_command_prints(int index, string example)
    {
        var readme = ReadmeLines();
        var e = ReadmeExample.All(readme)[index];
        // The name carries the README line, which an approval of an earlier block may move.
        Assert.EndsWith(": tcpspec " + string.Join(' ', e.Args), example);
        var (exit, stdout) = RunTool(e.Args);
        string actual = string.Join('\n', stdout.Replace("\r\n", "\n").TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()));
        string expected = string.Join('\n', e.Expected.Split('\n').Select(l => l.TrimEnd()));
        if (Environment.GetEnvironmentVariable(Approvals.ApproveVariable) is "1" or "true")
        {
            if (actual != expected || exit != e.ExpectedExit)
                File.WriteAllText(ReadmePath, string.Join('\n', e.Approve(readme, actual, exit)));
            return;
        }
        Assert.True(actual == expected,
            $"{example}: the README shows\n{expected}\n--- but the command prints ---\n{actual}\n" +
            $"If the change is right, run the tests with {Approvals.ApproveVariable}=1 to rewrite the README's block.");
        Assert.True(exit == e.ExpectedExit, $"{example}: the README says exit {e.ExpectedExit}, the command exits {exit}");
    }

    [Fact]
    public void The_default_check_totals_in_the_readme_are_what_check_prints()
    {
        using var dir = new TempDir();
        var (exit, stdout) = RunTool(["check", "--out", dir.Out]);
        Assert.Equal(0, exit);
        var printed = Regex.Match(stdout, @"([\d,]+) distinct states in");
        Assert.True(printed.Success, "check no longer prints its total of distinct states:\n" + stdout);
        int scenarios = TcpSpec.Checker.Scenarios.ScenarioCatalog.All.Count;
        var claim = Regex.Match(File.ReadAllText(ReadmePath), @"default scenario exhaustively \((\d+) scenarios, ([\d,]+) distinct states");
        Assert.True(claim.Success, "README no longer states the default check's totals where it did");
        Assert.Equal($"{scenarios} scenarios, {printed.Groups[1].Value} distinct states",
            $"{claim.Groups[1].Value} scenarios, {claim.Groups[2].Value} distinct states");
    }

    [Fact]
    public void The_readme_counts_our_packetdrill_scripts_right()
    {
        int scripts = Directory.GetFiles(Repo.Path("tests", "TcpSpec.Conformance.Tests", "Scripts"), "*.pkt", SearchOption.AllDirectories).Length;
        Assert.Contains($"# our {scripts} scripts: all pass", File.ReadAllText(ReadmePath));
    }

    /// <summary>The built tool (its dll is copied beside the tests) in a process of its own.</summary>
    private static (int Exit, string Stdout) RunTool(string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tcpspec.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["COYOTE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment.Remove("COLUMNS");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000)) { process.Kill(true); Assert.Fail($"tcpspec {string.Join(' ', args)} did not end in 2 minutes"); }
        _ = stderr.Result;
        return (process.ExitCode, stdout);
    }
}
