namespace TcpSpec.Checker.Tests.Mutation;

/// <summary>A light switch: the small table the mutation tests edit (three rows, one guard, two actions).</summary>
internal static class SwitchTable
{
    public const string Text = """
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
}
