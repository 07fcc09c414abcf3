using TcpSpec.Language;
using TcpSpec.Testing;

namespace TcpSpec.Conformance.Tests.Profiles;

/// <summary>
/// One broken overlay per mistake, each an edit of the Linux overlay merged into the built-in
/// table: the diagnostic's ID, and that it is reported at the overlay's own file, line and column.
/// </summary>
public class OverlayDiagnosticTests
{
    private const string OverlayPath = "spec/profiles/test.md";
    private static readonly string Linux = File.ReadAllText(Repo.Path("spec", "profiles", "linux.md")).Replace("\r\n", "\n");

    private const string RstRow = "| replace | TIME-WAIT | RST, RST-ACK | — | Drop | same | tcp_rfc1337 |";
    private const string SynRow = "| add | TIME-WAIT | SYN | PassiveOpen & !InOrder & !RstExact | ReturnToListen, AcceptSyn, SelectIss, SendSynAck | SYN-RECEIVED | time-wait-accepts-syn |";

    private static List<SpecDiagnostic> Compile(string overlay, out Profile? profile)
    {
        profile = Profile.Compile("test", OverlayPath, overlay, Profile.TablePath, BuiltIn.Table(), out var diagnostics);
        return diagnostics.ToList();
    }

    private static SpecDiagnostic Error(string overlay, string id)
    {
        var diagnostics = Compile(overlay, out var profile);
        Assert.Null(profile);
        return Assert.Single(diagnostics, d => d.Id == id);
    }

    private static string Edit(string text, string from, string to)
    {
        Assert.Contains(from, text);
        return text.Replace(from, to);
    }

    /// <summary>Asserts <paramref name="d"/> is at the overlay, on the line containing <paramref name="line"/>, at the first <paramref name="at"/> of it.</summary>
    private static void AssertAt(SpecDiagnostic d, string text, string line, string at)
    {
        var lines = text.Split('\n');
        int index = Array.FindIndex(lines, l => l.Contains(line));
        Assert.True(index >= 0, $"no line contains {line}");
        Assert.Equal(OverlayPath, d.Location.Path);
        Assert.Equal((index + 1, lines[index].IndexOf(at, lines[index].IndexOf(line)) + 1), (d.Location.Line, d.Location.Column));
        Assert.StartsWith($"{OverlayPath}({index + 1},", d.ToString());
    }

    [Fact]
    public void The_linux_overlay_is_clean_and_adds_four_rows()
    {
        Assert.Empty(Compile(Linux, out var profile));
        Assert.Equal(TcpMachine.RowCount + 4, profile!.Engine.Rows.Count); // time-wait-accepts-syn, and syn-text-dropped in LISTEN and SYN-SENT; tcp_rfc1337 replaces one
        Assert.Equal(["reset-with-ack", "probe", "tail-loss-probe"], profile.Deviations.Where(d => !d.Row).Select(d => d.Id));
        Assert.True(profile.Allows(Relaxations.ResetCarriesAck | Relaxations.Probes | Relaxations.AnyRetransmission));
    }

    [Fact]
    public void An_overlay_with_only_observer_deviations_leaves_the_table_as_it_is()
    {
        var text = string.Join("\n", Linux.Split('\n').Where(l => !l.StartsWith("| replace |") && !l.StartsWith("| add |") && !l.StartsWith("| tcp_rfc1337") && !l.StartsWith("| time-wait-accepts-syn") && !l.StartsWith("| syn-text-dropped")));
        Assert.Empty(Compile(text, out var profile));
        Assert.Equal(TcpMachine.Rows.Select(r => r.Description), profile!.Engine.Rows.Select(r => r.Description));
        Assert.Empty(profile.DeviationRows);
    }

    [Fact]
    public void TSPEC002_unknown_state()
    {
        var text = Edit(Linux, RstRow, RstRow.Replace("| TIME-WAIT |", "| TIME-WIAT |"));
        AssertAt(Error(text, "TSPEC002"), text, "| replace | TIME-WIAT", "TIME-WIAT");
    }

    [Fact]
    public void TSPEC003_unknown_event()
    {
        var text = Edit(Linux, RstRow, RstRow.Replace("RST, RST-ACK", "RST, RST-ACKK"));
        AssertAt(Error(text, "TSPEC003"), text, "| replace | TIME-WAIT", "RST-ACKK");
    }

    [Fact]
    public void TSPEC004_unknown_guard()
    {
        var text = Edit(Linux, SynRow, SynRow.Replace("!InOrder", "!InOrdr"));
        AssertAt(Error(text, "TSPEC004"), text, "| add | TIME-WAIT | SYN", "InOrdr");
    }

    [Fact]
    public void TSPEC005_unknown_action()
    {
        var text = Edit(Linux, SynRow, SynRow.Replace("SendSynAck", "SendSynAk"));
        AssertAt(Error(text, "TSPEC005"), text, "| add | TIME-WAIT | SYN", "SendSynAk");
    }

    [Fact]
    public void TSPEC018_replacing_a_row_that_does_not_exist()
    {
        var text = Edit(Linux, RstRow, RstRow.Replace("| — |", "| AckBit |"));
        var d = Error(text, "TSPEC018");
        AssertAt(d, text, "| replace | TIME-WAIT", "TIME-WAIT");
        Assert.Equal("Nothing to replace: the base table has no row for (TIME-WAIT, RST) with guard 'AckBit'", d.Message);
    }

