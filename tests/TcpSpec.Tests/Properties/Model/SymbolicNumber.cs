namespace TcpSpec.Tests.Properties.Model;

/// <summary>What a generated sequence or acknowledgment number is relative to.</summary>
public enum Anchor : byte
{
    Zero,
    Iss,
    Irs,
    RcvNxt,
    /// <summary>RCV.NXT + RCV.WND: the right edge of the receive window.</summary>
    RcvWndEnd,
    SndUna,
    SndNxt,
    /// <summary>SND.UNA + SND.WND: the right edge of the send window.</summary>
    SndWndEnd,
}

/// <summary>
/// A sequence number as an offset from one of the endpoint's variables, resolved when the
/// segment arrives: so random segments land on and around the values that decide the table's
/// guards (ISS, IRS, RCV.NXT, SND.UNA, SND.NXT, the window edges) whatever state the endpoint is in.
/// </summary>
public readonly record struct SymbolicNumber(Anchor Anchor, int Delta)
{
    public uint Resolve(in Endpoint ep) => unchecked(Base(ep) + (uint)Delta);

    private uint Base(in Endpoint ep) => Anchor switch
    {
        Anchor.Zero => 0,
        Anchor.Iss => ep.Iss,
        Anchor.Irs => ep.Irs,
        Anchor.RcvNxt => ep.RcvNxt,
        Anchor.RcvWndEnd => unchecked(ep.RcvNxt + ep.RcvWnd),
        Anchor.SndUna => ep.SndUna,
        Anchor.SndNxt => ep.SndNxt,
        Anchor.SndWndEnd => unchecked(ep.SndUna + ep.SndWnd),
        _ => throw new ArgumentOutOfRangeException(nameof(Anchor), Anchor, null),
    };

    public override string ToString() => Delta == 0 ? Anchor.ToString() : $"{Anchor}{(Delta > 0 ? "+" : "")}{Delta}";
}
