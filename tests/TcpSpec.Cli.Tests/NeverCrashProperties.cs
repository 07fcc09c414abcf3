using FsCheck;
using FsCheck.Fluent;
using TcpSpec.Engines;
using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary>
/// Whatever table compiles, <c>check</c> answers with a finding or "cannot start because …",
/// never an internal error (issue 15): random one-row edits of the real table (an action left
/// out, another action put in, another next state, the guard dropped) run through every default
/// scenario at small budgets.
/// </summary>
public class NeverCrashProperties
{
    private static readonly string Table = File.ReadAllText(Repo.SpecFile);

    /// <summary>The transition rows: lines of the Transitions section with six cells, the last an RFC reference.</summary>
    private static readonly string[] Rows = Table.Split('\n')
        .SkipWhile(l => !l.StartsWith("## Transitions", StringComparison.Ordinal))
        .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && Cells(l).Length == 6 && Cells(l)[5].StartsWith("RFC", StringComparison.Ordinal))
        .ToArray();

    private static readonly string[] Actions = Rows.SelectMany(r => Cells(r)[3].Split(',', StringSplitOptions.TrimEntries)).Where(a => a != "—").Distinct().Order().ToArray();

    private static readonly string[] Nexts = Rows.Select(r => Cells(r)[4]).Distinct().Order().ToArray();

    private static string[] Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();

    /// <summary>One edit of one row: (row index, kind, choice).</summary>
    public sealed record Edit(int Row, int Kind, int Choice)
    {
        public string Apply(string text)
        {
            string row = Rows[Row % Rows.Length];
            var c = Cells(row);
            var actions = c[3].Split(',', StringSplitOptions.TrimEntries).ToList();
            switch (Kind % 4)
            {
                case 0 when actions.Count > 1: actions.RemoveAt(Choice % actions.Count); break;
                case 0: actions = ["Drop"]; break;
                case 1: actions.Insert(Choice % (actions.Count + 1), Actions[Choice % Actions.Length]); break;
                case 2: c[4] = Nexts[Choice % Nexts.Length]; break;
                default: c[2] = "—"; break;
            }
            c[3] = string.Join(", ", actions.Where(a => a != "—").DefaultIfEmpty("—"));
            return text.Replace(row, "| " + string.Join(" | ", c) + " |", StringComparison.Ordinal);
        }

        public override string ToString() => $"{Rows[Row % Rows.Length]} edited by kind {Kind % 4}, choice {Choice}: {Apply(Rows[Row % Rows.Length])}";
    }

    private static readonly Arbitrary<Edit> Edits =
        (from row in Gen.Choose(0, Rows.Length - 1)
         from kind in Gen.Choose(0, 3)
         from choice in Gen.Choose(0, 1000)
         select new Edit(row, kind, choice)).ToArbitrary();

    [Fact]
    public void The_edits_are_of_transition_rows() => Assert.True(Rows.Length > 50, $"found only {Rows.Length} transition rows");

    [Fact]
    public void Removing_SendSynAck_from_LISTEN_SYN_is_a_scenario_that_cannot_start_not_a_crash()
    {
        using var dir = new TempDir();
        var path = CannotStartTable.WriteTo(dir);

        var r = CliRunner.Run("check", "--spec", path, "-s", "simultaneous-close", "--out", dir.Out);

        Assert.Equal(Cli.Finding, r.Exit);
        Assert.DoesNotContain("internal error", r.Err, StringComparison.Ordinal);
        Assert.Contains("cannot start", r.Out, StringComparison.Ordinal);
        Assert.Contains("host B in LISTEN on SYN sends no segment", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_compiling_one_row_edit_never_makes_check_exit_3() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(12).WithStartSize(1000), Prop.ForAll(Edits, edit =>
        {
            var text = edit.Apply(Table);
            using var dir = new TempDir();
            var path = dir.File("tcp.spec.md");
            File.WriteAllText(path, text);
            if (InterpretedEngine.Load(path, out _) is null) return; // only tables that compile

            var r = CliRunner.Run("check", "--spec", path, "--loss", "1", "--dup", "0", "--data", "1", "--max-states", "1500", "--workers", "1", "--out", dir.Out);

            Assert.True(r.Exit is Cli.Ok or Cli.Finding, $"exit {r.Exit} for {edit}\n{r.Err}");
            Assert.DoesNotContain("internal error", r.Err, StringComparison.Ordinal);
        }));
}
