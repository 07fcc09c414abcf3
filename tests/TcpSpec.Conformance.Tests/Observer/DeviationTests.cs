using TcpSpec.Conformance.Observer;
using TcpSpec.Testing;
using static TcpSpec.Conformance.Tests.Observer.Sim;

namespace TcpSpec.Conformance.Tests.Observer;

/// <summary>
/// Linux's deliberate departures from the table: the RFC table flags them (and names the
/// deviation in a hint), the Linux profile accepts them and names each in its verdict.
/// </summary>
public class DeviationTests
{
    private static readonly ConformOptions Linux = new() { Linux = true };

    /// <summary>The table rejects <paramref name="side"/>'s segment <paramref name="frame"/>; the Linux profile accepts the capture with deviation <paramref name="id"/> at <paramref name="at"/> (by default that same segment).</summary>
    private static void AssertDeviation(List<Frame> frames, int side, long frame, string id, long? at = null)
    {
        long where = at ?? frame;
        var rfc = Conform.Check(frames);
        var rfcReport = Conform.Report(rfc);
        var verdict = rfc.Connections[0].Side(side);
        Assert.False(verdict.Conforms, rfcReport);
        Assert.Equal(frame, verdict.Result.Failure!.Frame);
        var deviation = Profile.LinuxDeviations.Single(d => d.Id == id);
        Assert.Contains(verdict.Hints, h => h.StartsWith("--profile linux accepts it, as Linux's deviation: ") && h.Contains($"#{where} {id}: {deviation.Description}"));

        var linux = Conform.Check(frames, Linux);
        var report = Conform.Report(linux);
        var lv = linux.Connections[0].Side(side);
        Assert.True(lv.Conforms, report);
        var used = Assert.Single(lv.Assumptions);
        Assert.Equal(id, used.Id);
        Assert.Equal(where, used.Frame);
        Assert.Equal(frame, lv.TableFailure!.Frame);
        if (linux.Conforms)
        {
            Assert.Contains("CONFORMS to RFC 9293 except:", report);
            Assert.Contains($"{(side == 0 ? "A" : "B")} #{where} {id}: {deviation.Description}", report);
            Assert.Contains($"(the table alone rejects {(side == 0 ? "A" : "B")}'s #{frame}:", report);
        }
    }

    [Fact]
    public void An_abort_whose_reset_carries_ack()
    {
        var s = Established(A);
        s.Send(A, 50).Send(B, 20).DeliverAll().Abort(A).DeliverAll();
        var frames = s.Frames.ToList();
        var rst = frames[^1];
        Assert.Equal("<SEQ=151><CTL=RST>", rst.Seg.ToString());
        frames[^1] = rst with { Seg = rst.Seg with { Flags = TcpFlags.Rst | TcpFlags.Ack, Ack = 321 } };
        AssertDeviation(frames, A, frames.Count, "reset-with-ack");
    }

    [Fact]
    public void A_keep_alive_probe()
    {
        var s = Established(A);
        s.Send(A, 50).DeliverAll();
        var frames = s.Frames.ToList();
        double t = frames[^1].TimeMs;
        frames.Add(new Frame(t + 1000, A, new Segment(150, 301, TcpFlags.Ack, 8192, 0)));  // SND.UNA - 1
        frames.Add(new Frame(t + 1000, B, new Segment(301, 151, TcpFlags.Ack, 8192, 0)));  // the answer, SendAck of an unacceptable segment
        AssertDeviation(frames, A, frames.Count - 1, "probe");
    }

    [Fact]
    public void A_tail_loss_probe()
    {
        var s = Established(A);
        s.Send(A, 1000).DeliverAll();
        var frames = s.Frames.ToList();
        var second = frames.Single(f => f.From == A && f.Seg.Seq == 637);
        int i = frames.IndexOf(second);
        frames.Insert(i + 1, second with { TimeMs = second.TimeMs });
        AssertDeviation(frames, A, i + 2, "tail-loss-probe");
    }

