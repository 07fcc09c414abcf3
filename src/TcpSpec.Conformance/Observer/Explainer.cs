using TcpSpec.Language;
using System.Text;
using TcpSpec.Conformance.Pcap;
using TcpSpec.Engines;

namespace TcpSpec.Conformance.Observer;

/// <summary>
/// Says why no candidate explains a sent segment: for each state the endpoint may be in, the
/// segments earlier rows emitted that it may still send and how each differs, the bare-ACK rule,
/// and for each user call or timeout that could send something, the rows of its (state, event)
/// cell in the order they are tried, with the guard that was false or the segment the row would
/// send and how it differs.
/// </summary>
internal static class Explainer
{
    private const int MaxShown = 4;
    private const TcpFlags Control = TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Rst | TcpFlags.Ack;

    /// <param name="m">The matcher that found no explanation (its stepper, hidden moves and depth).</param>
    /// <param name="name">The endpoint's name in the report (A or B).</param>
    /// <param name="reachable">The candidates before <paramref name="sent"/> with every received segment applied.</param>
    /// <param name="deferred">The received segments the observer also let cross <paramref name="sent"/>, if any.</param>
    public static Failure Explain(SegmentMatcher m, string name, IEnumerable<Candidate> reachable, (long First, long Last)? deferred, CapturedSegment sent)
    {
        var s = sent.Seg;
        var o = new View(m, name);
        var shown = new List<Candidate>();
        var seen = new HashSet<Endpoint>();
        foreach (var a in reachable)
        {
            if (seen.Add(a.Ep)) shown.Add(a);
        }
        var states = shown.Select(c => o.StateName((int)c.Ep.State)).Distinct().ToList();

        var sb = new StringBuilder();
        sb.Append(states.Count == 1
            ? $"{name} can only be in {states[0]} here, and no row of that state sends this segment."
            : $"{name} can be in {string.Join(" or ", states)} here, and none of them sends this segment.");
        sb.AppendLine();
        if (deferred is var (first, last) && first > 0)
            sb.AppendLine($"(segments #{first}{(last != first ? $"–#{last}" : "")} may not have reached {name} yet; the observer tried that too)");
        foreach (var c in shown.Take(MaxShown)) Candidate(o, sb, c, sent);
        if (shown.Count > MaxShown) sb.AppendLine($"… and {shown.Count - MaxShown} more candidate states.");
        sb.Append($"(Sequences of up to {o.HiddenDepth} user calls and timeouts were tried as well.)");
        return new Failure(sent.Index, sent.Time, s, states, sb.ToString());
    }

    private static void Candidate(View o, StringBuilder sb, Candidate c, CapturedSegment sent)
    {
        var s = sent.Seg;
        var ep = c.Ep;
        var name = o.SideName;
        string state = o.StateName((int)ep.State);
        sb.Append($"In {state}");
        if (c.History.Frame > 0) sb.Append($" (after #{c.History.Frame})");
        sb.Append(':');
        if (ep.Has(EndpointFlags.SynReceived) || ep.Iss != 0 || ep.SndNxt != 0)
        {
            sb.Append($" ISS={ep.Iss} SND.UNA={ep.SndUna} SND.NXT={ep.SndNxt}");
            if (ep.Has(EndpointFlags.SynReceived)) sb.Append($" IRS={ep.Irs} RCV.NXT={ep.RcvNxt}");
            if (c.HasSentHigh && c.SentHigh != ep.SndNxt) sb.Append($"; seen sending up to {c.SentHigh}");
            if (c.HasLastAck) sb.Append($"; last ACK sent {c.LastAck}");
        }
        sb.AppendLine();

        foreach (var owed in c.Owed)
        {
            var row = o.Row(owed.Row);
            string origin = owed.Frame > 0 ? $"#{owed.Frame}" : "the start";
            sb.AppendLine($"  - owed since {origin} by {RowText(row, owed.Row)}: {owed.Seg}: {Diff(c, s, owed.Seg, name)}");
        }
        if (CandidateStepper.IsPureAck(s))
            sb.AppendLine($"  - not a bare acknowledgment {name} may send on its own: {PureAckReason(o, c, s, name)}");

        foreach (var move in o.Moves(c, sent))
        {
            if (move.R2) continue;
            sb.AppendLine($"  - {move.Label} ({state} × {EventName(move.Event)}):");
            Cell(o, sb, c, sent, move);
        }
        if (!o.Moves(c, sent).Any(m => !m.R2))
            sb.AppendLine("  - no user call or timeout applies (no timer is armed)");
    }

    /// <summary>The rows of the (state, event) cell in order: guard false, the row that fires and what it sends, the rows never reached.</summary>
    private static void Cell(View o, StringBuilder sb, Candidate c, CapturedSegment sent, HiddenMoves.Move move)
    {
        var s = sent.Seg;
        var rows = o.CellRows((int)c.Ep.State, move.Event);
        var next = o.Step(c, move.Event, default, move.Amount, move.Label, sent.Index, false, out var emitted, out int fired);
        bool reached = false;
        foreach (int id in rows)
        {
            var row = o.Row(id);
            string text = RowText(row, id);
            if (reached)
            {
                sb.AppendLine($"      {text}: not reached");
                continue;
            }
            if (id != fired)
            {
                var failed = o.FalseTerms(c, move, id);
                bool r2 = failed.Count == 1 && failed[0] == "RetriesExhausted is false";
                if (r2 && move.Event == TcpEvent.RetransmitTimeout)
                {
                    var after = o.Step(c, move.Event, default, 0, move.Label, sent.Index, true, out var r2Emitted, out int r2Row);
                    sb.AppendLine(r2Row == id
                        ? $"      {text}: only once R2 is reached; then {Sends(c, s, r2Emitted, o.StateName((int)after.Ep.State), o.SideName)}"
                        : $"      {text}: only once R2 is reached, and then R{r2Row} fires first");
                    continue;
                }
                sb.AppendLine($"      {text}: guard false ({(failed.Count == 0 ? "?" : string.Join(", ", failed))})");
                continue;
            }
            reached = true;
            sb.AppendLine($"      {text}: fires; {Sends(c, s, emitted, o.StateName((int)next.Ep.State), o.SideName)}");
        }
        if (rows.Count == 0)
            sb.AppendLine(fired == 0 ? "      no row decides this cell" : $"      R{fired} fires; {Sends(c, s, emitted, o.StateName((int)next.Ep.State), o.SideName)}");
    }

    private static string Sends(Candidate c, Segment observed, Segment[] emitted, string nextState, string name)
    {
        if (emitted.Length == 0) return $"sends nothing (→ {nextState})";
        var parts = emitted.Select(e => $"{e}: {Diff(c, observed, e, name)}");
        return $"would send {string.Join(", then ", parts)} (→ {nextState})";
    }

    private static string RowText(TcpMachine.Row? row, int id) => row is null ? $"R{id}" : $"R{id} {row.Description}";

    private static string EventName(TcpEvent e) => TcpMachine.EventNames[(int)e];

    /// <summary>How the observed segment differs from what a row sends.</summary>
    internal static string Diff(Candidate c, in Segment observed, in Segment spec, string name)
    {
        var parts = new List<string>();
        var fo = observed.Flags & Control;
        var fs = spec.Flags & Control;
        if (fo != fs) parts.Add($"CTL={Segment.FlagText(fo)}, the row's is {Segment.FlagText(fs)}");
        if (observed.Seq != spec.Seq) parts.Add($"SEQ={observed.Seq}, the row's is {spec.Seq}");
        if (observed.IsAck && spec.IsAck)
        {
            if (spec.IsRst && observed.Ack != spec.Ack) parts.Add($"ACK={observed.Ack}, the row's is {spec.Ack}");
            else if (!spec.IsRst)
            {
                var why = AckReason(c, observed.Ack, name);
                if (why is not null) parts.Add(why);
            }
        }
        if (!spec.IsRst)
        {
            if (observed.Length > spec.Length) parts.Add($"{observed.Length} octets of text, the row's segment has {spec.Length}");
            else if (observed.Length < spec.Length && (observed.IsFin || observed.Length == 0))
                parts.Add($"{observed.Length} octets of text, the row's segment has {spec.Length}");
        }
        else if (observed.Length != 0) parts.Add($"{observed.Length} octets of text on a reset");
        return parts.Count == 0 ? "the same segment, but the observer's acknowledgment rule or the owed segments' order rule it out" : string.Join("; ", parts);
    }

    /// <summary>Why an acknowledgment number is outside last-ACK-sent =&lt; SEG.ACK =&lt; RCV.NXT, or null if it is inside.</summary>
    internal static string? AckReason(Candidate c, uint ack, string name)
    {
        if (!c.Ep.Has(EndpointFlags.SynReceived)) return $"ACK={ack}, but {name} has received no SYN to acknowledge";
        if (Seq.Gt(ack, c.Ep.RcvNxt)) return $"ACK={ack} is beyond RCV.NXT={c.Ep.RcvNxt}: it acknowledges sequence numbers {name} never received";
        uint floor = SegmentMatcher.AckFloor(c);
        if (Seq.Lt(ack, floor))
            return c.HasLastAck ? $"ACK={ack} goes back below the ACK={floor} {name} already sent" : $"ACK={ack} is below IRS+1={floor}";
        return null;
    }

    private static string PureAckReason(View o, Candidate c, in Segment s, string name)
    {
        if (!o.Synchronized(c.Ep)) return $"{o.StateName((int)c.Ep.State)} is not a synchronized state";
        var why = new List<string>();
        uint pos = SegmentMatcher.SendPosition(c);
        if (s.Seq != pos) why.Add($"SEQ={s.Seq}, but {name} has sent up to {pos} (a bare ACK carries SND.NXT)");
        var ack = AckReason(c, s.Ack, name);
        if (ack is not null) why.Add(ack);
        return why.Count == 0 ? "?" : string.Join("; ", why);
    }

    /// <summary>What the explanation reads of the observer: through the matcher, its stepper and hidden moves.</summary>
    private sealed class View(SegmentMatcher m, string name)
    {
        public string SideName { get; } = name;

        public int HiddenDepth => m.HiddenDepth;

        public string StateName(int state) => m.Stepper.StateName(state);

        public bool Synchronized(in Endpoint ep) => m.Stepper.Synchronized(ep);

        public IEnumerable<HiddenMoves.Move> Moves(Candidate c, CapturedSegment? observed) => m.Moves.Moves(c, observed);

        public Candidate Step(Candidate c, TcpEvent ev, in Segment seg, uint amount, string cause, long frame, bool r2, out Segment[] emitted, out int row) =>
            m.Stepper.Step(c, ev, seg, amount, cause, frame, r2, out emitted, out row);

        private IEngine Engine => m.Stepper.Profile.Engine;

        internal TcpMachine.Row? Row(int id) => id >= 1 && id <= Engine.Rows.Count ? Engine.Rows[id - 1] : null;

        /// <summary>The rows of a (state, event) cell of the profile's table, in the order they are tried.</summary>
        internal IReadOnlyList<int> CellRows(int state, TcpEvent ev)
        {
            var t = Engine.Table;
            int e = t.EventIndex(TcpMachine.EventNames[(int)ev]);
            if (e < 0 || state < 0 || state >= t.States.Count) return [];
            return t.Cell(state, e).Rows.ToArray();
        }

        /// <summary>Why row <paramref name="id"/>'s guard is false for the candidate and the move: "X is false" for each failing term X, "Y is true" for each failing !Y.</summary>
        internal List<string> FalseTerms(Candidate c, HiddenMoves.Move move, int id)
        {
            var result = new List<string>();
            var t = Engine.Table;
            if (id < 1 || id > t.Rows.Count || t.Row(id).Guard.Count == 0) return result;
            var ep = c.Ep;
            if (move.Event == TcpEvent.RetransmitTimeout) ep.Timers &= ~TimerKind.Retransmit;
            ep.Retries = move.R2 ? (byte)CandidateStepper.Config.MaxRetransmissions : (byte)0;
            var fx = new Effects();
            var ctx = new TcpContext(ref ep, CandidateStepper.Config, fx, move.Event, default, move.Amount);
            foreach (var term in t.Row(id).Guard)
            {
                var name = t.Guards[term.Guard].Name;
                int index = TcpMachine.Table.GuardIndex(name); // the runtime's implementation of the table's guard
                if (index < 0) continue;
                bool value = TcpMachine.EvaluateGuard(index, ref ctx);
                if (value == term.Negated) result.Add(term.Negated ? $"{name} is true" : $"{name} is false");
            }
            return result;
        }
    }
}
