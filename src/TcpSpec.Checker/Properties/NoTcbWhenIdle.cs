using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;

namespace TcpSpec.Checker.Properties;

/// <summary>
/// CLOSED "represents the state when there is no TCB, and therefore, no connection" (RFC 9293
/// §3.3.2); LISTEN waits for a connection request and holds none. After every move a host in
/// either state keeps nothing of a connection: no sequence variables, no queued text, no timers.
/// </summary>
public sealed class NoTcbWhenIdle : IProperty
{
    public string Name => "no-tcb-when-idle";
    public StepFacts Interest => StepFacts.EngineStep;

    public string Description =>
        "A host in CLOSED has no TCB (RFC 9293 §3.3.2: the TCB is deleted on the way there, §3.10.4, §3.10.5, §3.10.7); a host in LISTEN holds only its passive OPEN (§3.10.1), no connection's variables, queues or timers (§3.10.7.4 second: \"return to LISTEN\").";

    public string? CheckStep(TwoHostModel model, in World before, Move move, in World after, StepLog log)
    {
        if (log.Steps.Count != 1) return null; // only a host's engine step can leave a TCB behind (a crash leaves none)
        int h = log.Steps[0].Host;
        ref readonly var ep = ref HostStep.EndpointOf(after, h);
        if (model.States.Idle(ep.State))
        {
            var empty = Endpoint.Create(ep.NextIss, ep.StreamTag);
            empty.State = ep.State;
            if (model.States.Is(ep.State, model.States.Listen))
            {
                empty.Flags = ep.Flags & (EndpointFlags.Passive | EndpointFlags.ForeignSpecified);
                empty.RcvWnd = ep.RcvWnd;
            }
            if (!ep.Equals(empty))
                return $"{model.Scenario.HostNames[h]} is in {model.States.Name(ep.State)} but keeps a connection's TCB (ISS={ep.Iss}, IRS={ep.Irs}, SND.UNA={ep.SndUna}, SND.NXT={ep.SndNxt}, RCV.NXT={ep.RcvNxt}, queued {ep.SndWritten}, flags {ep.Flags}, timers {ep.Timers})";
        }
        return null;
    }
}
