namespace TcpSpec.Conformance.Packetdrill;

/// <summary>
/// The packets the engine sent that no line has matched yet, and how a script's packet line is
/// compared with one: flags (PSH aside), relative sequence range, acknowledgment and window, within
/// the line's time window. Numbers: inbound sequence numbers are relative to the peer's ISN,
/// outbound ones to the ISN of the last SYN the engine sent (learnt as packetdrill learns it; 0
/// before any); acknowledgment numbers the other way round.
/// </summary>
internal sealed class OutboundMatcher(uint remoteIsn)
{
    private readonly List<Sent> _queue = [];
    private readonly uint _remoteIsn = remoteIsn;
    private uint _localIsn;

    /// <summary>A segment the engine sent, when, in which step, and on which line's event.</summary>
    public sealed record Sent(Segment Seg, long At, PacketdrillRunner.EngineStep Step, int Line);

    public int Count => _queue.Count;

    /// <summary>The earliest packet sent and not yet matched.</summary>
    public Sent First => _queue[0];

    /// <summary>A packet the engine sent joins the queue; packetdrill learns the ISN from the SYN or SYN,ACK.</summary>
    public void Add(Sent s)
    {
        if (s.Seg.IsSyn) _localIsn = s.Seg.Seq;
        _queue.Add(s);
    }

    /// <summary>Takes the earliest packet sent off the queue.</summary>
    public Sent Take()
    {
        var s = _queue[0];
        _queue.RemoveAt(0);
        return s;
    }

    /// <summary>An inbound line as the segment the engine receives.</summary>
    public Segment Inbound(PacketLine p)
    {
        uint ack = p.Ack is { } a ? _localIsn + a : 0;
        return new Segment(_remoteIsn + p.Start, ack, p.Bits, p.Window ?? 0, p.Length, p.Start);
    }

    /// <summary>When an outbound line's packet may be sent: from <c>Lo</c> to <c>Hi</c>, due at <c>Due</c>.</summary>
    public static (long Lo, long Hi, long Due) Window(EventTime t, VirtualClock clock, long tol) => t.Kind switch
    {
        TimeKind.Any => (0, long.MaxValue, clock.Now),
        TimeKind.AbsoluteRange or TimeKind.RelativeRange =>
            (clock.At(t) - tol, (t.Kind == TimeKind.RelativeRange ? clock.Last + t.EndUsecs : t.EndUsecs) + tol, clock.At(t)),
        _ => (clock.At(t) - tol, clock.At(t) + tol, clock.At(t)),
    };

    /// <summary>What differs between the line's packet and the one sent, by field name.</summary>
    public List<string> Differences(PacketLine p, Segment seg)
    {
        var diff = new List<string>();
        const TcpFlags ignored = TcpFlags.Psh;
        if ((p.Bits & ~ignored) != (seg.Flags & ~ignored)) diff.Add("flags");
        if (!p.SeqIgnored && RelSeq(seg) != p.Start) diff.Add("sequence number");
        if (seg.Length != p.Length) diff.Add("payload length");
        if (p.Ack is { } a && seg.IsAck && RelAck(seg) != a) diff.Add("acknowledgment number");
        if (p.Window is { } w && seg.Window != w) diff.Add("window");
        return diff;
    }

    /// <summary>
    /// Relative to our ISN, except the RST,ACK that answers a segment without ACK: its
    /// &lt;SEQ=0&gt; (RFC 9293 §3.10.7.1) is absolute, and a script writes it as 0.
    /// </summary>
    private uint RelSeq(in Segment s) => s.IsRst && s.IsAck && s.Seq == 0 ? 0 : s.Seq - _localIsn;

    private uint RelAck(in Segment s) => s.Ack - _remoteIsn;

    /// <summary>A segment the engine sent, as a script would write it.</summary>
    public string Render(Segment s)
    {
        uint seq = RelSeq(s);
        var text = $"> {FlagText(s.Flags)} {seq}:{seq + s.Length}({s.Length})";
        if (s.IsAck) text += $" ack {RelAck(s)}";
        return text + $" win {s.Window}";
    }

    public static string Render(PacketLine p)
    {
        var text = $"{(p.Inbound ? "<" : ">")} {p.Flags} {p.Start}:{p.End}({p.Length})";
        if (p.Ack is { } a) text += $" ack {a}";
        if (p.Window is { } w) text += $" win {w}";
        if (p.Options is { } o) text += $" <{o}>";
        return text;
    }

    /// <summary>Control bits the way packetdrill writes them: <c>S.</c>, <c>F.</c>, <c>R</c>, <c>.</c>.</summary>
    public static string FlagText(TcpFlags f)
    {
        var sb = new System.Text.StringBuilder();
        if ((f & TcpFlags.Fin) != 0) sb.Append('F');
        if ((f & TcpFlags.Syn) != 0) sb.Append('S');
        if ((f & TcpFlags.Rst) != 0) sb.Append('R');
        if ((f & TcpFlags.Psh) != 0) sb.Append('P');
        if ((f & TcpFlags.Urg) != 0) sb.Append('U');
        if ((f & TcpFlags.Ack) != 0) sb.Append('.');
        return sb.Length == 0 ? "-" : sb.ToString();
    }
}
