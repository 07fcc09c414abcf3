using static TcpSpec.Conformance.Tests.Observer.Sim;

namespace TcpSpec.Conformance.Tests.Observer;

/// <summary>
/// Captures of the engine edited so that one endpoint does something the spec does not allow:
/// the observer must flag that very segment, name the states the endpoint can be in, and say
/// for each row that could have sent it why it did not.
/// </summary>
public class FlaggedScenarioTests
{
    private static int Index(List<Frame> frames, Frame f) => frames.IndexOf(f) + 1;

    /// <summary>The id of the built-in table's row with this description.</summary>
    private static int Row(string description) => TcpMachine.Rows.Single(r => r.Description == description).Id;

    [Fact]
    public void A_syn_ack_with_a_wrong_acknowledgment()
    {
        var s = Established(A);
        s.Send(A, 10).DeliverAll();
        var frames = s.Frames.ToList();
        Assert.Equal("<SEQ=300><ACK=101><CTL=SYN,ACK>", frames[1].Seg.ToString());
        frames[1] = frames[1] with { Seg = frames[1].Seg with { Ack = 102 } };

        var (f, report, _) = Conform.AssertFlags(frames, B, 2);
        Assert.Equal("<SEQ=300><ACK=102><CTL=SYN,ACK>", f.Segment.ToString());
        Assert.Contains("SYN-RECEIVED", f.States);
        Assert.Contains("In SYN-RECEIVED (after #1): ISS=300 SND.UNA=300 SND.NXT=301 IRS=100 RCV.NXT=101", f.Explanation);
        Assert.Contains($"owed since #1 by R{Row("LISTEN × SYN, SYN-FIN / AcceptSyn, HoldText, SelectIss, SendSynAck → SYN-RECEIVED")} LISTEN × SYN, SYN-FIN / AcceptSyn, HoldText, SelectIss, SendSynAck → SYN-RECEIVED: <SEQ=300><ACK=101><CTL=SYN,ACK>: ACK=102 is beyond RCV.NXT=101: it acknowledges sequence numbers B never received", f.Explanation);
        // The retransmission timer would send the same SYN,ACK: the rows of that cell, in order.
        Assert.Contains("RETRANSMIT-TIMEOUT (SYN-RECEIVED × RETRANSMIT-TIMEOUT):", f.Explanation);
        int toListen = Row("SYN-RECEIVED × RETRANSMIT-TIMEOUT [RetriesExhausted & PassiveOpen] / ReturnToListen → LISTEN");
        int giveUp = Row("SYN-RECEIVED × RETRANSMIT-TIMEOUT [RetriesExhausted] / SignalTimeout, SendReset, DeleteTcb → CLOSED");
        int retransmit = Row("SYN-RECEIVED × RETRANSMIT-TIMEOUT / Retransmit → same");
        Assert.Contains($"R{toListen} SYN-RECEIVED × RETRANSMIT-TIMEOUT [RetriesExhausted & PassiveOpen] / ReturnToListen → LISTEN: only once R2 is reached; then sends nothing (→ LISTEN)", f.Explanation);
        Assert.Contains($"R{giveUp} SYN-RECEIVED × RETRANSMIT-TIMEOUT [RetriesExhausted] / SignalTimeout, SendReset, DeleteTcb → CLOSED: only once R2 is reached, and then R{toListen} fires first", f.Explanation);
        Assert.Contains($"R{retransmit} SYN-RECEIVED × RETRANSMIT-TIMEOUT / Retransmit → same: fires; would send <SEQ=300><ACK=101><CTL=SYN,ACK>: ACK=102 is beyond RCV.NXT=101", f.Explanation);
        // The other candidate: no listener, so the SYN was answered with a reset.
        Assert.Contains("In CLOSED (after #1):", f.Explanation);
        Assert.Contains("NOT CONFORMING: B 10.0.0.2:80 sends #2 at 0.002000 s: <SEQ=300><ACK=102><CTL=SYN,ACK>", report);
    }

    [Fact]
    public void A_fin_that_acknowledges_text_never_sent()
    {
        var s = Established(A);
        s.Send(A, 100).DeliverAll().Close(A).DeliverAll();
        var frames = s.Frames.ToList();
        var fin = frames.Single(x => x.From == A && x.Seg.IsFin);
        Assert.Equal(301u, fin.Seg.Ack);
        frames[frames.IndexOf(fin)] = fin with { Seg = fin.Seg with { Ack = 351 } };

        var (f, _, _) = Conform.AssertFlags(frames, A, Index(frames, frames.Single(x => x.From == A && x.Seg.IsFin)));
        Assert.Equal(["ESTABLISHED"], f.States);
        Assert.Contains($"R{Row("SYN-RECEIVED, ESTABLISHED × CLOSE / QueueFin, Transmit → FIN-WAIT-1")} SYN-RECEIVED, ESTABLISHED × CLOSE / QueueFin, Transmit → FIN-WAIT-1: fires; would send <SEQ=201><ACK=301><CTL=FIN,ACK>: ACK=351 is beyond RCV.NXT=301: it acknowledges sequence numbers A never received (→ FIN-WAIT-1)", f.Explanation);
    }

