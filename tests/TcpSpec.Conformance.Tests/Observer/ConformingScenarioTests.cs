using static TcpSpec.Conformance.Tests.Observer.Sim;

namespace TcpSpec.Conformance.Tests.Observer;

/// <summary>
/// Captures of the real engine talking to itself must conform: whatever the scenario, wherever
/// the tap, the observer finds an explanation for every segment each endpoint sent.
/// </summary>
public class ConformingScenarioTests
{
    public static TheoryData<int> Taps => new() { A, B };

    [Theory, MemberData(nameof(Taps))]
    public void Three_way_handshake(int tap)
    {
        var s = Established(tap);
        var v = Conform.AssertConforms(s.Frames);
        Assert.Equal("CLOSED → SYN-SENT (OPEN-ACTIVE for #1) → ESTABLISHED (#2)", v.Connections[0].A.Result.States);
        Assert.StartsWith("LISTEN → SYN-RECEIVED (#1) → ESTABLISHED (#3)", v.Connections[0].B.Result.States);
    }

    [Theory, MemberData(nameof(Taps))]
    public void Data_both_ways_and_the_client_closes_first(int tap)
    {
        var s = Established(tap);
        s.Send(A, 1200).DeliverAll().Send(B, 700).DeliverAll().Send(A, 5).Send(B, 9).DeliverAll();
        s.Close(A).DeliverAll().Close(B).DeliverAll();
        Assert.Equal(TcpState.TimeWait, s.State(A));
        Assert.Equal(TcpState.Closed, s.State(B));
        var v = Conform.AssertConforms(s.Frames);
        Assert.EndsWith("FIN-WAIT-1 (CLOSE for #" + FrameOf(s, A, f => f.Seg.IsFin) + ") → FIN-WAIT-2 (#" + (FrameOf(s, A, f => f.Seg.IsFin) + 1) + ")" +
            " → TIME-WAIT (#" + FrameOf(s, B, f => f.Seg.IsFin) + ")", v.Connections[0].A.Result.States);
        Assert.EndsWith("LAST-ACK (CLOSE for #" + FrameOf(s, B, f => f.Seg.IsFin) + ") → CLOSED (#" + s.Frames.Count + ")", v.Connections[0].B.Result.States);
    }

    [Theory, MemberData(nameof(Taps))]
    public void The_server_closes_first(int tap)
    {
        var s = Established(tap);
        s.Send(B, 300).DeliverAll().Close(B).DeliverAll().Close(A).DeliverAll();
        Assert.Equal(TcpState.TimeWait, s.State(B));
        Conform.AssertConforms(s.Frames);
    }

    [Theory, MemberData(nameof(Taps))]
    public void Half_close_the_server_keeps_sending_after_the_clients_fin(int tap)
    {
        var s = Established(tap);
        s.Close(A).DeliverAll();
        Assert.Equal(TcpState.FinWait2, s.State(A));
        s.Send(B, 100).DeliverAll().Send(B, 2000).DeliverAll().Close(B).DeliverAll();
        var v = Conform.AssertConforms(s.Frames);
        Assert.Contains("CLOSE-WAIT", v.Connections[0].B.Result.States);
    }

    [Theory, MemberData(nameof(Taps))]
    public void Simultaneous_open_then_simultaneous_close(int tap)
    {
        var s = new Sim(tap: tap);
        s.OpenActive(A).OpenActive(B).DeliverAll();
        Assert.Equal(TcpState.Established, s.State(A));
        Assert.Equal(TcpState.Established, s.State(B));
        s.Close(A).Close(B).DeliverAll();
        Assert.Equal(TcpState.TimeWait, s.State(A));
        Assert.Equal(TcpState.TimeWait, s.State(B));
        var v = Conform.AssertConforms(s.Frames);
        Assert.Contains("SYN-RECEIVED", v.Connections[0].A.Result.States);
        Assert.Contains("CLOSING", v.Connections[0].A.Result.States);
    }

    [Theory, MemberData(nameof(Taps))]
    public void Abort_after_data(int tap)
    {
        var s = Established(tap);
        s.Send(A, 40).DeliverAll().Abort(A).DeliverAll();
        Assert.Equal(TcpState.Closed, s.State(B));
        var v = Conform.AssertConforms(s.Frames);
        Assert.EndsWith("CLOSED (#" + s.Frames.Count + ")", v.Connections[0].B.Result.States);
    }

