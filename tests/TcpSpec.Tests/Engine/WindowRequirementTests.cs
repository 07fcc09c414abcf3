using TcpSpec.Protocol;
using static TcpSpec.Tests.Engine.Out;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// Window and acceptability requirements of RFC 9293 that the state tests do not name: a send
/// window that shrinks (§3.8.6, MUST-34, SHLD-15), our own window never shrinking (SHLD-14), a RST
/// that carries data (§3.5.3, SHLD-2) and RFC 5961 §5's ACK acceptability against blind data
/// injection (§3.10.7.4 fifth, MAY-12).
/// </summary>
public class WindowRequirementTests : EngineTest
{
    /// <summary>ESTABLISHED after SEND 1000 into the peer's 1024-octet window: 536 + 464 octets in flight.</summary>
    private static Conn WithThousandInFlight()
    {
        var c = At(Fixtures.Established());
        c.Send(1000);
        Assert.Equal(Iss + 1001, c.Ep.SndNxt);
        return c;
    }

    [Fact]
    public void A_window_above_32767_is_unsigned()
    {
        // §3.1 (MUST-1): a window of 65535 is 65535, not -1: SEND 40000 goes out at once.
        var c = At(Fixtures.Established(), TcpConfig.Default with { Mss = 65535 });
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 1, window: 65535));
        Assert.Equal(65535, c.Ep.SndWnd);
        c.Send(40000).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established,
            sent: [Psh(Iss + 1, Irs + 1, len: 40000)], timers: [Arm(TimerKind.Retransmit, Rto)]);
    }

    [Fact]
    public void A_shrunk_window_sends_no_new_data_past_its_right_edge()
    {
        // The peer acknowledges 536 octets and offers 100: the right edge (637) is now left of
        // SND.NXT (1101). New data must wait (SHLD-15) and the usable window is 0, not negative (MUST-34).
        var c = WithThousandInFlight();
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 537, window: 100)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            timers: [Arm(TimerKind.Retransmit, Rto)]);
        Assert.Equal(100, c.Ep.SndWnd);
        c.Send(10).Is(Row(TcpState.Established, TcpEvent.Send), TcpState.Established);
        Assert.Equal(1010u, c.Ep.SndWritten);
        Assert.Equal(Iss + 1001, c.Ep.SndNxt);
    }

    [Fact]
    public void Our_right_window_edge_never_moves_left()
    {
        // SHLD-14: RCV.NXT + RCV.WND as advertised in our ACKs never decreases, whatever arrives.
        var c = At(Fixtures.Established());
        uint edge = c.Ep.RcvNxt + c.Ep.RcvWnd;
        foreach (var seg in new[]
        {
            Peer.Ack(Irs + 1, ack: Iss + 1, len: 500),
            Peer.Ack(Irs + 501, ack: Iss + 1, len: 1000),
            Peer.Ack(Irs + 1, ack: Iss + 1, len: 100),      // old: acknowledged again
            Peer.Ack(Irs + 9000, ack: Iss + 1, len: 10),    // beyond the window: acknowledged
            Peer.Ack(Irs + 1501, ack: Iss + 1, len: 4000),
        })
        {
            c.Arrive(seg);
            foreach (var ack in c.Runtime.Effects.Segments.ToArray().Where(s => s.IsAck))
            {
                uint advertised = ack.Ack + ack.Window;
                Assert.True(Seq.Ge(advertised, edge), $"right edge moved left from {edge} to {advertised} after {seg}");
                edge = advertised;
            }
        }
        Assert.Equal(Irs + 5501, c.Ep.RcvNxt);
    }

    [Fact]
    public void Rst_carrying_data_resets_the_connection()
    {
        // §3.5.3 (SHLD-2): a RST may carry data (a diagnostic); its text is not delivered, the reset is processed.
        var c = At(Fixtures.Established());
        c.Arrive(new Segment(Irs + 1, 0, TcpFlags.Rst, 0, 20, Peer.TagAt(Irs + 1))).Is(Row(TcpState.Established, TcpEvent.Rst), TcpState.Closed,
            notices: [Note(NoticeKind.ConnectionReset)]);
    }

    [Fact]
    public void Ack_far_below_snd_una_with_data_is_dropped_with_a_challenge_ack()
    {
        // RFC 5961 §5.2: SEG.ACK must be in [SND.UNA - MAX.SND.WND, SND.NXT]. An ACK two billion
        // below SND.UNA is a blind injection attempt: its text is not accepted.
        var c = WithThousandInFlight();
        uint blind = c.Ep.SndUna - 2_000_000_000u;
        c.Arrive(Peer.Ack(Irs + 1, ack: blind, len: 10)).Is(Row(TcpState.Established, TcpEvent.Ack, "AckTooOld"), TcpState.Established,
            sent: [Ack(Iss + 1001, Irs + 1)]);
        Assert.Equal(Irs + 1, c.Ep.RcvNxt);
        Assert.Equal(0u, c.Ep.RcvBuffered);
    }

    [Fact]
    public void Ack_within_max_snd_wnd_below_snd_una_is_an_old_duplicate_and_its_text_is_taken()
    {
        // MAX.SND.WND is 1024 (the peer's window): SND.UNA - 1024 is still acceptable, one less is not.
        var start = Fixtures.Established();
        start.SndUna = Iss + 2001;
        start.SndNxt = Iss + 2001;
        start.SndWritten = 2000;
        start.SndWl2 = Iss + 2001;
        var c = At(start);
        c.Arrive(Peer.Ack(Irs + 1, ack: Iss + 2001 - 1024, len: 10)).Is(Row(TcpState.Established, TcpEvent.Ack), TcpState.Established,
            sent: [Ack(Iss + 2001, Irs + 11)], notices: [Out.Text(Peer.TagAt(Irs + 1), 10)]);
        c.Arrive(Peer.Ack(Irs + 11, ack: Iss + 2001 - 1025, len: 10)).Is(Row(TcpState.Established, TcpEvent.Ack, "AckTooOld"), TcpState.Established,
            sent: [Ack(Iss + 2001, Irs + 11)]);
    }

    [Theory]
    [InlineData(TcpState.FinWait1)]
    [InlineData(TcpState.CloseWait)]
    [InlineData(TcpState.LastAck)]
    public void Fin_with_a_blind_ack_is_dropped_with_a_challenge_ack(TcpState state)
    {
        var ep = Fixtures.In(state);
        var c = At(ep);
        c.Arrive(Peer.FinAck(ep.RcvNxt, ack: ep.SndUna - 1_000_000, len: 5)).Is(Row(state, TcpEvent.FinAck, "AckTooOld"), state,
            sent: [Ack(ep.SndNxt, ep.RcvNxt)]);
        EndpointAssert.Equal(ep, c.Ep);
    }
}
