using TcpSpec.Checker.Mutation;
using TcpSpec.Language;

namespace TcpSpec.Checker.Tests.Mutation;

public class MutantGeneratorTests
{
    private const string Switch = SwitchTable.Text;

    [Fact]
    public void Counts_per_operator_on_the_switch_table()
    {
        var mutants = MutantGenerator.Generate("switch.spec.md", Switch);
        Assert.Equal(3, mutants.Count(m => m.Operator == "delete-row"));
        Assert.Equal(2, mutants.Count(m => m.Operator == "change-next")); // the 'same' row has no next state to change
        Assert.Equal(Enumerable.Range(1, mutants.Count), mutants.Select(m => m.Id));
    }

    [Fact]
    public void Counts_of_every_operator_on_the_switch_table()
    {
        var mutants = MutantGenerator.Generate("switch.spec.md", Switch);
        var counts = MutantGenerator.Operators.ToDictionary(op => op, op => mutants.Count(m => m.Operator == op));
        Assert.Equal(1, counts["remove-term"]);    // 'Powered' of the first row; '—' has no term
        Assert.Equal(1, counts["negate-term"]);
        Assert.Equal(2, counts["remove-action"]);  // Light, Dark
        Assert.Equal(0, counts["replace-action"]); // Light and Dark have no kind
        Assert.Equal(2, counts["change-next"]);
        Assert.Equal(3, counts["delete-row"]);
        Assert.Equal(1, counts["move-row"]);       // the second OFF × FLIP row above the first; ON × FLIP has one row
        Assert.Equal(10, mutants.Count);
    }

    [Fact]
    public void Replace_action_swaps_actions_of_one_kind_only()
    {
        var signals = Switch.Replace("Light", "SignalLit").Replace("Dark |", "SignalDark |");
        var mutants = MutantGenerator.Generate("switch.spec.md", signals, ["replace-action"]);
        Assert.Equal(["replace action 'SignalLit' by 'SignalDark' in OFF × FLIP", "replace action 'SignalDark' by 'SignalLit' in ON × FLIP"], mutants.Select(m => m.Description));
        Assert.Contains("| OFF | FLIP | Powered | SignalDark | ON |", mutants[0].Apply(signals));
        Assert.Equal("segment", ActionKinds.Of("SendSynAck"));
        Assert.Equal("segment", ActionKinds.Of("ReplyReset"));
        Assert.Equal("signal", ActionKinds.Of("SignalReset"));
        Assert.Equal("error", ActionKinds.Of("ErrorClosing"));
        Assert.Null(ActionKinds.Of("DeleteTcb"));
    }

    [Fact]
    public void Guard_mutants_point_at_their_term_and_rewrite_the_guard_cell()
    {
        var lines = Switch.Split('\n');
        int index = Array.FindIndex(lines, l => l.Contains("| Powered | Light | ON |"));
        var remove = MutantGenerator.Generate("switch.spec.md", Switch, ["remove-term"]).Single();
        var negate = MutantGenerator.Generate("switch.spec.md", Switch, ["negate-term"]).Single();
        Assert.Equal((index + 1, lines[index].IndexOf("Powered", StringComparison.Ordinal) + 1), (remove.Where.Line, remove.Where.Column));
        Assert.Equal(remove.Where, negate.Where);
        Assert.Equal("| OFF | FLIP | — | Light | ON | Switch §1 |", remove.Apply(Switch).Split('\n')[index].TrimEnd('\r'));
        Assert.Equal("| OFF | FLIP | !Powered | Light | ON | Switch §1 |", negate.Apply(Switch).Split('\n')[index].TrimEnd('\r'));
        Assert.Equal("switch.spec.md(" + (index + 1) + "," + remove.Where.Column + "): remove guard term 'Powered' from OFF × FLIP", remove.ToString());
    }

    [Fact]
    public void Move_row_puts_the_row_above_the_one_tried_before_it()
    {
        var m = MutantGenerator.Generate("switch.spec.md", Switch, ["move-row"]).Single();
        var lines = m.Apply(Switch).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int moved = lines.IndexOf("| OFF | FLIP | — | — | same | Switch §2 |");
        Assert.Equal("| OFF | FLIP | Powered | Light | ON | Switch §1 |", lines[moved + 1]);
        Assert.Equal(Switch.Length, m.Apply(Switch).Length);
    }

    [Fact]
    public void Change_next_edits_the_next_cell_of_its_row()
    {
        var m = MutantGenerator.Generate("switch.spec.md", Switch, ["change-next"])[0];
        int rowLine = Switch.Split('\n').ToList().FindIndex(l => l.Contains("| Powered | Light | ON |")) + 1;
        Assert.Equal(rowLine, m.Where.Line);
        var mutated = m.Apply(Switch).Split('\n')[rowLine - 1];
        Assert.Equal("| OFF | FLIP | Powered | Light | OFF | Switch §1 |", mutated.TrimEnd('\r'));
    }

    [Fact]
    public void Delete_row_removes_exactly_one_row()
    {
        var m = MutantGenerator.Generate("switch.spec.md", Switch, ["delete-row"])[2];
        var doc = SpecParser.Parse("switch.spec.md", m.Apply(Switch));
        Assert.Equal(2, doc.Rows.Count());
        Assert.DoesNotContain(doc.Rows, r => r.States.Any(s => s.Name == "ON"));
    }

    [Fact]
    public void Every_mutant_parses()
    {
        foreach (var m in MutantGenerator.Generate("switch.spec.md", Switch))
        {
            var doc = SpecParser.Parse("switch.spec.md", m.Apply(Switch));
            Assert.DoesNotContain(doc.Diagnostics, d => d.Severity == SpecSeverity.Error);
        }
    }
}