    [Theory, MemberData(nameof(Taps))]
    public void Refused_connect(int tap)
    {
        var s = new Sim(tap: tap);
        s.OpenActive(A).DeliverAll();
        Assert.Equal(TcpState.Closed, s.State(A));
        var v = Conform.AssertConforms(s.Frames);
        Assert.Equal("<SEQ=0><ACK=101><CTL=RST,ACK>", s.Frames[1].Seg.ToString());
        Assert.Equal("CLOSED → SYN-SENT (OPEN-ACTIVE for #1) → CLOSED (#2)", v.Connections[0].A.Result.States);
        Assert.Equal("CLOSED", v.Connections[0].B.Result.States);
    }

    [Fact]
    public void A_lost_syn_is_retransmitted()
    {
        var s = new Sim(tap: A);
        s.OpenPassive(B).OpenActive(A);
        s.Drop(B);
        s.Expire(A, TimerKind.Retransmit).DeliverAll();
        Assert.Equal(2, s.Frames.Count(f => f.Seg.IsSyn && !f.Seg.IsAck));
        Conform.AssertConforms(s.Frames);
    }

    [Theory, MemberData(nameof(Taps))]
    public void A_lost_syn_ack_is_resent_for_the_retransmitted_syn(int tap)
    {
        var s = new Sim(tap: tap);
        s.OpenPassive(B).OpenActive(A).Deliver(B);
        s.Drop(A);
        s.Expire(A, TimerKind.Retransmit).DeliverAll();
        Assert.Equal(TcpState.Established, s.State(B));
        Conform.AssertConforms(s.Frames);
    }

    [Fact]
    public void A_lost_syn_ack_is_retransmitted_by_the_servers_timer()
    {
        var s = new Sim(tap: B);
        s.OpenPassive(B).OpenActive(A).Deliver(B);
        s.Drop(A);
        s.Expire(B, TimerKind.Retransmit).DeliverAll();
        Assert.Equal(2, s.Frames.Count(f => f.Seg.IsSyn && f.Seg.IsAck));
        Conform.AssertConforms(s.Frames);
    }

    [Theory, MemberData(nameof(Taps))]
    public void Lost_text_is_retransmitted_from_snd_una(int tap)
    {
        var s = Established(tap);
        s.Send(A, 1000); // two segments of MSS 536 and 464
        s.Drop(B);
        s.Deliver(B); // the second arrives beyond RCV.NXT: held (SHLD-31) and RCV.NXT acknowledged
        s.Deliver(A);
        s.Expire(A, TimerKind.Retransmit).DeliverAll(); // the first segment again fills the gap: both acknowledged
        Assert.Equal(s[A].SndNxt, s[B].RcvNxt);
        Conform.AssertConforms(s.Frames);
    }

    [Fact]
    public void A_receiver_that_holds_a_segment_beyond_a_gap_acknowledges_both_at_once()
    {
        // Tapped at B: A's first segment is lost before the tap. A stack that holds the second
        // (RFC 9293 SHLD-31, as the engine does) acknowledges both once the first is
        // retransmitted, and A need not retransmit the second.
        var s = Established(B);
        s.Send(A, 1000);
        s.Drop(B);
        s.Deliver(B);
        s.Deliver(A);
        s.Expire(A, TimerKind.Retransmit).DeliverAll();
        var frames = s.Frames.ToList();
        Assert.Equal("<SEQ=301><ACK=1101><CTL=ACK>", frames[^1].Seg.ToString());
        Conform.AssertConforms(frames);

        // Without the gap filled, acknowledging the held text is acknowledging what never arrived in order.
        frames.RemoveAt(frames.Count - 2);
        Conform.AssertFlags(frames, B, frames.Count);
    }

    [Fact]
    public void A_half_closed_side_that_gave_up_resets_late_text()
    {
        // Linux drops an orphaned FIN-WAIT-2 connection after tcp_fin_timeout and answers the
        // peer's late text with a reset <SEQ=SEG.ACK><CTL=RST>: to the observer, an ABORT.
        var s = Established(A);
        s.Close(A).DeliverAll().Wait(60_000).Send(B, 10);
        int before = s.Frames.Count;
        var late = s.Deliver(A);
        var frames = s.Frames.Take(before + 1).ToList(); // the late text, and instead of the engine's ACK, a reset
        frames.Add(new Frame(frames[^1].TimeMs, A, new Segment(late.Ack, 0, TcpFlags.Rst, 0, 0)));
        var v = Conform.AssertConforms(frames);
        Assert.EndsWith($"CLOSED (ABORT for #{frames.Count})", v.Connections[0].A.Result.States);
    }

