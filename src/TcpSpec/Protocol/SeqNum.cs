namespace TcpSpec.Protocol;

/// <summary>
/// 32-bit modular sequence arithmetic (RFC 9293 §3.4): comparisons are made on the signed
/// difference, so they hold across wrap-around as long as the numbers are within 2^31.
/// </summary>
public static class Seq
{
    public static bool Lt(uint a, uint b) => (int)(a - b) < 0;

    public static bool Le(uint a, uint b) => (int)(a - b) <= 0;

    public static bool Gt(uint a, uint b) => (int)(a - b) > 0;

    public static bool Ge(uint a, uint b) => (int)(a - b) >= 0;

    /// <summary>lo =&lt; x &lt; hi, modulo 2^32.</summary>
    public static bool InWindow(uint x, uint lo, uint hi) => Le(lo, x) && Lt(x, hi);

    /// <summary>The distance from a to b (b - a), as a non-negative count when a =&lt; b.</summary>
    public static uint Distance(uint a, uint b) => b - a;
}
