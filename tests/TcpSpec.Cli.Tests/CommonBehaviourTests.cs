using static TcpSpec.Cli.Tests.CliRunner;

namespace TcpSpec.Cli.Tests;

/// <summary>What every command does alike: unknown options, help, exit codes.</summary>
public class CommonBehaviourTests
{
    [Theory]
    [InlineData("conform", "--bogus", "x.pcap")]
    [InlineData("pkt", "--bogus", "x.pkt")]
    [InlineData("check", "--bogus")]
    [InlineData("table", "--bogus")]
    [InlineData("replay", "--bogus", "x.replay")]
    [InlineData("docs", "--bogus")]
    public void An_unknown_option_is_an_error_never_a_file_name(params string[] args)
    {
        var r = Run(args);
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains($"tcpspec: unknown option '--bogus' for '{args[0]}'", r.Err);
        Assert.DoesNotContain("no such file", r.Err);
        Assert.Contains($"Run 'tcpspec {args[0]} --help' for usage.", r.Err);
    }

    [Fact]
    public void A_misspelt_option_gets_a_suggestion_and_one_message()
    {
        var r = Run("check", "--lose", "3");
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Equal("tcpspec: unknown option '--lose' for 'check' (did you mean '--loss'?)", r.Err.Split('\n')[0].TrimEnd());
        Assert.DoesNotContain("Unrecognized", r.Err);
    }

    [Fact]
    public void An_unknown_or_missing_command_is_one_message_naming_the_commands()
    {
        var r = Run("chek", "-s", "abort");
        Assert.Equal(Cli.Usage, r.Exit);
        var lines = r.Err.TrimEnd().Split('\n');
        Assert.Equal("tcpspec: unknown command 'chek' (did you mean 'check'?); the commands are check, replay, docs, conform, pkt, table, mutate", lines[0].TrimEnd());
        Assert.Equal("Run 'tcpspec --help' for usage.", lines[^1].TrimEnd());
        Assert.Equal(2, lines.Length);

        r = Run();
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.StartsWith("tcpspec: give a command: check, replay, docs, conform, pkt, table, mutate", r.Err);
        Assert.DoesNotContain("Required command", r.Err);
    }

    [Theory]
    [InlineData("check", "--loss", "x", "--loss expects a whole number, not 'x'")]
    [InlineData("check", "--workers", "two", "--workers expects a whole number, not 'two'")]
    [InlineData("check", "--calls", "1.5", "--calls expects a whole number, not '1.5'")]
    [InlineData("mutate", "--seed", "s", "--seed expects a whole number, not 's'")]
    public void A_value_of_the_wrong_form_is_named_in_the_users_words_not_dotnets(string command, string option, string value, string expected)
    {
        var r = Run(command, option, value);
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Equal($"tcpspec: {expected}", r.Err.Split('\n')[0].TrimEnd());
        Assert.DoesNotContain("System.", r.Err);
    }

    [Fact]
    public void A_negative_number_is_a_value_not_an_option()
    {
        var r = Run("check", "--loss", "-3");
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains("--loss must be 0 or more, not -3", r.Err);
        Assert.DoesNotContain("unknown option", r.Err);
    }

    [Theory]
    [InlineData]
    [InlineData("check")]
    [InlineData("conform")]
    [InlineData("pkt")]
    [InlineData("table")]
    [InlineData("replay")]
    [InlineData("docs")]
    [InlineData("mutate")]
    public void Help_lists_the_exit_codes(params string[] command)
    {
        var r = Run([.. command, "--help"]);
        Assert.Equal(Cli.Ok, r.Exit);
        Assert.Contains("Exit codes: 0 success; 1 a finding", r.Out);
        Assert.Contains("2 bad arguments or unreadable input", r.Out);
        Assert.Contains("3 an internal error", r.Out);
    }

