using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// A sender does not sit on what it may send: queued text goes out when nothing is in flight and
/// the window takes it, and the FIN follows the last text of a closed connection.
/// </summary>
public sealed class SendProgress : IProperty
{
    public string Name => "send-progress";
    public StepFacts Interest => StepFacts.EngineStep;

    public string Description =>
        "After every move, a host whose SYN is acknowledged and that has nothing in flight (SND.UNA = SND.NXT) holds no queued text the send window takes (at least all of it or a full segment: RFC 9293 §3.10.2 SEND \"segmentize the buffer and send it\"; Nagle, §3.7.4, and sender SWS avoidance, §3.8.6.2.1, both send then); and a host whose user closed (FIN-WAIT-1, CLOSING, LAST-ACK) has sent its FIN once all its text is sent (§3.10.4).";

    public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
    {
        var s = model.States;
        if (log.Steps.Count != 1) return null; // only a host's engine step moves its TCB
        int h = log.Steps[0].Host;
        ref readonly var ep = ref HostStep.EndpointOf(after, h);
        int st = (int)ep.State;
        bool closed = st == s.FinWait1 || st == s.Closing || st == s.LastAck;
        if (!closed && st != s.Established && st != s.CloseWait) return null;
        uint textSent = ep.SndNxt - ep.Iss - 1; // SND.NXT past the SYN and, if sent, the FIN
        if (closed && textSent == ep.SndWritten)
            return $"{model.Scenario.HostNames[h]} is in {s.Name(ep.State)} and has sent all {ep.SndWritten} octet(s) of its text, but not its FIN (SND.NXT={ep.SndNxt})";
        if (!Seq.Gt(ep.SndUna, ep.Iss) || ep.SndUna != ep.SndNxt || !Seq.Lt(textSent, ep.SndWritten)) return null;
        uint pending = ep.SndWritten - textSent;
        if (ep.SndWnd >= Math.Min(pending, (uint)model.Config.Mss))
            return $"{model.Scenario.HostNames[h]} in {s.Name(ep.State)} has {pending} octet(s) of queued text, nothing in flight and a send window of {ep.SndWnd}, but sent none of it";
        return null;
    }
}
