namespace TcpSpec.Checker.Model;

/// <summary>
/// A global state of the model: two hosts, the network between them and the fault budgets
/// left. A value of a few hundred bytes; the checker stores only its 64-bit hash once visited.
/// </summary>
public struct World
{
    public HostState A;
    public HostState B;
    public Network Net;
    public byte LossLeft;
    public byte DupLeft;
    public byte CrashLeft;

    public readonly HostState Host(int i) => i == 0 ? A : B;

    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    public ref HostState HostRef(int i) => ref i == 0 ? ref A : ref B;

    /// <summary>The fingerprint of the state (TLC's term): deterministic across runs and processes.</summary>
    public readonly ulong Hash64()
    {
        ulong h = 0x51_7C_C1_B7_27_22_0A_95UL;
        h = A.Hash(h);
        h = B.Hash(h);
        h = Net.Hash(h);
        return Endpoint.Mix(h ^ ((ulong)LossLeft | (ulong)DupLeft << 8 | (ulong)CrashLeft << 16 | (Net.Overflowed ? 1UL << 24 : 0)));
    }
}
