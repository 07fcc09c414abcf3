using TcpSpec.Protocol;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// Segments from the peer, written as RFC 9293 writes them: <c>Peer.Ack(seq: 301, ack: 101)</c>
/// is &lt;SEQ=301&gt;&lt;ACK=101&gt;&lt;CTL=ACK&gt;. Every one advertises <see cref="Fixtures.PeerWindow"/>
/// unless told otherwise; text carries the payload tag <see cref="TagAt"/> of its first octet.
/// </summary>
public static class Peer
{
    /// <summary>The peer's stream tag (the top byte of its payload tags).</summary>
    public const uint Stream = 2u << 24;

    /// <summary>The payload tag of the peer's octet at <paramref name="seq"/>: its stream and its offset after the peer's SYN.</summary>
    public static uint TagAt(uint seq, uint irs = Fixtures.Irs) => Stream | ((seq - irs - 1) & 0x00FF_FFFF);

    public static Segment Syn(uint seq, ushort len = 0, ushort window = Fixtures.PeerWindow) =>
        Make(seq, 0, TcpFlags.Syn, len, window);

    public static Segment SynAck(uint seq, uint ack, ushort len = 0, ushort window = Fixtures.PeerWindow) =>
        Make(seq, ack, TcpFlags.Syn | TcpFlags.Ack, len, window);

    public static Segment SynFin(uint seq, ushort window = Fixtures.PeerWindow) =>
        Make(seq, 0, TcpFlags.Syn | TcpFlags.Fin, 0, window);

    public static Segment SynFinAck(uint seq, uint ack, ushort window = Fixtures.PeerWindow) =>
        Make(seq, ack, TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Ack, 0, window);

    public static Segment Ack(uint seq, uint ack, ushort len = 0, ushort window = Fixtures.PeerWindow) =>
        Make(seq, ack, TcpFlags.Ack, len, window);

    public static Segment Fin(uint seq, ushort len = 0, ushort window = Fixtures.PeerWindow) =>
        Make(seq, 0, TcpFlags.Fin, len, window);

    public static Segment FinAck(uint seq, uint ack, ushort len = 0, ushort window = Fixtures.PeerWindow) =>
        Make(seq, ack, TcpFlags.Fin | TcpFlags.Ack, len, window);

    public static Segment Rst(uint seq) => new(seq, 0, TcpFlags.Rst, 0, 0);

    public static Segment RstAck(uint seq, uint ack) => new(seq, ack, TcpFlags.Rst | TcpFlags.Ack, 0, 0);

    /// <summary>Text with none of SYN, ACK, FIN, RST.</summary>
    public static Segment Bare(uint seq, ushort len, ushort window = Fixtures.PeerWindow) =>
        Make(seq, 0, TcpFlags.None, len, window);

    private static Segment Make(uint seq, uint ack, TcpFlags flags, ushort len, ushort window)
    {
        uint textSeq = (flags & TcpFlags.Syn) != 0 ? seq + 1 : seq;
        return new Segment(seq, ack, flags, window, len, len == 0 ? 0 : TagAt(textSeq));
    }
}
