using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// What a host does with the SENDs and the CLOSE its application issues before the connection is
/// established (RFC 9293 §3.10.2 and §3.10.4, SYN-SENT and SYN-RECEIVED): it queues them, and once
/// established it sends the text first and the FIN after it, never a FIN before the last octet.
/// Judged against the application's own record (<see cref="HostState.Sent"/>, its script), not the table.
/// </summary>
public static class QueuedUntilEstablished
{
    public static readonly IProperty HeldInSynReceived = new NothingSentBeforeEstablished();
    public static readonly IProperty FinAfterText = new FinFollowsAllText();

    public static IReadOnlyList<IProperty> All { get; } = [HeldInSynReceived, FinAfterText];

    /// <summary>Has the host's application issued CLOSE (a Close op before its script's counter)?</summary>
    private static bool CloseIssued(TwoHostModel model, int host, in HostState h)
    {
        var script = model.Scenario.Script(host);
        for (int i = 0; i < h.Pc && i < script.Length; i++)
            if (script[i].Kind == OpKind.Close) return true;
        return false;
    }

    private static bool SentFin(StepLog log, int host)
    {
        foreach (var f in log.Sent)
            if (f.From == host && f.Seg.IsFin) return true;
        return false;
    }

    private sealed class NothingSentBeforeEstablished : IProperty
    {
        public string Name => "queued-in-syn-received";
        public StepFacts Interest => StepFacts.Sent | StepFacts.StateChange;
        public string Description => "In SYN-RECEIVED a host sends no text and no FIN: SENDs and a CLOSE wait for ESTABLISHED; when it leaves SYN-RECEIVED for a synchronized state after its application's CLOSE, it sends its FIN in that step and goes on (FIN-WAIT-1, or further), not to ESTABLISHED or CLOSE-WAIT (RFC 9293 §3.10.2, §3.10.4 SYN-RECEIVED).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            var s = model.States;
            for (int h = 0; h < 2; h++)
            {
                if ((int)HostStep.EndpointOf(before, h).State != s.SynReceived) continue;
                var to = HostStep.EndpointOf(after, h).State;
                string who = model.Scenario.HostNames[h];
                if ((int)to == s.SynReceived)
                {
                    foreach (var f in log.Sent)
                        if (f.From == h && (f.Seg.Length > 0 || f.Seg.IsFin))
                            return $"{who} in SYN-RECEIVED sent {f.Seg}: text and a FIN must wait until the connection is ESTABLISHED";
                }
                else if (!s.Idle(to) && CloseIssued(model, h, h == 0 ? before.A : before.B))
                {
                    if ((int)to == s.Established || (int)to == s.CloseWait)
                        return $"{who} left SYN-RECEIVED for {s.Name(to)} although its application had called CLOSE: the queued CLOSE must send a FIN once synchronized";
                    if (!SentFin(log, h)) return $"{who} left SYN-RECEIVED for {s.Name(to)} with its application's CLOSE queued and sent no FIN";
                }
            }
            return null;
        }
    }

    private sealed class FinFollowsAllText : IProperty
    {
        public string Name => "fin-after-text";
        public StepFacts Interest => StepFacts.Sent;
        public string Description => "A FIN a host sends follows every octet its application handed to SEND in the connection: SEG.SEQ + SEG.LEN(text) = ISS + 1 + the octets sent (RFC 9293 §3.10.4: all preceding SENDs are segmentized and sent before the FIN).";

        public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
        {
            foreach (var f in log.Sent)
            {
                if (!f.Seg.IsFin || f.Seg.IsRst || f.Incarnation == Forgery.Incarnation) continue;
                ref readonly var h = ref f.From == 0 ? ref after.A : ref after.B;
                if (f.Incarnation != h.Incarnation) continue; // not this host's own segment
                uint want = h.Ep.Iss + 1 + h.Sent;
                if (f.Seg.Seq + f.Seg.Length != want)
                    return $"{model.Scenario.HostNames[f.From]} sent {f.Seg}, a FIN at {f.Seg.Seq + f.Seg.Length}, but its application's {h.Sent} octet(s) end at ISS + 1 + {h.Sent} = {want}";
            }
            return null;
        }
    }
}