    [Fact]
    public void Text_after_the_fin()
    {
        var s = Established(A);
        s.Close(A).DeliverAll();
        Assert.Equal(TcpState.FinWait2, s.State(A));
        var frames = s.Frames.ToList();
        var last = frames[^1];
        var data = new Frame(last.TimeMs + 1, A, new Segment(102, 301, TcpFlags.Ack | TcpFlags.Psh, 8192, 10));
        frames.Add(data);

        var (f, _, _) = Conform.AssertFlags(frames, A, frames.Count);
        Assert.Equal(["FIN-WAIT-2"], f.States);
        Assert.Contains("SEND 10 (FIN-WAIT-2 × SEND):", f.Explanation);
        Assert.Contains($"R{Row("FIN-WAIT-1, FIN-WAIT-2, CLOSING, LAST-ACK, TIME-WAIT × SEND / ErrorClosing → same")} FIN-WAIT-1, FIN-WAIT-2, CLOSING, LAST-ACK, TIME-WAIT × SEND / ErrorClosing → same: fires; sends nothing (→ FIN-WAIT-2)", f.Explanation);
    }

    [Fact]
    public void Text_after_a_reset_tapped_at_the_client()
    {
        var s = Established(A);
        s.Send(A, 100).DeliverAll().Abort(B).DeliverAll();
        Assert.Equal(TcpState.Closed, s.State(A));
        var frames = s.Frames.ToList();
        var rst = frames[^1];
        Assert.True(rst.Seg.IsRst);
        frames.Add(new Frame(rst.TimeMs + 1, A, new Segment(201, 301, TcpFlags.Ack, 8192, 20)));

        var (f, report, v) = Conform.AssertFlags(frames, A, frames.Count);
        Assert.Equal(["CLOSED"], f.States);
        Assert.Contains("A can only be in CLOSED here", f.Explanation);
        Assert.Contains("In CLOSED (after #" + (frames.Count - 1) + ")", f.Explanation);
        Assert.True(v.Connections[0].B.Conforms, report);
        Assert.EndsWith("CLOSED (#" + (frames.Count - 1) + ")", v.Connections[0].A.Result.States);
    }

    [Fact]
    public void Text_that_crossed_a_reset_is_no_violation_when_the_tap_was_far_from_the_sender()
    {
        // Tapped at B: A's text is captured after B's RST, but A sent it before the RST reached A.
        var s = Established(B);
        s.Send(A, 100).DeliverAll().Abort(B);
        var frames = s.Frames.ToList();
        var rst = frames[^1];
        frames.Add(new Frame(rst.TimeMs + 1, A, new Segment(201, 301, TcpFlags.Ack, 8192, 20)));
        var v = Conform.Check(frames);
        Assert.True(v.Connections[0].A.Conforms, Conform.Report(v));
        // B, the tap's host, then owes a reset for the text; it needs none to conform.
        Assert.True(v.Connections[0].B.Conforms, Conform.Report(v));
    }

    [Fact]
    public void A_reset_from_nowhere()
    {
        var s = Established(A);
        s.Send(A, 10).DeliverAll();
        var frames = s.Frames.ToList();
        frames.Add(new Frame(frames[^1].TimeMs + 1, B, new Segment(5000, 0, TcpFlags.Rst, 0, 0)));
        var (f, _, _) = Conform.AssertFlags(frames, B, frames.Count);
        Assert.Contains($"R{Row("SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT × ABORT / SendReset, DeleteTcb → CLOSED")} SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT × ABORT / SendReset, DeleteTcb → CLOSED: fires; would send <SEQ=301><CTL=RST>: SEQ=5000, the row's is 301 (→ CLOSED)", f.Explanation);
    }

    [Fact]
    public void A_bare_ack_that_goes_back()
    {
        var s = Established(A);
        s.Send(B, 50).DeliverAll().Send(B, 50).DeliverAll();
        var frames = s.Frames.ToList();
        var lastAck = frames[^1];
        Assert.Equal(401u, lastAck.Seg.Ack);
        frames.Add(lastAck with { TimeMs = lastAck.TimeMs + 1, Seg = lastAck.Seg with { Ack = 351 } });
        var (f, _, _) = Conform.AssertFlags(frames, A, frames.Count);
        Assert.Contains("not a bare acknowledgment A may send on its own: ACK=351 goes back below the ACK=401 A already sent", f.Explanation);
    }
}
