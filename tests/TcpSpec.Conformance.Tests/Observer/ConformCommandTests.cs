using System.CommandLine;
using TcpSpec.Cli;
using TcpSpec.Cli.Commands;
using TcpSpec.Conformance.Tests.Pcap;
using TcpSpec.Testing;
using static TcpSpec.Conformance.Tests.Observer.Sim;

namespace TcpSpec.Conformance.Tests.Observer;

/// <summary><c>tcpspec conform</c>: reports, exit codes (0 conforms, 1 does not, 2 unreadable input or bad arguments).</summary>
public class ConformCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"tcpspec-conform-{Guid.NewGuid():N}");

    public ConformCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record Result(int Exit, string Out, string Err);

    /// <summary>Runs the command the way Cli.Run runs every subcommand (parse errors and UsageException are exit 2).</summary>
    private static Result Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var root = new RootCommand("test") { ConformCommand.Create(o, e) };
        var parse = root.Parse(["conform", .. args]);
        int exit;
        if (parse.Errors.Count > 0)
        {
            foreach (var err in parse.Errors) e.WriteLine($"tcpspec: {err.Message}");
            exit = Cli.Cli.Usage;
        }
        else
        {
            try
            {
                exit = parse.Invoke(new InvocationConfiguration { Output = o, Error = e, EnableDefaultExceptionHandler = false });
            }
            catch (UsageException ex)
            {
                e.WriteLine($"tcpspec: {ex.Message}");
                exit = Cli.Cli.Usage;
            }
        }
        return new Result(exit, o.ToString(), e.ToString());
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static Sim ClientClosesFirst()
    {
        var s = Established(A);
        s.Send(A, 100).DeliverAll().Close(A).DeliverAll().Close(B).DeliverAll();
        return s;
    }

    [Fact]
    public void A_conforming_capture_exits_0()
    {
        var r = Run(Write("ok.pcap", ClientClosesFirst().Pcap()));
        Assert.Equal(0, r.Exit);
        Assert.Equal("", r.Err);
        Assert.Contains("Connection 1: A 10.0.0.1:40000 ↔ B 10.0.0.2:80; A is the client (sent the first SYN)", r.Out);
        Assert.Contains("A 10.0.0.1:40000  CLOSED → SYN-SENT (OPEN-ACTIVE for #1) → ESTABLISHED (#2)", r.Out);
        Assert.Contains("  CONFORMS", r.Out);
        Assert.Contains("1 connection(s): 1 conform, 0 do not", r.Out);
    }

    [Fact]
    public void A_non_conforming_capture_exits_1_with_the_segment_and_why()
    {
        var s = Established(A);
        var frames = s.Frames.ToList();
        frames[1] = frames[1] with { Seg = frames[1].Seg with { Ack = 102 } };
        var r = Run(Write("bad.pcap", Sim.Write(frames)));
        Assert.Equal(1, r.Exit);
        Assert.Contains("NOT CONFORMING: B 10.0.0.2:80 sends #2 at 0.002000 s: <SEQ=300><ACK=102><CTL=SYN,ACK>", r.Out);
        Assert.Contains("ACK=102 is beyond RCV.NXT=101", r.Out);
        Assert.Contains("0 conform, 1 do not", r.Out);
    }

    [Fact]
    public void A_capture_cut_inside_its_last_record_is_checked_up_to_the_cut_with_a_warning()
    {
        var bytes = ClientClosesFirst().Pcap();
        var path = Write("cut.pcap", bytes[..(bytes.Length - 3)]);
        var r = Run(path);
        Assert.Equal(0, r.Exit);
        Assert.Matches(@"tcpspec: warning: .*cut\.pcap: cut short at byte \d+ \(truncated packet record: \d+ bytes announced, \d+ present\); read up to the cut", r.Err);
        Assert.Contains("cut.pcap: 1 connection(s): 1 conform, 0 do not", r.Out);
    }

    [Fact]
    public void Every_file_is_checked_and_an_unreadable_one_makes_it_exit_2()
    {
        var good = Write("good.pcap", ClientClosesFirst().Pcap());
        var junk = Write("junk.pcap", "not a capture at all"u8.ToArray());
        var missing = Path.Combine(_dir, "missing.pcap");
        var r = Run(junk, good, missing);
        Assert.Equal(2, r.Exit);
        Assert.Contains("junk.pcap: unreadable capture at byte 0: not a pcap or pcapng file", r.Err);
        Assert.Contains("missing.pcap: cannot read the file", r.Err);
        Assert.Contains("good.pcap: 1 connection(s): 1 conform, 0 do not", r.Out);
    }

    [Fact]
    public void A_capture_without_tcp_judges_nothing_and_is_not_a_green_run()
    {
        var udp = Write("udp.pcap", new PcapFile(101).Add(Packets.Udp()).Add(Packets.Udp()).Bytes);
        var r = Run(udp);
        Assert.Equal(2, r.Exit);
        Assert.Contains("2 packet(s): 0 TCP segment(s), 2 not TCP (UDP 2); 0 connection(s)", r.Out);
        Assert.Contains("the capture holds no TCP connection: nothing was judged", r.Err);
        // Beside a capture that does hold a connection, the UDP-only one is simply empty.
        var both = Run(udp, Write("good.pcap", ClientClosesFirst().Pcap()));
        Assert.Equal(0, both.Exit);
    }

    [Fact]
    public void An_unknown_link_type_exits_2()
    {
        var r = Run(Write("usb.pcap", new PcapFile(189).Add(new byte[30]).Bytes));
        Assert.Equal(2, r.Exit);
        Assert.Contains("unreadable capture at byte 20: unsupported link type 189", r.Err);
    }

    [Fact]
    public void Profile_linux_accepts_a_documented_deviation_and_names_it()
    {
        var s = Established(A);
        s.Send(A, 10).DeliverAll().Abort(A);
        var frames = s.Frames.ToList();
        frames[^1] = frames[^1] with { Seg = frames[^1].Seg with { Flags = TcpFlags.Rst | TcpFlags.Ack, Ack = 301 } };
        var path = Write("linux.pcap", Sim.Write(frames));

        var rfc = Run(path);
        Assert.Equal(1, rfc.Exit);
        Assert.Contains($"hint: --profile linux accepts it, as Linux's deviation: #{frames.Count} reset-with-ack: the reset of an abort carries ACK", rfc.Out);

        var linux = Run(path, "--profile", "linux");
        Assert.Equal(0, linux.Exit);
        Assert.Contains("profile linux: the table, and Linux's deviations where a segment needs one (time-wait-accepts-syn, syn-text-dropped, reset-with-ack, probe, tail-loss-probe)", linux.Out);
        Assert.Contains("CONFORMS to RFC 9293 except:", linux.Out);
        Assert.Contains($"A #{frames.Count} reset-with-ack: the reset of an abort carries ACK, <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK> (Linux: tcp_send_active_reset", linux.Out);
    }

    [Fact]
    public void Profile_takes_an_overlay_file_and_reports_its_mistakes_at_its_own_line_and_column()
    {
        var s = Established(A);
        s.Send(A, 10).DeliverAll().Abort(A);
        var frames = s.Frames.ToList();
        frames[^1] = frames[^1] with { Seg = frames[^1].Seg with { Flags = TcpFlags.Rst | TcpFlags.Ack, Ack = 301 } };
        var capture = Write("abort.pcap", Sim.Write(frames));
        var linux = File.ReadAllText(Repo.Path("spec", "profiles", "linux.md")).Replace("\r\n", "\n");

        // A copy of the Linux overlay without its reset-with-ack deviation: the capture no longer conforms.
        var strict = Path.Combine(_dir, "strict.md");
        File.WriteAllText(strict, string.Join("\n", linux.Split('\n').Where(l => !l.StartsWith("| reset-with-ack |"))));
        var r = Run(capture, "--profile", strict);
        Assert.Equal(1, r.Exit);
        Assert.Contains("profile strict: the table, and strict's deviations where a segment needs one (tcp_rfc1337, time-wait-accepts-syn, syn-text-dropped, probe, tail-loss-probe)", r.Out);

        // A typo in a state: the error is at the overlay's line and column, as a build prints it; exit 2.
        var broken = Path.Combine(_dir, "broken.md");
        var text = linux.Replace("| replace | TIME-WAIT |", "| replace | TIME-WIAT |");
        File.WriteAllText(broken, text);
        var lines = text.Split('\n');
        int line = Array.FindIndex(lines, l => l.Contains("TIME-WIAT")) + 1;
        r = Run(capture, "--profile", broken);
        Assert.Equal(2, r.Exit);
        Assert.Contains($"broken.md({line},13): error TSPEC002: Unknown state 'TIME-WIAT'", r.Err);
        Assert.Contains("--profile " + broken + ": 1 error(s); the profile does not compile; no capture was checked.", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void Endpoint_judges_only_the_named_endpoints_and_follows_the_others()
    {
        // B (10.0.0.2:80), ESTABLISHED, sends a SYN (as a test script injecting one would); A answers with a challenge ACK.
        var s = Established(A);
        var frames = s.Frames.ToList();
        double t = frames[^1].TimeMs;
        frames.Add(new Frame(t + 1, B, new Segment(301, 0, TcpFlags.Syn, 8192, 0)));
        frames.Add(new Frame(t + 2, A, new Segment(101, 301, TcpFlags.Ack, 8192, 0)));
        var path = Write("peer.pcap", Sim.Write(frames));
        Assert.Equal(1, Run(path).Exit);

        var a = Run(path, "--endpoint", "10.0.0.1");
        Assert.Equal(0, a.Exit);
        Assert.Contains("judged: 10.0.0.1 (--endpoint); the other endpoints are followed, not judged", a.Out);
        Assert.Contains("B 10.0.0.2:80     not judged (--endpoint)", a.Out);
        Assert.Contains("  A CONFORMS", a.Out);
        Assert.DoesNotContain("NOT CONFORMING", a.Out);
        Assert.Contains("1 connection(s): 1 conform, 0 do not, 0 not judged (judging 10.0.0.1)", a.Out);

        var b = Run(path, "--endpoint", "10.0.0.2:80", "--endpoint", "10.0.0.1:9");
        Assert.Equal(1, b.Exit);
        Assert.Contains("NOT CONFORMING: B 10.0.0.2:80 sends #4", b.Out);
        Assert.Contains("A 10.0.0.1:40000  not judged (--endpoint)", b.Out);
        Assert.Contains("note: --endpoint 10.0.0.1:9 matches no endpoint of this capture", b.Out);

        Assert.Contains("--endpoint 10.0.0.1:9 matches no endpoint of the captures given", b.Err);

        // An --endpoint that names nothing in any capture judged nothing: an error, not a green run (issue 15).
        var none = Run(path, "--endpoint", "192.0.2.7");
        Assert.Equal(2, none.Exit);
        Assert.Contains("tcpspec: --endpoint 192.0.2.7 matches no endpoint of the captures given: nothing was judged for it", none.Err);
        Assert.Contains("NOT JUDGED (neither endpoint is selected by --endpoint)", none.Out);
        Assert.Contains("1 connection(s): 0 conform, 0 do not, 1 not judged", none.Out);

        foreach (var bad in new[] { "foo", "10.0.0.1:99999", "[2001:db8::1", "[2001:db8::1]80" })
        {
            var r = Run(path, "--endpoint", bad);
            Assert.Equal(2, r.Exit);
            Assert.Contains("--endpoint", r.Err);
        }
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1", null)]
    [InlineData("10.0.0.1:80", "10.0.0.1", (ushort)80)]
    [InlineData("[2001:db8::1]:443", "2001:db8::1", (ushort)443)]
    [InlineData("[2001:db8::1]", "2001:db8::1", null)]
    [InlineData("2001:db8::1", "2001:db8::1", null)]
    public void Endpoint_selectors_parse_as_the_report_prints_addresses(string text, string address, ushort? port)
    {
        var s = TcpSpec.Conformance.Observer.EndpointSelector.Parse(text, out var error);
        Assert.Null(error);
        Assert.Equal(System.Net.IPAddress.Parse(address), s!.Address);
        Assert.Equal(port, s.Port);
        Assert.True(s.Matches(new TcpSpec.Conformance.Pcap.TcpAddress(System.Net.IPAddress.Parse(address), port ?? 1234)));
        Assert.False(s.Matches(new TcpSpec.Conformance.Pcap.TcpAddress(System.Net.IPAddress.Parse("192.0.2.1"), port ?? 1234)));
    }

    [Fact]
    public void A_bad_profile_is_a_usage_error()
    {
        var r = Run(Write("ok.pcap", ClientClosesFirst().Pcap()), "--profile", "bsd");
        Assert.Equal(2, r.Exit);
        Assert.Contains("bsd", r.Err);
    }

    [Fact]
    public void No_file_is_a_usage_error() => Assert.Equal(2, Run().Exit);

    [Fact]
    public void Loss_lets_a_segment_lost_after_the_tap_explain_a_retransmission()
    {
        var s = Established(A);
        s.Close(A).DeliverAll().Close(B).Deliver(A);
        s.Drop(B);
        s.Wait(1000).Expire(B, TimerKind.Retransmit).DeliverAll(); // a second later: it cannot have crossed A's ACK
        var path = Write("lost.pcap", s.Pcap());
        Assert.Equal(1, Run(path).Exit);
        var r = Run(path, "--loss", "1");
        Assert.Equal(0, r.Exit);
        Assert.Contains("CONFORMS to RFC 9293 except:", r.Out);
        Assert.Contains("was lost after the capture point (it never reached B)", r.Out);
        Assert.Equal(2, Run(path, "--loss", "99").Exit);
    }

    [Fact]
    public void Spec_follows_an_edited_table_and_a_broken_one_exits_2()
    {
        var ok = Write("ok.pcap", ClientClosesFirst().Pcap());
        var profile = Run(ok, "--spec", Repo.Path("docs", "profiles", "linux.md"));
        Assert.Equal(0, profile.Exit);

        // A table that never leaves LAST-ACK: the server's last state changes, and the capture still conforms (it only shows ACKs).
        var broken = Run(ok, "--spec", Repo.Path("spec", "broken", "11-last-ack-never-closes.spec.md"));
        Assert.Equal(0, broken.Exit);
        Assert.DoesNotContain("LAST-ACK (CLOSE for #8) → CLOSED", broken.Out);

        var bad = Path.Combine(_dir, "bad.spec.md");
        File.WriteAllText(bad, File.ReadAllText(Repo.SpecFile).Replace("| LISTEN, SYN-SENT | CLOSE | — | DeleteTcb | CLOSED |", "| LISTEN, SYN-SENT | CLOSE | — | DeleteTcb | CLOSD |"));
        var r = Run(ok, "--spec", bad);
        Assert.Equal(2, r.Exit);
        Assert.Contains("TSPEC002", r.Err);
        Assert.Equal(2, Run(ok, "--spec", Path.Combine(_dir, "nope.spec.md")).Exit);
    }

    [Fact]
    public void Verbose_prints_every_segment_with_both_states()
    {
        var r = Run(Write("ok.pcap", ClientClosesFirst().Pcap()), "--verbose");
        Assert.Equal(0, r.Exit);
        Assert.Matches(@"#1 +0\.000000 s A→B <SEQ=100><CTL=SYN> +A: SYN-SENT +B: SYN-RECEIVED", r.Out);
    }

    [Fact]
    public void An_ipv6_pcapng_capture_on_ethernet()
    {
        var s = ClientClosesFirst();
        var ng = new PcapNgFile().Interface(1, tsresol: 9).Interface(101);
        foreach (var f in s.Frames)
        {
            var (src, dst, sp, dp) = f.From == A ? (Packets.V6A, Packets.V6B, (ushort)40000, (ushort)80) : (Packets.V6B, Packets.V6A, (ushort)80, (ushort)40000);
            var packet = Packets.Ethernet(0x86DD, Packets.Ipv6(src, dst, 6, Packets.Tcp(sp, dp, f.Seg)), 0x8100);
            ng.Enhanced(0, (ulong)(f.TimeMs * 1_000_000), packet);
            ng.Enhanced(1, (ulong)(f.TimeMs * 1000), Packets.Udp());
        }
        var r = Run(Write("v6.pcapng", ng.Bytes));
        Assert.Equal(0, r.Exit);
        Assert.Contains("pcapng (little-endian, 2 interface(s)), link type ETHERNET (1), RAW (IP) (101)", r.Out);
        Assert.Contains($"{s.Frames.Count} not TCP (UDP {s.Frames.Count})", r.Out);
        Assert.Contains("Connection 1: A [2001:db8::1]:40000 ↔ B [2001:db8::2]:80", r.Out);
        Assert.Contains("  CONFORMS", r.Out);
    }
}
