namespace TcpSpec.Protocol;

/// <summary>TCP control bits, with the values of their header bits (RFC 9293 §3.1).</summary>
[Flags]
public enum TcpFlags : byte
{
    None = 0,
    Fin = 0x01,
    Syn = 0x02,
    Rst = 0x04,
    Psh = 0x08,
    Ack = 0x10,
    Urg = 0x20,
}

/// <summary>
/// A TCP segment as the state machine sees it: sequence and acknowledgment numbers, control
/// bits, window and text length. Ports and options are the connection's, not the machine's.
/// <see cref="Payload"/> names the text without carrying it: the sender's stream tag plus the
/// offset of the first octet (see <see cref="Endpoint.StreamTag"/>), so that a checker can prove
/// text arrives exactly once and uncorrupted while a segment stays a 16-byte value.
/// </summary>
public readonly record struct Segment(uint Seq, uint Ack, TcpFlags Flags, ushort Window, ushort Length, uint Payload = 0)
{
    public bool Has(TcpFlags f) => (Flags & f) != 0;

    public bool IsSyn => Has(TcpFlags.Syn);

    public bool IsFin => Has(TcpFlags.Fin);

    public bool IsRst => Has(TcpFlags.Rst);

    public bool IsAck => Has(TcpFlags.Ack);

    /// <summary>SEG.LEN: text octets plus one for SYN and one for FIN (RFC 9293 §3.4).</summary>
    public uint SegLen => Length + (IsSyn ? 1u : 0u) + (IsFin ? 1u : 0u);

    /// <summary>The sequence number of the first text octet (after a SYN).</summary>
    public uint TextSeq => Seq + (IsSyn ? 1u : 0u);

    public override string ToString() => Format(this);

    /// <summary><c>&lt;SEQ=100&gt;&lt;ACK=301&gt;&lt;CTL=SYN,ACK&gt;</c>, as the RFC writes segments; text as <c>&lt;DATA=n&gt;</c>.</summary>
    public static string Format(in Segment s)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("<SEQ=").Append(s.Seq).Append('>');
        if (s.IsAck) sb.Append("<ACK=").Append(s.Ack).Append('>');
        sb.Append("<CTL=").Append(FlagText(s.Flags)).Append('>');
        if (s.Length > 0) sb.Append("<DATA=").Append(s.Length).Append('>');
        return sb.ToString();
    }

    public static string FlagText(TcpFlags f)
    {
        var parts = new List<string>(4);
        if ((f & TcpFlags.Syn) != 0) parts.Add("SYN");
        if ((f & TcpFlags.Fin) != 0) parts.Add("FIN");
        if ((f & TcpFlags.Rst) != 0) parts.Add("RST");
        if ((f & TcpFlags.Psh) != 0) parts.Add("PSH");
        if ((f & TcpFlags.Ack) != 0) parts.Add("ACK");
        if ((f & TcpFlags.Urg) != 0) parts.Add("URG");
        return parts.Count == 0 ? "none" : string.Join(",", parts);
    }
}
