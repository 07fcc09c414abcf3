using System.Net;

namespace TcpSpec.Conformance.Pcap;

/// <summary>
/// One TCP segment read from a capture. <see cref="Index"/> is the packet's frame number in the
/// file (1-based, counting every packet, as Wireshark numbers them); <see cref="Time"/> is in
/// seconds since the Unix epoch. <see cref="Seg"/> carries the header's numbers, control bits and
/// window, and the text length from the IP header (even when the capture's snapshot length cut
/// the text: <see cref="CapturedPayload"/> is how much of it the file holds). The acknowledgment
/// number is 0 when the ACK bit is off.
/// </summary>
public sealed record CapturedSegment(long Index, double Time, IPAddress Src, ushort SrcPort, IPAddress Dst, ushort DstPort, Segment Seg, int CapturedPayload)
{
    /// <summary>The TCP options, recorded but not interpreted by the state machine.</summary>
    public TcpOptionsInfo Options { get; init; } = TcpOptionsInfo.None;

    /// <summary>The file offset of the packet's record (for messages).</summary>
    public long FileOffset { get; init; }

    public override string ToString() =>
        $"#{Index} {Format(Src, SrcPort)} > {Format(Dst, DstPort)} {Seg}";

    /// <summary><c>10.0.0.1:80</c> or <c>[2001:db8::1]:80</c>.</summary>
    public static string Format(IPAddress address, ushort port) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}

/// <summary>
/// What the TCP options of a segment were: present or not, and the few whose values the
/// observer needs to read the header (the window scale shift of RFC 7323 §2, to interpret
/// SEG.WND) or mentions (MSS, SACK, timestamps). Options never change what the spec allows.
/// </summary>
public sealed record TcpOptionsInfo(bool Present, int WindowScale, int Mss, bool SackPermitted, bool Sack, bool Timestamps, bool Malformed)
{
    public static readonly TcpOptionsInfo None = new(false, -1, -1, false, false, false, false);
}
