using TcpSpec.Protocol;
using TcpSpec.Tests.Properties.Model;

namespace TcpSpec.Tests.Properties;

/// <summary>
/// The cases the random runs found at the edge of modular sequence arithmetic, kept as examples:
/// an acknowledgment exactly 2^31 away from SND.NXT while nothing is outstanding
/// (SND.UNA = SND.NXT). No SEG.ACK satisfies SND.UNA &lt; SEG.ACK =&lt; SND.NXT then
/// (RFC 9293 §3.4, §3.10.7.4 fifth), so SND.UNA must not move and nothing is retransmitted.
/// </summary>
public class SequenceWrapExamples
{
    [Theory]
    [InlineData(TcpState.Established)]
    [InlineData(TcpState.FinWait2)]
    [InlineData(TcpState.CloseWait)]
    public void An_ack_half_the_sequence_space_away_acknowledges_nothing(TcpState state)
    {
        var starts = StartStates.For(state).Where(s => s.Endpoint.SndUna == s.Endpoint.SndNxt).ToList();
        Assert.NotEmpty(starts);
        var runtime = new TcpRuntime();
        foreach (var start in starts)
        {
            foreach (var flags in new[] { TcpFlags.Ack, TcpFlags.Ack | TcpFlags.Fin })
            {
                var ep = start.Endpoint;
                var seg = new Segment(ep.RcvNxt, unchecked(ep.SndNxt + 0x8000_0000u), flags, 8192, 0);
                runtime.Arrive(ref ep, seg);
                string what = $"{seg} in {start} gave {ep}";
                Assert.True(start.Endpoint.SndUna == ep.SndUna, $"SND.UNA moved: {what}");
                Assert.True(start.Endpoint.SndNxt == ep.SndNxt, $"SND.NXT moved: {what}");
                Assert.True((ep.Timers & TimerKind.Retransmit) == 0, $"retransmission timer armed with nothing outstanding: {what}");
                Assert.True(RuntimeInvariantProperties.UnackedSpanValid(ep), what);
            }
        }
    }
}
