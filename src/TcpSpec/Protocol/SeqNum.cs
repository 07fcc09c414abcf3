namespace TcpSpec.Protocol;

/// <summary>
/// 32-bit modular sequence arithmetic (RFC 9293 §3.4): a &lt; b when b is 1 to 2^31 - 1 ahead of
/// a around the circle. Two numbers exactly 2^31 apart are neither less nor greater than each
/// other, so a comparison is never true both ways (a plain signed difference would make both
/// a &lt; b and b &lt; a true there, and let an ACK 2^31 away move SND.UNA past SND.NXT).
/// </summary>
public static class Seq
{
    private const uint Half = 0x8000_0000;

    public static bool Lt(uint a, uint b) => unchecked(b - a - 1) < Half - 1;

    public static bool Le(uint a, uint b) => a == b || Lt(a, b);

    public static bool Gt(uint a, uint b) => Lt(b, a);

    public static bool Ge(uint a, uint b) => a == b || Lt(b, a);

    /// <summary>lo =&lt; x &lt; hi, modulo 2^32.</summary>
    public static bool InWindow(uint x, uint lo, uint hi) => Le(lo, x) && Lt(x, hi);

    /// <summary>The distance from a to b (b - a), as a non-negative count when a =&lt; b.</summary>
    public static uint Distance(uint a, uint b) => b - a;
}
