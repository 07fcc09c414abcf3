using FsCheck;
using FsCheck.Fluent;
using TcpSpec.Tests.Properties.Model;
using TcpSpec.Tests.Scenarios.Harness;

namespace TcpSpec.Tests.Properties;

/// <summary>
/// End to end over a bad network: A connects to B, then segments are delivered out of order,
/// lost and duplicated while both users send and close at random; then the network turns
/// reliable and timers fire until nothing moves. Text arrives exactly once and in order, and,
/// unless the connection failed (see <see cref="Broken"/>), all of it arrives.
/// </summary>
public class TwoHostStreamProperties
{
    private static IEnumerable<NetAction[]> Shrink(NetAction[] actions)
    {
        if (actions.Length == 0) yield break;
        yield return actions[..(actions.Length / 2)];
        for (int i = 0; i < actions.Length; i++) yield return actions.Where((_, j) => j != i).ToArray();
    }

    /// <summary>
    /// The connection failed for this host, so what it queued may rightly be lost: it was reset,
    /// refused or gave up, a reset sent its SYN-RECEIVED back to LISTEN, or its user closed
    /// before the connection existed (CLOSE in LISTEN or SYN-SENT deletes the TCB).
    /// </summary>
    private static bool Broken(Host h) =>
        h.Notices.Any(n => n.Kind is NoticeKind.ConnectionReset or NoticeKind.ConnectionRefused or NoticeKind.RetransmitTimeout)
        || h.Steps.Any(s => (s.Before == TcpState.SynReceived && s.After == TcpState.Listen)
            || (s.Cause == "CLOSE" && s.Before is TcpState.Listen or TcpState.SynSent));

    [Fact]
    public void Text_arrives_exactly_once_in_order_over_a_lossy_reordering_network()
    {
        var runs = Gen.Choose(0, 60).SelectMany(n => Gen.ArrayOf(NetAction.Gen, n));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Arb.From(runs, Shrink), actions =>
        {
            var w = new Wire(issA: 100, issB: 300);
            w.B.OpenPassive();
            w.A.OpenActive();
            foreach (var a in actions) a.Apply(w);
            TextStream.AssertInOrderOnce(w.A, w.B);
            TextStream.AssertInOrderOnce(w.B, w.A);

            // The network heals and the applications read what waits (a full receive buffer closes
            // the window): deliver everything, let retransmission and persist timers fire when the wire is empty.
            for (int step = 0; ; step++)
            {
                Assert.True(step < 5000, "the hosts never settle");
                if (w.A.Endpoint.RcvBuffered > 0) w.A.Receive();
                else if (w.B.Endpoint.RcvBuffered > 0) w.B.Receive();
                else if (w.InFlightCount > 0) w.DeliverAll();
                else if ((w.A.Endpoint.Timers & TimerKind.Persist) != 0) w.A.Expire(TimerKind.Persist);
                else if ((w.B.Endpoint.Timers & TimerKind.Persist) != 0) w.B.Expire(TimerKind.Persist);
                else if ((w.A.Endpoint.Timers & TimerKind.Retransmit) != 0) w.A.Expire(TimerKind.Retransmit);
                else if ((w.B.Endpoint.Timers & TimerKind.Retransmit) != 0) w.B.Expire(TimerKind.Retransmit);
                else break;
            }

            TextStream.AssertInOrderOnce(w.A, w.B);
            TextStream.AssertInOrderOnce(w.B, w.A);
            if (!Broken(w.A) && !Broken(w.B))
            {
                TextStream.AssertDelivered(w.A, w.B);
                TextStream.AssertDelivered(w.B, w.A);
            }
        }));
    }
}
