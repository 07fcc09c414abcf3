using static TcpSpec.Generators.Tests.SpecText;

namespace TcpSpec.Generators.Tests;

/// <summary>The acceptance tests on the real table: one mistake, one error, at the mistake.</summary>
public class RealTableEditTests
{
    private const string Path = GeneratorHarness.TcpPath;

    private static GeneratorRun Run(string text) => GeneratorHarness.Run(text, Path);

    [Fact]
    public void Renaming_a_next_state_reports_TSPEC002_at_that_cell_and_nothing_else()
    {
        const string row = "| CLOSED | OPEN-PASSIVE | — | ListenPassive | LISTEN | RFC 9293 §3.10.1 CLOSED |";
        var text = Edit(GeneratorHarness.TcpSpecText, row, row.Replace("| LISTEN |", "| LISTENING |"));

        var d = Assert.Single(Run(text).Diagnostics);
        var at = Locate(text, "| ListenPassive | LISTENING |", "LISTENING");
        AssertAt(d, "TSPEC002", Path, at, text, "LISTENING");
        Assert.Equal("Unknown state 'LISTENING' (did you mean 'LISTEN'?): declare it in the States table", d.GetMessage());

        // The same place, counted independently of the helper: the row's line in the file, the next cell's column.
        var lines = text.Split('\n');
        int line = Array.FindIndex(lines, l => l.StartsWith("| CLOSED | OPEN-PASSIVE |", StringComparison.Ordinal)) + 1;
        int column = "| CLOSED | OPEN-PASSIVE | — | ListenPassive | ".Length + 1;
        Assert.Equal((line, column), at);
        Assert.StartsWith($"spec/tcp.spec.md({line},{column}): error TSPEC002: Unknown state 'LISTENING'", d.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("| AckAcceptable", "| !AckAcceptble", "AckAcceptble", "TSPEC004", "Unknown guard 'AckAcceptble' (did you mean 'AckAcceptable'?): declare it in the Guards table")]
    [InlineData("| ListenPassive |", "| ListenPasive |", "ListenPasive", "TSPEC005", "Unknown action 'ListenPasive' (did you mean 'ListenPassive'?): declare it in the Actions table")]
    [InlineData("| CLOSED | OPEN-PASSIVE |", "| CLOSED | OPEN-PASIVE |", "OPEN-PASIVE", "TSPEC003", "Unknown event 'OPEN-PASIVE' (did you mean 'OPEN-PASSIVE'?): declare it in the Events table")]
    [InlineData("| CLOSED | OPEN-PASSIVE |", "| CLOSD | OPEN-PASSIVE |", "CLOSD", "TSPEC002", "Unknown state 'CLOSD' (did you mean 'CLOSED'?): declare it in the States table")]
    public void A_typo_in_a_row_of_the_real_table_gets_a_did_you_mean(string written, string typo, string name, string id, string message)
    {
        // The first occurrence in the Transitions table (issue 15: "!AckAcceptble" → "AckAcceptable").
        var table = GeneratorHarness.TcpSpecText;
        int at = table.IndexOf(written, table.IndexOf("## Transitions", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(at > 0, written);
        var text = table.Remove(at, written.Length).Insert(at, typo);

        var d = Assert.Single(Run(text).Diagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(message, d.GetMessage());
        int offset = at + typo.IndexOf(name, StringComparison.Ordinal);
        Assert.Equal(offset, d.Location.SourceSpan.Start);
    }

    [Fact]
    public void Deleting_the_only_row_of_a_cell_reports_TSPEC009_naming_the_cell()
    {
        // CLOSE in CLOSE-WAIT has one row.
        const string row = "| CLOSE-WAIT | CLOSE | — | QueueFin, Transmit | LAST-ACK | RFC 9293 §3.10.4 CLOSE-WAIT; RFC 1122 §4.2.2.8 |\n";
        var text = Edit(GeneratorHarness.TcpSpecText, row, "");

        var d = Assert.Single(Run(text).Diagnostics);

        // A cell without rows is reported at its state's declaration.
        AssertAt(d, "TSPEC009", Path, Locate(text, "| CLOSE-WAIT | The peer has closed", "CLOSE-WAIT"), text, "CLOSE-WAIT");
        Assert.Equal("(CLOSE-WAIT, CLOSE) is undecided: add a row for it, or an explicit ignore/drop row", d.GetMessage());
    }

    [Fact]
    public void Deleting_the_only_way_into_a_state_reports_it_unreachable()
    {
        // LAST-ACK is entered by CLOSE in CLOSE-WAIT, or by a FIN in SYN-RECEIVED after a queued CLOSE.
        const string close = "| CLOSE-WAIT | CLOSE | — | QueueFin, Transmit | LAST-ACK | RFC 9293 §3.10.4 CLOSE-WAIT; RFC 1122 §4.2.2.8 |\n";
        const string fin = "| SYN-RECEIVED | FIN-ACK | CloseQueued | ProcessAck, ReceiveText, ReceiveFin, Transmit | LAST-ACK |";
        var text = Edit(GeneratorHarness.TcpSpecText, close, "| CLOSE-WAIT | CLOSE | — | ErrorClosing | same | RFC 9293 §3.10.4 (edited) |\n");
        text = Edit(text, fin, "| SYN-RECEIVED | FIN-ACK | CloseQueued | ProcessAck, ReceiveText, ReceiveFin, Transmit | CLOSE-WAIT |");

        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC010", Path, Locate(text, "| LAST-ACK | The peer closed first", "LAST-ACK"), text, "LAST-ACK");
        Assert.Equal("State 'LAST-ACK' is unreachable from the initial state 'CLOSED'", d.GetMessage());
    }

    [Fact]
    public void Deleting_the_fallback_row_of_a_guarded_cell_reports_the_missing_case()
    {
        const string row = "| ESTABLISHED | ACK | — | ProcessAck, ReceiveText, Transmit | same | RFC 9293 §3.10.7.4 fifth, seventh |\n";
        var text = Edit(GeneratorHarness.TcpSpecText, row, "");

        var d = Assert.Single(Run(text).Diagnostics);
        // Reported at the last row of the cell: the AckTooOld row, whose states start with ESTABLISHED.
        AssertAt(d, "TSPEC009", Path, Locate(text, "| AckTooOld | SendChallengeAck |", "ESTABLISHED"), text);
        Assert.Equal("(ESTABLISHED, ACK) is undecided when SeqAcceptable & !AckOfUnsent & !AckTooOld: add a row for it, or an explicit ignore/drop row", d.GetMessage());
    }

    [Fact]
    public void Swapping_two_rows_of_a_cell_reports_the_shadowed_row()
    {
        const string guarded = "| LISTEN | SEND | ForeignSpecified | BecomeActive, SelectIss, QueueData, SendSyn | SYN-SENT | RFC 9293 §3.10.2 LISTEN |\n";
        const string fallback = "| LISTEN | SEND | — | ErrorForeignUnspecified | same | RFC 9293 §3.10.2 LISTEN |\n";
        var text = Edit(GeneratorHarness.TcpSpecText, guarded + fallback, fallback + guarded);

        var d = Assert.Single(Run(text).Diagnostics);
        AssertAt(d, "TSPEC008", Path, Locate(text, "| LISTEN | SEND | ForeignSpecified |", "LISTEN"), text, "LISTEN");
        int earlier = Locate(text, "| LISTEN | SEND | — | ErrorForeignUnspecified |", "|").Line;
        Assert.Equal($"Row can never fire for (LISTEN, SEND): the earlier row(s) at line {earlier} already decide every case its guard admits", d.GetMessage());
    }
}