    [Theory]
    [InlineData]
    [InlineData("check")]
    public void Help_lists_the_exit_codes_once_not_once_per_command(params string[] command)
    {
        var r = Run([.. command, "--help"]);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(r.Out, "Exit codes: "));
    }

    [Fact]
    public void A_choice_not_offered_names_the_choices_in_one_line()
    {
        var r = Run("table", "--format", "xml");
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Equal("tcpspec: 'xml' is not one of: text, sarif", r.Err.Split('\n')[0].TrimEnd());
    }

    [Fact]
    public void A_misspelt_scenario_gets_a_did_you_mean()
    {
        var r = Run("check", "-s", "client-close-first");
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains("unknown scenario 'client-close-first' (did you mean 'client-closes-first'?)", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutate_spec_that_is_a_directory_says_so()
    {
        using var dir = new TempDir();
        var r = Run("mutate", "--spec", dir.Root, "--rows", "1");
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains("is a directory, not a table file", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check", "--loss", "99999999999", "--loss expects a whole number up to 2147483647, not '99999999999'")]
    [InlineData("mutate", "--max-states", "99999999999999999999", "--max-states expects a whole number up to 9223372036854775807, not '99999999999999999999'")]
    public void A_whole_number_too_large_for_its_option_is_named_with_its_limit(string command, string option, string value, string expected)
    {
        var r = Run(command, option, value);
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains(expected, r.Err, StringComparison.Ordinal);
    }
}

/// <summary><c>check --out</c> that cannot be written is refused before the search, so no finding is lost after it.</summary>
public class CheckOutTests
{
    [Fact]
    public void Out_that_is_a_file_is_refused_before_the_search()
    {
        using var dir = new TempDir();
        var file = dir.File("not-a-dir");
        File.WriteAllText(file, "x");
        var r = Run("check", "-s", "lost-final-ack", "--out", file);
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains("is a file, not a directory", r.Err);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void Out_below_a_file_is_refused_before_the_search()
    {
        using var dir = new TempDir();
        var file = dir.File("plain");
        File.WriteAllText(file, "x");
        var r = Run("check", "-s", "lost-final-ack", "--out", Path.Combine(file, "sub"));
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains("cannot be written", r.Err);
        Assert.Contains("nothing was checked", r.Err);
        Assert.Equal("", r.Out);
    }

    [Theory]
    [InlineData("--pct-depth must be 0 or more, not -3", "check", "-s", "abort", "--strategy", "pct", "--pct-depth", "-3")]
    [InlineData("-s names no scenario", "check", "-s", "")]
    [InlineData("-s names no scenario", "check", "-s", " , ")]
    public void An_invalid_value_is_refused_not_clamped_or_ignored(string message, params string[] args)
    {
        using var dir = new TempDir();
        var r = Run([.. args, "--out", dir.Out]);
        Assert.Equal(Cli.Usage, r.Exit);
        Assert.Contains(message, r.Err, StringComparison.Ordinal);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void Crash_on_a_scenario_that_lets_no_host_crash_says_so()
    {
        using var dir = new TempDir();
        var r = Run("check", "-s", "lost-final-ack", "--crash", "1", "--out", dir.Out);
        Assert.Equal(Cli.Ok, r.Exit);
        Assert.Contains("scenario lost-final-ack lets no host crash, so --crash 1 does not apply to it", r.Err, StringComparison.Ordinal);
        // What ran is what the summary and the JSON say: no crash budget.
        Assert.Matches(@"lost-final-ack\s+\d+/\d+/0/\d+/\d+", r.Out);
        var json = System.Text.Json.JsonDocument.Parse(Run("check", "-s", "lost-final-ack", "--crash", "1", "--out", dir.Out, "--json").Out).RootElement;
        Assert.Equal(0, json.GetProperty("scenarios")[0].GetProperty("budgets").GetProperty("crash").GetInt32());
    }

    [Fact]
    public void Crash_on_a_scenario_that_lets_a_host_crash_is_its_budget()
    {
        using var dir = new TempDir();
        var json = System.Text.Json.JsonDocument.Parse(Run("check", "-s", "peer-crash", "--crash", "2", "--loss", "0", "--dup", "0", "--out", dir.Out, "--json").Out).RootElement;
        Assert.Equal(2, json.GetProperty("scenarios")[0].GetProperty("budgets").GetProperty("crash").GetInt32());
    }
}
