using TcpSpec.Protocol;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// What the endpoint is expected to emit, in RFC 9293's notation: segments as
/// <c>&lt;SEQ=101&gt;&lt;ACK=301&gt;&lt;CTL=ACK&gt;</c> (with <c>&lt;DATA=n&gt;</c> for text), timer
/// commands and notices as values.
/// </summary>
public static class Out
{
    public static string Syn(uint seq) => Format(seq, 0, TcpFlags.Syn);

    public static string SynAck(uint seq, uint ack) => Format(seq, ack, TcpFlags.Syn | TcpFlags.Ack);

    public static string Ack(uint seq, uint ack, ushort len = 0) => Format(seq, ack, TcpFlags.Ack, len);

    /// <summary>Text with PSH: the segment that empties the send queue (RFC 9293 §3.9.1.2, MUST-61).</summary>
    public static string Psh(uint seq, uint ack, ushort len) => Format(seq, ack, TcpFlags.Psh | TcpFlags.Ack, len);

    /// <summary>Text with FIN and PSH: the last of the data, and the FIN, resent together.</summary>
    public static string FinPsh(uint seq, uint ack, ushort len) => Format(seq, ack, TcpFlags.Fin | TcpFlags.Psh | TcpFlags.Ack, len);

    public static string FinAck(uint seq, uint ack, ushort len = 0) => Format(seq, ack, TcpFlags.Fin | TcpFlags.Ack, len);

    /// <summary>&lt;SEQ=seq&gt;&lt;CTL=RST&gt;.</summary>
    public static string Rst(uint seq) => Format(seq, 0, TcpFlags.Rst);

    /// <summary>&lt;SEQ=seq&gt;&lt;ACK=ack&gt;&lt;CTL=RST,ACK&gt;.</summary>
    public static string RstAck(uint seq, uint ack) => Format(seq, ack, TcpFlags.Rst | TcpFlags.Ack);

    public static TimerCommand Arm(TimerKind timer, int ms) => new(timer, true, ms);

    public static TimerCommand Cancel(TimerKind timer) => new(timer, false, 0);

    public static Notice Note(NoticeKind kind) => new(kind);

    /// <summary>TextArrived for <paramref name="len"/> octets whose first carries <paramref name="tag"/>.</summary>
    public static Notice Text(uint tag, uint len) => new(NoticeKind.TextArrived, tag, len);

    public static Notice Delivered(uint len) => new(NoticeKind.Delivered, 0, len);

    private static string Format(uint seq, uint ack, TcpFlags flags, ushort len = 0) =>
        Segment.Format(new Segment(seq, ack, flags, 0, len));
}
