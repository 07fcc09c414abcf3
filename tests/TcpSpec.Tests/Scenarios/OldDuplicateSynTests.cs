using TcpSpec.Protocol;
using TcpSpec.Tests.Scenarios.Harness;

namespace TcpSpec.Tests.Scenarios;

/// <summary>RFC 9293 §3.5 Figure 8: recovery from an old duplicate SYN.</summary>
public class OldDuplicateSynTests
{
    [Fact]
    public void Figure8_recovery_from_old_duplicate_syn()
    {
        // B's ISN generator moves by 100 per connection, so its second SYN,ACK carries 400 as in the figure.
        var w = new Wire(issA: 100, issB: 300, configB: TcpConfig.Default with { IssStep = 100 });

        // 1. CLOSED / LISTEN
        w.B.OpenPassive();

        // 2. SYN-SENT --> <SEQ=100><CTL=SYN> ... (delayed)
        Assert.Equal("<SEQ=100><CTL=SYN>", w.A.OpenActive().Sent.ToString());
        var delayedSyn = w.Take(w.B);

        // 3. (duplicate) ... <SEQ=90><CTL=SYN> --> SYN-RECEIVED
        var line3 = w.Deliver(w.B, new Segment(90, 0, TcpFlags.Syn, 8192, 0));
        Assert.Equal(TcpState.SynReceived, w.B.State);

        // 4. SYN-SENT <-- <SEQ=300><ACK=91><CTL=SYN,ACK> <-- SYN-RECEIVED
        Assert.Equal("<SEQ=300><ACK=91><CTL=SYN,ACK>", line3.Sent.ToString());
        var line4 = w.Deliver(w.A);
        Assert.Equal(TcpState.SynSent, w.A.State);

        // 5. SYN-SENT --> <SEQ=91><CTL=RST> --> LISTEN
        Assert.Equal("<SEQ=91><CTL=RST>", line4.Sent.ToString());
        var line5 = w.Deliver(w.B);
        Assert.Equal(TcpState.Listen, w.B.State);
        Assert.Empty(line5.Segments);
        Assert.Empty(line5.Notices); // the user of a passive OPEN is not told
        Assert.Equal(TimerKind.None, w.B.Endpoint.Timers); // the SYN,ACK is no longer retransmitted

        // 6. ... <SEQ=100><CTL=SYN> --> SYN-RECEIVED
        var line6 = w.Deliver(w.B, delayedSyn);
        Assert.Equal(TcpState.SynReceived, w.B.State);

        // 7. ESTABLISHED <-- <SEQ=400><ACK=101><CTL=SYN,ACK> <-- SYN-RECEIVED
        Assert.Equal("<SEQ=400><ACK=101><CTL=SYN,ACK>", line6.Sent.ToString());
        var line7 = w.Deliver(w.A);
        Assert.Equal(TcpState.Established, w.A.State);

        // 8. ESTABLISHED --> <SEQ=101><ACK=401><CTL=ACK> --> ESTABLISHED
        Assert.Equal("<SEQ=101><ACK=401><CTL=ACK>", line7.Sent.ToString());
        w.Deliver(w.B);
        Assert.Equal(TcpState.Established, w.B.State);
        w.AssertQuiet();

        Assert.Equal(100u, w.B.Endpoint.Irs);
        w.A.Send(42);
        w.DeliverAll();
        TextStream.AssertDelivered(w.A, w.B);
    }
}
