namespace TcpSpec.Protocol;

/// <summary>How TCP treats an ICMP error passed up by IP (RFC 9293 §3.9.2.2).</summary>
public enum IcmpClass : byte
{
    /// <summary>Not an error TCP acts on (e.g. an echo reply): no event.</summary>
    Ignored,
    /// <summary>Source Quench: silently discarded (MUST-55).</summary>
    SourceQuench,
    /// <summary>A soft error: reported, never aborts (MUST-56, SHLD-25). The ICMP-SOFT event.</summary>
    Soft,
    /// <summary>A hard error: Destination Unreachable codes 2–4 (SHLD-26). The ICMP-HARD event.</summary>
    Hard,
}

/// <summary>The classification of RFC 9293 §3.9.2.2, from the ICMP message's type and code.</summary>
public static class Icmp
{
    /// <summary>Classifies an ICMPv4 (<paramref name="v6"/> false) or ICMPv6 message.</summary>
    public static IcmpClass Classify(bool v6, byte type, byte code) => v6 ? ClassifyV6(type, code) : ClassifyV4(type, code);

    // IPv4: Destination Unreachable (3) codes 0, 1, 5 soft and 2-4 hard; Source Quench (4);
    // Time Exceeded (11) codes 0, 1 and Parameter Problem (12) soft.
    private static IcmpClass ClassifyV4(byte type, byte code) => type switch
    {
        3 when code is 0 or 1 or 5 => IcmpClass.Soft,
        3 when code is >= 2 and <= 4 => IcmpClass.Hard,
        4 => IcmpClass.SourceQuench,
        11 when code is 0 or 1 => IcmpClass.Soft,
        12 => IcmpClass.Soft,
        _ => IcmpClass.Ignored,
    };

    // ICMPv6: Destination Unreachable (1) codes 0, 3; Time Exceeded (3) codes 0, 1; Parameter
    // Problem (4) codes 0-2 are soft. §3.9.2.2 names no ICMPv6 hard error.
    private static IcmpClass ClassifyV6(byte type, byte code) => type switch
    {
        1 when code is 0 or 3 => IcmpClass.Soft,
        3 when code is 0 or 1 => IcmpClass.Soft,
        4 when code <= 2 => IcmpClass.Soft,
        _ => IcmpClass.Ignored,
    };
}