    [Fact]
    public void Time_wait_re_acknowledges_the_retransmitted_fin()
    {
        // Tapped at B: A's last ACK is lost before the tap, B retransmits its FIN, A (TIME-WAIT) ACKs it again.
        var s = Established(B);
        s.Close(A).DeliverAll().Close(B).Deliver(A);
        Assert.Equal(TcpState.TimeWait, s.State(A));
        s.Drop(B);
        s.Expire(B, TimerKind.Retransmit).DeliverAll();
        Assert.Equal(TcpState.Closed, s.State(B));
        var v = Conform.AssertConforms(s.Frames);
        Assert.EndsWith("TIME-WAIT (#" + FrameOf(s, B, f => f.Seg.IsFin) + ")", v.Connections[0].A.Result.States);
    }

    [Fact]
    public void Time_wait_re_ack_tapped_at_the_client_needs_one_loss_after_the_tap()
    {
        // Tapped at A: A's last ACK is in the capture though B never got it. Without --loss the
        // observer must flag B's retransmitted FIN, and say one loss would explain it.
        var s = Established(A);
        s.Close(A).DeliverAll().Close(B).Deliver(A);
        s.Drop(B);
        s.Wait(1000).Expire(B, TimerKind.Retransmit).DeliverAll(); // a second later: it cannot have crossed A's ACK
        int retransmittedFin = s.Frames.FindLastIndex(f => f.From == B && f.Seg.IsFin) + 1;
        var (failure, report, v) = Conform.AssertFlags(s.Frames, B, retransmittedFin);
        Assert.Contains("In CLOSED", failure.Explanation);
        Assert.Contains(v.Connections[0].B.Hints, h => h.Contains($"frame #{retransmittedFin - 1} had been lost after the capture point (--loss 1)"));

        var lossy = Conform.AssertConforms(s.Frames, new() { Observer = new() { Loss = 1 } }, allowAssumptions: true);
        var lost = Assert.Single(lossy.Connections[0].B.Assumptions);
        Assert.Equal("lost", lost.Id);
        Assert.Equal(retransmittedFin - 1, lost.Frame);
        _ = report;
    }

    [Theory, MemberData(nameof(Taps))]
    public void Acknowledgments_the_stack_delays_or_coalesces(int tap)
    {
        var s = Established(tap);
        for (int i = 0; i < 4; i++) s.Send(A, 100);
        s.DeliverAll().Send(B, 10).DeliverAll().Close(A).Close(B).DeliverAll();
        // B acknowledges only the last of A's text segments (a delayed, cumulative ACK).
        var frames = s.Frames.ToList();
        var bareAcks = frames.Where(f => f.From == B && f.Seg.Flags == TcpFlags.Ack && f.Seg.Length == 0 && f.Seg.Ack < s[B].RcvNxt - 2).ToList();
        Assert.NotEmpty(bareAcks);
        frames.RemoveAll(f => bareAcks.Take(bareAcks.Count - 1).Contains(f));
        Conform.AssertConforms(frames);
    }

    [Theory, MemberData(nameof(Taps))]
    public void Window_updates_and_duplicate_acks_the_spec_would_not_send(int tap)
    {
        var s = Established(tap);
        s.Send(A, 100).DeliverAll();
        var frames = s.Frames.ToList();
        var last = frames[^1];
        Assert.Equal(B, last.From);
        // The same ACK twice more, with another window: a window update and a duplicate ACK.
        frames.Add(last with { TimeMs = last.TimeMs + 1, Seg = last.Seg with { Window = 60000 } });
        frames.Add(last with { TimeMs = last.TimeMs + 2 });
        Conform.AssertConforms(frames);
    }

    [Theory, MemberData(nameof(Taps))]
    public void Segmentation_offload_one_captured_segment_covers_several(int tap)
    {
        var s = Established(tap);
        s.Send(A, 1500).DeliverAll().Close(A).DeliverAll();
        var frames = s.Frames.ToList();
        var text = frames.Where(f => f.From == A && f.Seg.Length > 0).ToList();
        Assert.Equal(3, text.Count); // 536 + 536 + 428
        var merged = text[0] with { Seg = text[0].Seg with { Length = (ushort)text.Sum(f => f.Seg.Length) } };
        frames[frames.IndexOf(text[0])] = merged;
        frames.Remove(text[1]);
        frames.Remove(text[2]);
        Conform.AssertConforms(frames);
    }

    [Theory, MemberData(nameof(Taps))]
    public void Smaller_segments_than_the_spec_sends(int tap)
    {
        var s = Established(tap);
        s.Send(A, 500).DeliverAll();
        var frames = s.Frames.ToList();
        var text = frames.Single(f => f.From == A && f.Seg.Length > 0);
        int i = frames.IndexOf(text);
        frames[i] = text with { Seg = text.Seg with { Length = 200 } };
        frames.Insert(i + 1, text with { Seg = text.Seg with { Seq = text.Seg.Seq + 200, Length = 300 } });
        Conform.AssertConforms(frames);
    }

