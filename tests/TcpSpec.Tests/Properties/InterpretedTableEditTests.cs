using TcpSpec.Engines;
using TcpSpec.Language;
using TcpSpec.Tests.Properties.Model;
using TcpSpec.Testing;

namespace TcpSpec.Tests.Properties;

/// <summary>
/// The interpreted engine runs edited copies of the real table: it refuses a guard the runtime
/// does not implement (TSPEC017) and runs a table whose rows were merely reordered across cells
/// exactly as the generated engine runs the original.
/// </summary>
public class InterpretedTableEditTests
{
    private const string ForeignGuardDeclaration = "| ForeignSpecified | The passive OPEN named the foreign socket. | RFC 9293 §3.10.2 |";
    private const string ForeignGuardRow = "| LISTEN | SEND | ForeignSpecified |";
    private const string OpenPassiveRow = "| CLOSED | OPEN-PASSIVE | — | ListenPassive | LISTEN | RFC 9293 §3.10.1 CLOSED |";
    private const string OpenActiveRow = "| CLOSED | OPEN-ACTIVE | — | SelectIss, SendSyn | SYN-SENT | RFC 9293 §3.10.1 CLOSED |";

    private static string RealTable() => File.ReadAllText(Repo.SpecFile).Replace("\r\n", "\n");

    private static string ReplaceOnce(string text, string from, string to)
    {
        int i = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(i >= 0, $"the real table no longer contains: {from}");
        Assert.Equal(-1, text.IndexOf(from, i + from.Length, StringComparison.Ordinal));
        return text[..i] + to + text[(i + from.Length)..];
    }

    private static int LineOf(string text, string line) =>
        text.Split('\n').Select((l, i) => (l, i)).Single(x => x.l == line).i + 1;

    [Fact]
    public void A_table_using_a_guard_the_runtime_lacks_is_rejected_with_TSPEC017()
    {
        var edited = ReplaceOnce(RealTable(), ForeignGuardDeclaration,
            ForeignGuardDeclaration + "\n| NoSuchGuard | A guard the runtime does not implement. | RFC 9293 §3.10.2 |");
        edited = ReplaceOnce(edited, ForeignGuardRow, "| LISTEN | SEND | NoSuchGuard |");

        var engine = InterpretedEngine.FromText("edited.spec.md", edited, out var diagnostics);

        Assert.Null(engine);
        var error = Assert.Single(diagnostics, d => d.Severity == SpecSeverity.Error);
        Assert.Equal("TSPEC017", error.Id);
        Assert.Contains("'NoSuchGuard'", error.Message);
        Assert.Equal("edited.spec.md", error.Location.Path);
        Assert.Equal(LineOf(edited, "| NoSuchGuard | A guard the runtime does not implement. | RFC 9293 §3.10.2 |"), error.Location.Line);
    }

    [Fact]
    public void The_unedited_table_text_is_accepted()
    {
        var engine = InterpretedEngine.FromText("copy.spec.md", RealTable(), out var diagnostics);
        Assert.NotNull(engine);
        Assert.DoesNotContain(diagnostics, d => d.Severity == SpecSeverity.Error);
    }

    [Fact]
    public void A_table_with_two_rows_of_different_cells_swapped_is_accepted_and_decides_alike()
    {
        var table = RealTable();
        var swapped = ReplaceOnce(table, OpenPassiveRow + "\n" + OpenActiveRow, OpenActiveRow + "\n" + OpenPassiveRow);

        var engine = InterpretedEngine.FromText("swapped.spec.md", swapped, out var diagnostics);

        Assert.NotNull(engine);
        Assert.DoesNotContain(diagnostics, d => d.Severity == SpecSeverity.Error);
        Assert.Equal(TcpMachine.RowCount, engine.Rows.Count);
        Assert.Equal("OPEN-ACTIVE", engine.Rows[0].Events); // ids follow the new order
        Assert.Equal("OPEN-PASSIVE", engine.Rows[1].Events);

        // Every event from every start: the same outcome, by the same row (matched by its text, not its id).
        var generated = new TcpRuntime(TestEngines.Generated);
        var edited = new TcpRuntime(engine);
        int compared = 0;
        foreach (var start in StartStates.All)
        {
            foreach (var ev in Enum.GetValues<TcpEvent>())
            {
                var seg = new Protocol.Segment(start.Endpoint.RcvNxt, start.Endpoint.SndNxt, FlagsOf(ev), 8192, 0);
                var g = start.Endpoint;
                var e = start.Endpoint;
                int rg = generated.Step(ref g, ev, seg, 1);
                int re = edited.Step(ref e, ev, seg, 1);
                Assert.Equal(TcpMachine.Rows[rg - 1].Description, engine.Rows[re - 1].Description);
                Assert.Equal(g, e);
                Assert.Equal(generated.Effects.Segments.ToArray(), edited.Effects.Segments.ToArray());
                Assert.Equal(generated.Effects.Notices.ToArray(), edited.Effects.Notices.ToArray());
                Assert.Equal(generated.Effects.TimerCommands.ToArray(), edited.Effects.TimerCommands.ToArray());
                compared++;
            }
        }
        Assert.Equal(StartStates.All.Count * Enum.GetValues<TcpEvent>().Length, compared);
    }

    private static Protocol.TcpFlags FlagsOf(TcpEvent ev) => ev switch
    {
        TcpEvent.Syn => Protocol.TcpFlags.Syn,
        TcpEvent.SynAck => Protocol.TcpFlags.Syn | Protocol.TcpFlags.Ack,
        TcpEvent.SynFin => Protocol.TcpFlags.Syn | Protocol.TcpFlags.Fin,
        TcpEvent.Ack => Protocol.TcpFlags.Ack,
        TcpEvent.Fin => Protocol.TcpFlags.Fin,
        TcpEvent.FinAck => Protocol.TcpFlags.Fin | Protocol.TcpFlags.Ack,
        TcpEvent.Rst => Protocol.TcpFlags.Rst,
        TcpEvent.RstAck => Protocol.TcpFlags.Rst | Protocol.TcpFlags.Ack,
        _ => Protocol.TcpFlags.None,
    };
}
