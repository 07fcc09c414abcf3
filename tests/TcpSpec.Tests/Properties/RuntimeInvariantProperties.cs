using FsCheck;
using FsCheck.Fluent;
using TcpSpec.Protocol;
using TcpSpec.Tests.Properties.Model;

namespace TcpSpec.Tests.Properties;

/// <summary>
/// Invariants of the runtime over random runs from every state: every step is decided by a row
/// of its own (state, event) cell, SND.UNA =&lt; SND.NXT, a CLOSED endpoint holds no timer, and
/// the recorded state change is the real one.
/// </summary>
public class RuntimeInvariantProperties
{
    [Theory]
    [MemberData(nameof(StartStates.States), MemberType = typeof(StartStates))]
    public void Every_step_is_decided_and_keeps_the_sequence_variables_ordered(TcpState state)
    {
        var property = Prop.ForAll(Generators.ArbRuns(state), run =>
        {
            var runtime = new TcpRuntime(TestEngines.Generated, run.Config);
            var ep = run.Start.Endpoint;
            for (int k = 0; k < run.Ops.Count; k++)
            {
                var op = run.Ops[k];
                var before = ep;
                var ev = op.EventFor(before);
                int row = op.Apply(runtime, ref ep);
                string where = $"step {k} ({op}, {ev}) from {before} to {ep}";
                Assert.True(row != 0, $"undecided cell: {where}");
                Assert.Equal(row, runtime.Effects.Row);
                Assert.True(CellOf(before.State, ev).Contains(row), $"row {row} is not in the cell of {where}");
                Assert.True(UnackedSpanValid(ep), $"SND.UNA > SND.NXT after {where}");
                if (ep.State == TcpState.Closed) Assert.True(ep.Timers == TimerKind.None, $"timers left in CLOSED after {where}");
                var change = runtime.Effects.StateChange;
                if (before.State == ep.State) Assert.Null(change);
                else Assert.Equal(new Transition(before.State, ep.State, ev, row), change);
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }

    public static IEnumerable<object[]> Events => Enum.GetValues<TcpEvent>().Select(e => new object[] { e });

    /// <summary>Every event in every start, with segments at the expected numbers and around them, is decided by a row of its cell.</summary>
    [Theory]
    [MemberData(nameof(Events))]
    public void Every_event_is_decided_from_every_start(TcpEvent ev)
    {
        var runtime = new TcpRuntime(TestEngines.Generated);
        foreach (var start in StartStates.All)
        {
            foreach (var seg in SegmentsFor(ev, start.Endpoint))
            {
                var ep = start.Endpoint;
                int row = runtime.Step(ref ep, ev, seg, amount: 100);
                Assert.True(row != 0, $"undecided: {ev} with {seg} in {start}");
                Assert.Contains(row, CellOf(start.Endpoint.State, ev));
                Assert.True(UnackedSpanValid(ep), $"SND.UNA > SND.NXT after {ev} with {seg} in {start}");
            }
        }
    }

    /// <summary>
    /// SND.UNA =&lt; SND.NXT, checked without the ambiguity of modular comparison at a distance of
    /// 2^31: the span from SND.UNA to SND.NXT is at most everything ever sent (SYN, text, FIN).
    /// </summary>
    internal static bool UnackedSpanValid(in Endpoint ep) => unchecked(ep.SndNxt - ep.SndUna) <= (ulong)ep.SndWritten + 2;

    private static int[] CellOf(TcpState state, TcpEvent ev) => TcpMachine.CellRows[(int)state * TcpMachine.EventNames.Count + (int)ev];

    /// <summary>Segments of event <paramref name="ev"/> (a default one for calls and timeouts) at and around the numbers the endpoint expects.</summary>
    private static IEnumerable<Segment> SegmentsFor(TcpEvent ev, Endpoint ep)
    {
        TcpFlags? flags = ev switch
        {
            TcpEvent.Syn => TcpFlags.Syn,
            TcpEvent.SynAck => TcpFlags.Syn | TcpFlags.Ack,
            TcpEvent.SynFin => TcpFlags.Syn | TcpFlags.Fin,
            TcpEvent.Ack => TcpFlags.Ack,
            TcpEvent.Fin => TcpFlags.Fin,
            TcpEvent.FinAck => TcpFlags.Fin | TcpFlags.Ack,
            TcpEvent.Rst => TcpFlags.Rst,
            TcpEvent.RstAck => TcpFlags.Rst | TcpFlags.Ack,
            TcpEvent.Bare => TcpFlags.None,
            _ => null,
        };
        if (flags is not { } f)
        {
            yield return default;
            yield break;
        }
        foreach (var seq in new[] { ep.RcvNxt, ep.RcvNxt - 1, ep.RcvNxt + 1, ep.RcvNxt + ep.RcvWnd, ep.Irs, 0u })
        foreach (var ack in new[] { ep.SndNxt, ep.SndUna, ep.SndNxt + 1, ep.Iss, 0u })
        foreach (ushort len in new ushort[] { 0, 10 })
            yield return new Segment(seq, ack, f, 8192, len, 0x7700_0000);
        if (ev == TcpEvent.SynFin)
        {
            foreach (var ack in new[] { ep.SndNxt, ep.Iss })
                yield return new Segment(ep.RcvNxt, ack, f | TcpFlags.Ack, 8192, 0); // SYN-FIN with an ACK
        }
    }
}