    [Fact]
    public void A_reset_in_time_wait_ignored_as_with_tcp_rfc1337()
    {
        var s = Established(A);
        s.Close(A).DeliverAll().Close(B).DeliverAll();
        Assert.Equal(TcpState.TimeWait, s.State(A));
        var frames = s.Frames.ToList();
        var bFin = frames.Single(f => f.From == B && f.Seg.IsFin);
        var aLastAck = frames[^1];
        double t = aLastAck.TimeMs;
        // An old reset at exactly RCV.NXT reaches A in TIME-WAIT; then B's FIN again, and A acknowledges it again.
        frames.Add(new Frame(t + 1, B, new Segment(302, 0, TcpFlags.Rst, 0, 0)));
        frames.Add(bFin with { TimeMs = t + 2 });
        frames.Add(aLastAck with { TimeMs = t + 2 });
        // Linux's default net.ipv4.tcp_rfc1337=0 closes on the reset, as the table does: neither accepts A.
        Assert.False(Conform.Check(frames).Connections[0].Side(A).Conforms);
        Assert.False(Conform.Check(frames, Linux).Connections[0].Side(A).Conforms);
        // With the knob on (every deviation merged) A conforms, naming tcp_rfc1337 at the reset.
        var on = Conform.Check(frames, new ConformOptions { Stack = Profile.Linux().Without(new HashSet<string>()) });
        var a = on.Connections[0].Side(A);
        Assert.True(a.Conforms, Conform.Report(on));
        var used = Assert.Single(a.Assumptions);
        Assert.Equal(("tcp_rfc1337", (long)frames.Count - 2), (used.Id, used.Frame));
        // B cannot have sent that reset (it is a spoofed or very old one): B does not conform either way.
        Assert.False(on.Connections[0].B.Conforms);
    }

    [Fact]
    public void The_table_already_resends_the_syn_ack_for_a_retransmitted_syn_as_linux_does()
    {
        var row = TcpMachine.Rows.Single(r => r.States == "SYN-RECEIVED" && r.Events.Contains("SYN") && r.Guard == "RetransmittedSyn");
        Assert.Equal("ResendSynAck", row.Actions);
        // So a capture of it conforms to the table itself, no deviation needed.
        var s = new Sim(tap: A);
        s.OpenPassive(B).OpenActive(A).Deliver(B);
        s.Drop(A);
        s.Expire(A, TimerKind.Retransmit).DeliverAll();
        Conform.AssertConforms(s.Frames, Linux);
    }

    /// <summary>
    /// B, the server, closed first and is in TIME-WAIT (SND.NXT 302, RCV.NXT 102) when A opens the
    /// same 4-tuple again <paramref name="afterMs"/> later with a SYN beyond RCV.NXT, and B answers
    /// with a SYN,ACK whose ISS is <paramref name="issB"/>. The frames, and the index of the new SYN,ACK (1-based).
    /// </summary>
    private static (List<Frame> Frames, int SynAck) NewSynInTimeWait(uint issB = 302 + 65537, double afterMs = 10, bool activeCloserInTimeWait = false)
    {
        var s = Established(A);
        if (activeCloserInTimeWait) s.Close(A).DeliverAll().Close(B).DeliverAll();
        else s.Close(B).DeliverAll().Close(A).DeliverAll();
        var first = s.Frames.ToList();
        double t = first[^1].TimeMs + afterMs;
        var again = Established(A, issA: 90_000, issB: issB);
        again.Close(A).DeliverAll().Close(B).DeliverAll();
        var frames = first.Concat(again.Frames.Select(f => f with { TimeMs = f.TimeMs + t })).ToList();
        return (frames, first.Count + 2);
    }

    [Fact]
    public void A_new_syn_in_time_wait_opening_a_new_connection_as_linux_does()
    {
        var (frames, synAck) = NewSynInTimeWait();
        var rfc = Conform.Check(frames);
        var report = Conform.Report(rfc);
        Assert.Equal(2, rfc.Connections.Count);
        var b = rfc.Connections[1].B;
        Assert.True(b.Result.Failure?.Frame == synAck, report);
        Assert.Contains(b.Hints, h => h.Contains($"#{synAck - 1} time-wait-accepts-syn: "));
        Assert.Contains(rfc.Connections[1].Notes, n => n.Contains("10.0.0.2:80 goes on from connection 1, where it ended in TIME-WAIT; its new ISS (65839, #" + synAck + ") is the old SND.NXT + 65537, above every sequence number of the old incarnation (RFC 9293 §3.6.1 MAY-2 (1))"));

        var linux = Conform.Check(frames, Linux);
        report = Conform.Report(linux);
        Assert.True(linux.Conforms, report);
        var used = Assert.Single(linux.Connections[1].B.Assumptions);
        Assert.Equal(("time-wait-accepts-syn", (long)synAck - 1), (used.Id, used.Frame));
        Assert.Equal(["TIME-WAIT", "SYN-RECEIVED", "ESTABLISHED", "CLOSE-WAIT", "LAST-ACK", "CLOSED"], Assert.Single(linux.Connections[1].B.Result.Sequences));
        Assert.Contains($"B #{synAck - 1} time-wait-accepts-syn: a SYN beyond RCV.NXT in TIME-WAIT", report);
    }