    [Fact]
    public void TSPEC019_a_row_naming_an_undeclared_deviation_and_TSPEC021_the_deviation_it_left_unused()
    {
        var text = Edit(Linux, RstRow, RstRow.Replace("tcp_rfc1337", "tcp_rfc1338"));
        AssertAt(Error(text, "TSPEC019"), text, "| replace | TIME-WAIT", "tcp_rfc1338");
        AssertAt(Error(text, "TSPEC021"), text, "| tcp_rfc1337 |", "tcp_rfc1337");
    }

    [Fact]
    public void TSPEC009_a_cell_left_undecided_after_the_merge()
    {
        // (ESTABLISHED, TIME-WAIT-TIMEOUT) was decided by a * row; a specific row takes the cell from it, and decides only half of it.
        var row = "| add | ESTABLISHED | TIME-WAIT-TIMEOUT | FinAcked | Drop | same | tcp_rfc1337 | RFC 1337 |";
        var text = Edit(Linux, SynRow, row + "\n" + SynRow);
        var d = Error(text, "TSPEC009");
        AssertAt(d, text, row, "ESTABLISHED");
        Assert.Equal("(ESTABLISHED, TIME-WAIT-TIMEOUT) is undecided when !FinAcked: add a row for it, or an explicit ignore/drop row", d.Message);
    }

    [Fact]
    public void TSPEC008_an_overlay_row_that_can_never_fire_after_the_merge()
    {
        var row = "| add | TIME-WAIT | SYN | PassiveOpen | Drop | same | time-wait-accepts-syn | RFC 1337 |";
        var text = Edit(Linux, SynRow, row + "\n" + SynRow);
        AssertAt(Error(text, "TSPEC008"), text, SynRow, "TIME-WAIT");
    }

    [Fact]
    public void TSPEC020_overlay_rows_that_hide_a_base_row()
    {
        var rows = "| add | TIME-WAIT | ABORT | AckBit | Drop | same | tcp_rfc1337 | RFC 1337 |\n| add | TIME-WAIT | ABORT | !AckBit | Drop | same | tcp_rfc1337 | RFC 1337 |";
        var text = Edit(Linux, SynRow, rows + "\n" + SynRow);
        var d = Error(text, "TSPEC020");
        AssertAt(d, text, "| add | TIME-WAIT | ABORT | !AckBit |", "TIME-WAIT");
        Assert.Contains("hides the base table's row at spec/tcp.spec.md(", d.Message);
    }

    [Fact]
    public void TSPEC007_adding_a_row_the_base_table_has()
    {
        var row = "| add | TIME-WAIT | SYN | — | Drop | same | time-wait-accepts-syn | RFC 1337 |";
        var text = Edit(Linux, SynRow, row + "\n" + SynRow);
        var d = Error(text, "TSPEC007");
        AssertAt(d, text, row, "TIME-WAIT");
        Assert.Contains("of spec/tcp.spec.md (write replace to change it)", d.Message);
    }

    [Fact]
    public void TSPEC006_duplicate_deviation_id()
    {
        var line = Linux.Split('\n').Single(l => l.StartsWith("| probe |"));
        var text = Edit(Linux, line, line + "\n" + line.Replace("| Probes |", "| — |"));
        var d = Error(text, "TSPEC006");
        var lines = text.Split('\n');
        Assert.Equal((Array.LastIndexOf(lines, line.Replace("| Probes |", "| — |")) + 1, 3), (d.Location.Line, d.Location.Column));
        Assert.Equal(OverlayPath, d.Location.Path);
    }

    [Fact]
    public void TSPEC001_malformed_rows_table()
    {
        var text = Edit(Linux, RstRow, RstRow.Replace("| tcp_rfc1337 |", "|"));
        var d = Error(text, "TSPEC001");
        AssertAt(d, text, "| replace | TIME-WAIT | RST, RST-ACK | — | Drop | same | RFC", "|");
        Assert.Equal("Row has 7 cells; the Rows table has 8 columns", d.Message);

        text = Edit(Linux, RstRow, RstRow.Replace("| replace |", "| swap |"));
        d = Error(text, "TSPEC001");
        AssertAt(d, text, "| swap |", "swap");
        Assert.Equal("The edit 'swap' is neither 'replace' nor 'add'", d.Message);
    }

    [Fact]
    public void TSPEC014_an_overlay_without_a_deviations_table()
    {
        var text = Edit(Linux, "| deviation | observer |", "| id | observer |");
        var d = Error(text, "TSPEC014");
        Assert.Equal((OverlayPath, 1, 1), (d.Location.Path, d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void TSPEC022_unknown_observer_relaxation()
    {
        var text = Edit(Linux, "| ResetCarriesAck |", "| ResetHasAck |");
        var d = Error(text, "TSPEC022");
        AssertAt(d, text, "| reset-with-ack |", "ResetHasAck");
        Assert.Contains("ResetCarriesAck, Probes, AnyRetransmission", d.Message);
    }

    [Fact]
    public void Neither_a_built_in_profile_nor_a_file_is_a_profile_error()
    {
        var ex = Assert.Throws<ProfileException>(() => Profile.Load(Repo.Path("spec", "profiles", "no-such.md"), Profile.TablePath, BuiltIn.Table(), out _));
        Assert.Contains("unknown profile", ex.Message);
    }
}
