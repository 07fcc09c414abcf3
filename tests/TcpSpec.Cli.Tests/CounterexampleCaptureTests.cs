using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using TcpSpec.Conformance.Pcap;
using TcpSpec.Protocol;
using TcpSpec.Testing;

namespace TcpSpec.Cli.Tests;

/// <summary>
/// Counterexample captures are pcapng with a comment on every packet (who sent it by which row,
/// what the network did with it), from the connection's first segment; our own reader reads
/// them back, and so does tcpdump where it is installed.
/// </summary>
public class CounterexampleCaptureTests
{
    private static readonly string NeverRetransmitFin = Repo.Path("spec", "broken", "03-never-retransmit-fin.spec.md");

    /// <summary>The opt_comment of every Enhanced Packet Block, read straight from the blocks (little-endian, as we write).</summary>
    private static List<string> Comments(byte[] file)
    {
        var comments = new List<string>();
        for (int at = 0; at + 12 <= file.Length;)
        {
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at));
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 4));
            Assert.Equal((uint)length, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + length - 4))); // the trailing length matches
            if (type == 6)
            {
                int captured = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 20));
                int opt = at + 28 + (captured + 3) / 4 * 4;
                string? comment = null;
                while (opt < at + length - 4)
                {
                    ushort code = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(opt));
                    ushort len = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(opt + 2));
                    if (code == 0) break;
                    if (code == 1) comment = Encoding.UTF8.GetString(file, opt + 4, len);
                    opt += 4 + (len + 3) / 4 * 4;
                }
                comments.Add(comment ?? "");
            }
            at += length;
        }
        return comments;
    }

    [Fact]
    public void A_capture_of_a_scenario_that_starts_established_begins_with_the_handshake_and_says_what_the_network_did()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "--spec", NeverRetransmitFin, "-s", "lost-final-ack", "--out", dir.Out);
        Assert.Equal(Cli.Finding, r.Exit);
        var pcapng = Assert.Single(Directory.GetFiles(dir.Out, "*.pcapng"));

        var capture = CaptureReader.ReadFile(pcapng);
        Assert.StartsWith("pcapng", capture.Format, StringComparison.Ordinal);
        Assert.Null(capture.CutShort);
        var flags = capture.Segments.Select(s => s.Seg.Flags).ToList();
        Assert.Equal([TcpFlags.Syn, TcpFlags.Syn | TcpFlags.Ack, TcpFlags.Ack], flags.Take(3));

        var comments = Comments(File.ReadAllBytes(pcapng));
        Assert.Equal(capture.Segments.Count, comments.Count);
        Assert.All(comments, c => Assert.Matches(@"^(A→B|B→A) ", c));
        Assert.StartsWith("A→B sent by A before the run (the handshake), row R", comments[0], StringComparison.Ordinal);
        Assert.EndsWith("; delivered", comments[0], StringComparison.Ordinal);
        Assert.Contains(comments, c => c.Contains("; LOST at move ", StringComparison.Ordinal)); // the scenario loses a segment
        Assert.All(comments.Skip(3), c => Assert.Matches(@"sent by [AB] at move \d+ \(.+\), row R\d+ at line \d+: |DUPLICATE of #\d+", c));
    }

    [Fact]
    public void A_duplicated_segment_is_a_packet_of_its_own_naming_the_original()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("check", "--spec", NeverRetransmitFin, "-s", "lost-final-ack", "--loss", "1", "--dup", "1", "--out", dir.Out);
        Assert.Equal(Cli.Finding, r.Exit);
        foreach (var file in Directory.GetFiles(dir.Out, "*.pcapng"))
        {
            var comments = Comments(File.ReadAllBytes(file));
            foreach (var c in comments.Where(c => c.Contains("DUPLICATE of #", StringComparison.Ordinal)))
            {
                int of = int.Parse(System.Text.RegularExpressions.Regex.Match(c, @"DUPLICATE of #(\d+)").Groups[1].Value);
                Assert.InRange(of, 1, comments.IndexOf(c)); // an earlier packet
            }
        }
    }

    [Fact]
    public void Tcpdump_reads_the_capture_where_it_is_installed()
    {
        using var dir = new TempDir();
        CliRunner.Run("check", "--spec", NeverRetransmitFin, "-s", "lost-final-ack", "--out", dir.Out);
        var pcapng = Assert.Single(Directory.GetFiles(dir.Out, "*.pcapng"));
        var tcpdump = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(p => Path.Combine(p, "tcpdump")).FirstOrDefault(File.Exists);
        if (tcpdump is null) return; // CI installs tcpdump; our own reader above is the check without it

        var psi = new ProcessStartInfo(tcpdump, ["-n", "-r", pcapng]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(CaptureReader.ReadFile(pcapng).Segments.Count, lines.Length);
        Assert.Contains("Flags [S], seq 100", lines[0], StringComparison.Ordinal);
    }
}
