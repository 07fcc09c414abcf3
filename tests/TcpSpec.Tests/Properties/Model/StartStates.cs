using TcpSpec.Tests.Scenarios.Harness;

namespace TcpSpec.Tests.Properties.Model;

/// <summary>An endpoint to start a random run from, and how it was reached.</summary>
public sealed record Start(string Name, Endpoint Endpoint)
{
    public override string ToString() => $"{Name}: {Endpoint}";
}

/// <summary>
/// Endpoints in every one of the 11 states, reached by short scripted prefixes on the two-host
/// harness (with the generated engine): several per state, with and without text in flight,
/// text buffered, a queued FIN, retransmissions, and with sequence numbers about to wrap.
/// </summary>
public static class StartStates
{
    private static readonly Lazy<IReadOnlyList<Start>> AllStarts = new(Build);

    public static IReadOnlyList<Start> All => AllStarts.Value;

    public static IReadOnlyList<Start> For(TcpState state) => All.Where(s => s.Endpoint.State == state).ToList();

    public static IEnumerable<object[]> States => Enum.GetValues<TcpState>().Select(s => new object[] { s });

    private static IReadOnlyList<Start> Build()
    {
        var list = new List<Start>();
        foreach (var (issA, issB) in new[] { (100u, 300u), (0xFFFF_FF80u, 0x7FFF_FFF0u) })
        {
            string n = $"ISS {issA}/{issB}";
            void Add(string what, Host h) => list.Add(new Start($"{n} {h.Name} {what}", h.Endpoint));

            // CLOSED, LISTEN, SYN-SENT
            var w = new Wire(issA, issB);
            Add("fresh", w.A);
            w.B.OpenPassive();
            Add("passive OPEN", w.B);
            w.A.OpenActive();
            Add("active OPEN", w.A);
            w.A.Send(700);
            Add("active OPEN, SEND queued", w.A);
            w.A.Expire(TimerKind.Retransmit);
            Add("active OPEN, SYN retransmitted", w.A);

            var f = new Wire(issA, issB);
            f.A.OpenPassive(foreignSpecified: true);
            Add("passive OPEN, foreign specified", f.A);
            f.A.Send(10);
            Add("SEND after a passive OPEN", f.A);

            // SYN-RECEIVED, passive and active
            w.Deliver(w.B);
            Add("SYN received", w.B);
            w.B.Send(20);
            w.B.Expire(TimerKind.Retransmit);
            Add("SYN received, SEND queued, SYN,ACK retransmitted", w.B);
            var r = new Wire(issA, issB);
            r.B.OpenPassive();
            r.A.OpenActive();
            r.Deliver(r.B);
            for (int i = 0; i < TcpConfig.Default.MaxRetransmissions - 1; i++) r.B.Expire(TimerKind.Retransmit);
            Add("SYN received, SYN,ACK retransmitted all but once", r.B);
            var s = new Wire(issA, issB);
            s.A.OpenActive();
            s.B.OpenActive();
            s.Deliver(s.A);
            Add("simultaneous open", s.A);

            // ESTABLISHED
            w.DeliverAll();
            Add("established, text from the peer buffered", w.A);
            Add("established", w.B);
            var e = Wire.Established(issA, issB);
            e.A.Send(1000);
            Add("established, text in flight", e.A);
            e.Drop(e.B);
            e.A.Expire(TimerKind.Retransmit);
            e.A.Expire(TimerKind.Retransmit);
            Add("established, text retransmitted twice", e.A);
            e.DeliverAll(); // the retransmission fills the gap before the second segment, which B held (SHLD-31)
            Add("established, peer's text buffered", e.B);

            // FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, LAST-ACK, TIME-WAIT (Figure 12)
            var c = Wire.Established(issA, issB);
            c.A.Send(600);
            c.A.Close();
            Add("closed with text and FIN in flight", c.A);
            c.DeliverAll();
            Add("FIN acknowledged", c.A);
            Add("peer's FIN received", c.B);
            c.B.Send(30);
            Add("peer's FIN received, text in flight", c.B);
            c.DeliverAll();
            Add("FIN acknowledged, text buffered", c.A);
            c.B.Close();
            Add("closed after the peer", c.B);
            c.Deliver(c.A);
            Add("both FINs done", c.A);
            c.Drop(c.B); // the last ACK is lost
            c.B.Expire(TimerKind.Retransmit);
            Add("closed after the peer, FIN retransmitted", c.B);
            c.DeliverAll();
            c.A.Expire(TimerKind.TimeWait);
            Add("after a connection", c.A);
            Add("after a connection (passive side)", c.B);

            // CLOSING and TIME-WAIT by simultaneous close (Figure 13)
            var sc = Wire.Established(issA, issB);
            sc.A.Close();
            Add("closed, nothing in flight", sc.A);
            sc.B.Close();
            sc.Deliver(sc.A);
            sc.Deliver(sc.B);
            Add("simultaneous close", sc.A);
            Add("simultaneous close", sc.B);
            sc.DeliverAll();
            Add("simultaneous close done", sc.B);
        }
        return list;
    }
}