    [Fact]
    public void Only_a_passive_connection_in_time_wait_reopens_and_only_for_a_syn_beyond_rcv_nxt()
    {
        // A, the client, is in TIME-WAIT: Linux has no listener to hand the SYN to and acknowledges it; so does the profile.
        var (frames, synAck) = NewSynInTimeWait(activeCloserInTimeWait: true);
        var flipped = frames.Select((f, i) => i < synAck - 2 ? f : f with { From = 1 - f.From }).ToList();
        var linux = Conform.Check(flipped, Linux);
        Assert.Equal("10.0.0.1:40000", linux.Connections[1].Connection.B.ToString()); // the new SYN's receiver
        Assert.True(linux.Connections[1].B.Result.Failure?.Frame == synAck, Conform.Report(linux));

        // A new SYN at exactly RCV.NXT (102) is not beyond it: TIME-WAIT acknowledges it (Linux: TCP_TW_ACK).
        (frames, synAck) = NewSynInTimeWait();
        frames[synAck - 2] = frames[synAck - 2] with { Seg = frames[synAck - 2].Seg with { Seq = 102 } };
        frames[synAck - 1] = frames[synAck - 1] with { Seg = frames[synAck - 1].Seg with { Ack = 103 } };
        linux = Conform.Check(frames.Take(synAck).ToList(), Linux);
        Assert.True(linux.Connections[1].B.Result.Failure?.Frame == synAck, Conform.Report(linux));
    }

    [Fact]
    public void The_linux_profile_compiles_and_marks_its_rows()
    {
        // Every deviation merged: tcp_rfc1337 is off by default (Linux's net.ipv4.tcp_rfc1337=0).
        var p = Profile.Linux().Without(new HashSet<string>())!;
        Assert.Equal("linux", p.Name);
        Assert.Equal(4, p.DeviationRows.Count);
        var rows = p.DeviationRows.Where(r => r.Value.Id != "syn-text-dropped").ToDictionary(r => r.Value.Id, r => p.Engine.Rows[r.Key - 1]);
        Assert.Equal(
            ["LISTEN × SYN [CarriesText] / AcceptSyn, SelectIss, SendSynAck → SYN-RECEIVED", "SYN-SENT × SYN [CarriesText] / AcceptSyn, SendSynAck → SYN-RECEIVED"],
            p.DeviationRows.Where(r => r.Value.Id == "syn-text-dropped").Select(r => p.Engine.Rows[r.Key - 1].Description));
        Assert.Equal("TIME-WAIT × RST, RST-ACK / Drop → same", rows["tcp_rfc1337"].Description);
        Assert.Equal("TIME-WAIT × SYN [PassiveOpen & !InOrder & !RstExact] / ReturnToListen, AcceptSyn, SelectIss, SendSynAck → SYN-RECEIVED", rows["time-wait-accepts-syn"].Description);
        Assert.Equal(TcpMachine.RowCount + 4, p.Engine.Rows.Count); // tcp_rfc1337 replaces one; the others add four, syn-text-dropped two of them
        Assert.All(p.Deviations, d => Assert.Equal(d.Row, p.DeviationRows.Values.Contains(d)));
    }

    [Fact]
    public void The_merged_linux_table_is_generated_and_compiles_on_its_own()
    {
        Assert.False(File.Exists(Repo.Path("spec", "profiles", "linux.spec.md")), "the Linux profile is the overlay spec/profiles/linux.md; its merged table is generated under docs/");
        var merged = MergedTableWriter.ForBuiltIn(Profile.LinuxName);
        Assert.Equal(merged, MergedTableWriter.Write(Profile.Linux(File.ReadAllText(Repo.SpecFile)).Without(new HashSet<string>())!, File.ReadAllText(Repo.SpecFile), Profile.TablePath, "spec/profiles/linux.md"));
        // As `tcpspec conform --spec docs/profiles/linux.md` loads it: the same rows as the profile's engine.
        var engine = TcpSpec.Engines.InterpretedEngine.FromText("docs/profiles/linux.md", merged, out var diagnostics);
        Assert.DoesNotContain(diagnostics, d => d.Severity == TcpSpec.Language.SpecSeverity.Error);
        Assert.Equal(Profile.Linux().Without(new HashSet<string>())!.Engine.Rows.Select(r => r.Description), engine!.Rows.Select(r => r.Description));
        Assert.Contains("| TIME-WAIT | RST, RST-ACK | — | Drop | same | RFC 1337 (TIME-WAIT assassination); Linux net.ipv4.tcp_rfc1337=1 (deviation: tcp_rfc1337) |", merged);
    }
}
