using TcpSpec.Checker.Mutation;
using TcpSpec.Language;

namespace TcpSpec.Checker.Tests.Mutation;

public class MutantGeneratorTests
{
    private const string Switch = """
        # A light switch

        ## States

        | state | meaning | RFC |
        |---|---|---|
        | OFF | Dark. The initial state. | Switch §1 |
        | ON | Lit. | Switch §1 |

        ## Events

        | event | meaning | RFC |
        |---|---|---|
        | FLIP | Flip the switch. | Switch §1 |

        ## Guards

        | guard | meaning | RFC |
        |---|---|---|
        | Powered | The mains are on. | Switch §2 |

        ## Actions

        | action | meaning | RFC |
        |---|---|---|
        | Light | Turn the lamp on. | Switch §1 |
        | Dark | Turn the lamp off. | Switch §1 |

        ## Transitions

        | state | event | guard | actions | next | RFC |
        |---|---|---|---|---|---|
        | OFF | FLIP | Powered | Light | ON | Switch §1 |
        | OFF | FLIP | — | — | same | Switch §2 |
        | ON | FLIP | — | Dark | OFF | Switch §1 |

        """;

    [Fact]
    public void Counts_per_operator_on_the_switch_table()
    {
        var mutants = MutantGenerator.Generate("switch.spec.md", Switch);
        Assert.Equal(3, mutants.Count(m => m.Operator == "delete-row"));
        Assert.Equal(2, mutants.Count(m => m.Operator == "change-next")); // the 'same' row has no next state to change
        Assert.Equal(Enumerable.Range(1, mutants.Count), mutants.Select(m => m.Id));
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