    [Theory, MemberData(nameof(Taps))]
    public void A_fin_on_the_last_text_segment(int tap)
    {
        var s = Established(tap);
        s.Send(A, 300).Close(A).DeliverAll().Close(B).DeliverAll();
        var frames = s.Frames.ToList();
        var text = frames.Single(f => f.From == A && f.Seg.Length > 0);
        var fin = frames.Single(f => f.From == A && f.Seg.IsFin);
        frames[frames.IndexOf(text)] = text with { Seg = text.Seg with { Flags = text.Seg.Flags | TcpFlags.Fin } };
        frames.Remove(fin);
        // B's acknowledgments of the text alone would now lag: keep them, they are cumulative ACKs.
        Conform.AssertConforms(frames);
    }

    [Theory, MemberData(nameof(Taps))]
    public void A_capture_that_begins_mid_connection(int tap)
    {
        var s = Established(tap);
        s.Send(A, 100).DeliverAll().Send(B, 50).DeliverAll().Close(B).DeliverAll().Close(A).DeliverAll();
        var frames = s.Frames.Skip(3).ToList();
        var v = Conform.AssertConforms(frames);
        Assert.True(v.Connections[0].Connection.MidStream);
        Assert.Contains(v.Connections[0].A.Result.Notes, n => n.Contains("no SYN was captured"));
        Assert.StartsWith("ESTABLISHED", v.Connections[0].B.Result.States);
    }

    [Fact]
    public void A_capture_that_begins_after_the_syn()
    {
        var s = Established(A);
        s.Send(A, 10).DeliverAll();
        var v = Conform.AssertConforms(s.Frames.Skip(1));
        Assert.Contains(v.Connections[0].B.Result.Notes, n => n.Contains("answers a SYN the capture does not hold"));
        Assert.Contains(v.Connections[0].A.Result.Notes, n => n.Contains("SYN is not in the capture"));
    }

    [Fact]
    public void A_four_tuple_used_again_after_time_wait_is_a_new_connection()
    {
        var s = Established(A);
        s.Close(B).DeliverAll().Close(A).DeliverAll();
        Assert.Equal(TcpState.TimeWait, s.State(B));
        var first = s.Frames.ToList();
        var t = first[^1].TimeMs;
        // Two seconds later: B's 2 MSL may have run out (ObserverOptions.MinTimeWait), so a new passive OPEN may answer.
        var again = Established(A, issA: 90_000, issB: 500_000);
        again.Send(A, 10).DeliverAll().Close(A).DeliverAll().Close(B).DeliverAll();
        var frames = first.Concat(again.Frames.Select(f => f with { TimeMs = f.TimeMs + t + 2000 })).ToList();
        var v = Conform.AssertConforms(frames, connections: 2);
        Assert.Equal(2, v.Connections[1].Connection.Incarnation);
        Assert.Contains(v.Connections[1].Notes, n => n.Contains("10.0.0.2:80 goes on from connection 1, where it ended in TIME-WAIT"));
        Assert.Equal(["LISTEN", "SYN-RECEIVED", "ESTABLISHED", "CLOSE-WAIT", "LAST-ACK", "CLOSED"], Assert.Single(v.Connections[1].B.Result.Sequences));
    }

    [Fact]
    public void An_old_duplicate_syn_reaching_time_wait_is_answered_by_the_time_wait_tcb()
    {
        // B closed first and is in TIME-WAIT (SND.NXT 302, RCV.NXT 102). An old SYN of A's, below
        // RCV.NXT, arrives: the splitter makes it a new connection, but the 4-tuple still belongs to
        // B's TIME-WAIT TCB, and its acknowledgment (a challenge ACK, §3.10.7.4 fourth) conforms.
        var s = Established(A);
        s.Close(B).DeliverAll().Close(A).DeliverAll();
        var frames = s.Frames.ToList();
        double t = frames[^1].TimeMs;
        frames.Add(new Frame(t + 100, A, new Segment(50, 0, TcpFlags.Syn, 8192, 0)));
        frames.Add(new Frame(t + 101, B, new Segment(302, 102, TcpFlags.Ack, 8192, 0)));
        var v = Conform.AssertConforms(frames, connections: 2);
        Assert.Equal("TIME-WAIT", v.Connections[1].B.Result.States);
        Assert.Contains(v.Connections[1].Notes, n => n.Contains("10.0.0.2:80 goes on from connection 1, where it ended in TIME-WAIT"));
    }

    private static long FrameOf(Sim s, int from, Func<Frame, bool> pick) => s.Frames.FindIndex(f => f.From == from && pick(f)) + 1;
}
