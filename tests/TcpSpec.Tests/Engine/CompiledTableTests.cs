using TcpSpec.Engines;
using TcpSpec.Language;
using TcpSpec.Testing;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// Both engines expose the analysed table they run, and it is one model: the generated engine's is
/// the table the generator compiled (emitted as data), equal to what the analyser makes of
/// spec/tcp.spec.md today; the interpreted engine's is that analysis itself.
/// </summary>
public class CompiledTableTests
{
    private static MachineModel Analysed() => SpecAnalyzer.Compile(Repo.SpecFile, File.ReadAllText(Repo.SpecFile));

    [Fact]
    public void The_generated_engine_exposes_the_table_it_was_compiled_from()
    {
        var analysed = Analysed();
        Assert.DoesNotContain(analysed.Diagnostics, d => d.Severity == SpecSeverity.Error);
        // The emitted table names its file, not the build machine's path, and carries no diagnostics (the build reported them).
        Assert.Equal(analysed with { Path = "tcp.spec.md", Diagnostics = EquatableArray<SpecDiagnostic>.Empty }, GeneratedEngine.Instance.Table);
        Assert.Same(TcpMachine.Table, GeneratedEngine.Instance.Table);
    }

    [Fact]
    public void The_interpreted_engine_exposes_its_analysis_and_both_engines_describe_rows_alike()
    {
        var interpreted = InterpretedEngine.Load(Repo.SpecFile, out _)!;
        Assert.Equal(Analysed(), interpreted.Table);
        Assert.Equal(GeneratedEngine.Instance.Rows, interpreted.Rows);
        Assert.Equal(GeneratedEngine.Instance.StateNames, interpreted.StateNames);
    }

    [Fact]
    public void State_roles_follow_the_RFC_names()
    {
        var t = GeneratedEngine.Instance.Table;
        string Name(int s) => t.States[s].Name;
        Assert.Equal("CLOSED", Name(t.StateWith(StateRole.Closed)));
        Assert.Equal(t.StateWith(StateRole.Closed), t.StateWith(StateRole.Initial));
        Assert.Equal("LISTEN", Name(t.StateWith(StateRole.Listening)));
        Assert.Equal("SYN-SENT", Name(t.StateWith(StateRole.SynSent)));
        Assert.Equal("SYN-RECEIVED", Name(t.StateWith(StateRole.SynReceived)));
        Assert.Equal("ESTABLISHED", Name(t.StateWith(StateRole.Established)));
        Assert.Equal("CLOSE-WAIT", Name(t.StateWith(StateRole.CloseWait)));
        Assert.Equal("FIN-WAIT-2", Name(t.StateWith(StateRole.FinWait2)));
        Assert.Equal("TIME-WAIT", Name(t.StateWith(StateRole.TimeWait)));
        // RFC 9293 §3.5.2: the synchronized states.
        Assert.Equal(
            new[] { "CLOSE-WAIT", "CLOSING", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "LAST-ACK", "TIME-WAIT" },
            Enumerable.Range(0, t.States.Count).Where(s => t.Is(s, StateRole.Synchronized)).Select(Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_state_under_another_name_has_no_role_but_the_first_is_still_initial()
    {
        Assert.Equal(StateRole.None, StateRoles.Of("LISTENING", 1));
        Assert.Equal(StateRole.Initial, StateRoles.Of("IDLE", 0));
        Assert.Equal(StateRole.Initial | StateRole.Closed, StateRoles.Of("CLOSED", 0));
        Assert.Equal(-1, GeneratedEngine.Instance.Table.StateWith(StateRole.Listening | StateRole.Synchronized));
    }
}
