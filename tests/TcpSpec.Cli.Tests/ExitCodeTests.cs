using System.Text.Json;
using TcpSpec.Testing;
using static TcpSpec.Cli.Tests.CliRunner;

namespace TcpSpec.Cli.Tests;

/// <summary>One set of exit codes for every command (issue 15): a bad --spec is 2 everywhere, directories are inputs or clear errors, nothing reaches exit 3.</summary>
public class ExitCodeTests
{
    private static readonly string Scripts = Repo.Path("tests", "TcpSpec.Conformance.Tests", "Scripts");
    private static readonly string Captures = Repo.Path("tests", "TcpSpec.Conformance.Tests", "Fixtures", "linux");

    private static string[] With(string command, TempDir dir) => command switch
    {
        "check" => ["check", "-s", "abort", "--out", dir.Out],
        "check-list" => ["check", "--list"],
        "check-list-json" => ["check", "--list", "--json"],
        "mutate" => ["mutate", "--rows", "1", "-s", "abort", "--workers", "1"],
        "table" => ["table"],
        "table-sarif" => ["table", "--format", "sarif"],
        "pkt" => ["pkt", Path.Combine(Scripts, "listen")],
        "conform" => ["conform", Path.Combine(Captures, "close-client-first.pcap")],
        "replay" => ["replay", ReplayFileOf(dir)],
        _ => throw new ArgumentException(command),
    };

    /// <summary>A replay file written by hand (replay reads it before it loads the table).</summary>
    private static string ReplayFileOf(TempDir dir, int loss = 0, string suffix = ".replay.json")
    {
        var path = dir.File("x" + suffix);
        File.WriteAllText(path, $$"""{"format":1,"scenario":"lost-final-ack","budgets":{"loss":{{loss}},"dup":0,"crash":0,"data":1,"maxInFlight":4},"property":"both-closed","message":"m","moves":[]}""");
        return path;
    }

    [Theory]
    [InlineData("check")]
    [InlineData("check-list")]
    [InlineData("check-list-json")]
    [InlineData("mutate")]
    [InlineData("table")]
    [InlineData("table-sarif")]
    [InlineData("pkt")]
    [InlineData("conform")]
    [InlineData("replay")]
    public void A_table_that_does_not_compile_is_exit_2_in_every_command(string command)
    {
        using var dir = new TempDir();
        var (spec, line, column) = TypoTable.WriteTo(dir);
        var r = Run([.. With(command, dir), "--spec", spec]);
        Assert.Equal(Cli.Usage, r.Exit);
        if (command != "table-sarif") Assert.Contains($"({line},{column}): error TSPEC004: Unknown guard 'AckAcceptble' (did you mean 'AckAcceptable'?)", r.Err);
        Assert.DoesNotContain("internal error", r.Err);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("check-list")]
    [InlineData("check-list-json")]
    [InlineData("mutate")]
    [InlineData("table")]
    [InlineData("pkt")]
    [InlineData("conform")]
    [InlineData("replay")]
    public void A_missing_table_file_is_exit_2_in_every_command(string command)
    {
        using var dir = new TempDir();
        var r = Run([.. With(command, dir), "--spec", dir.File("nope.spec.md")]);
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains("no such table file", r.Err);
    }

    [Fact]
    public void Help_lists_the_interrupted_exit_code()
    {
        var r = Run("check", "--help");
        Assert.Contains("130 interrupted", r.Out);
        Assert.Contains("a --spec table or --profile that does not compile included", r.Out);
    }

    [Fact]
    public void A_negative_budget_in_the_replay_file_of_a_coyote_trace_is_refused_not_a_crash()
    {
        using var dir = new TempDir();
        ReplayFileOf(dir, loss: -1);
        var trace = dir.File("x.coyote.trace");
        File.WriteAllText(trace, "{}");
        var r = Run("replay", trace);
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains("x.replay.json: budgets.loss must be between 0 and 255, not -1", r.Err);
    }

    [Fact]
    public void Docs_out_that_is_a_file_is_refused_before_anything_is_written()
    {
        using var dir = new TempDir();
        var file = dir.File("plain");
        File.WriteAllText(file, "x");
        var r = Run("docs", "--out", file);
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains("is a file, not a directory: the docs go there", r.Err);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void Conform_takes_a_directory_as_every_capture_under_it_in_path_order()
    {
        using var dir = new TempDir();
        var sub = Directory.CreateDirectory(dir.File("b")).FullName;
        File.Copy(Path.Combine(Captures, "close-client-first.pcap"), Path.Combine(sub, "z.pcap"));
        File.Copy(Path.Combine(Captures, "close-server-first.pcap"), dir.File("a.pcap"));
        File.WriteAllText(dir.File("notes.txt"), "not a capture");
        var r = Run("conform", dir.Root, "--json");
        Assert.Equal(Run("conform", dir.File("a.pcap"), Path.Combine(sub, "z.pcap")).Exit, r.Exit);
        using var doc = JsonDocument.Parse(r.Out);
        var files = doc.RootElement.GetProperty("captures").EnumerateArray().Select(c => Path.GetFileName(c.GetProperty("file").GetString())).ToList();
        Assert.Equal(["a.pcap", "z.pcap"], files);
    }

    [Theory]
    [InlineData("conform", "capture")]
    [InlineData("pkt", "script")]
    public void A_directory_with_nothing_to_read_is_refused_naming_it(string command, string what)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("notes.txt"), "x");
        var r = Run(command, dir.Root);
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains($"is a directory with no {what} in it", r.Err);
    }

    [Fact]
    public void Replay_of_a_directory_says_it_takes_one_file()
    {
        using var dir = new TempDir();
        var r = Run("replay", dir.Root);
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains("is a directory: replay takes one .replay.json file", r.Err);
    }
}
