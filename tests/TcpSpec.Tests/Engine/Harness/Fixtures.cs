using static TcpSpec.EndpointFlags;

namespace TcpSpec.Tests.Engine;

/// <summary>
/// Endpoints built directly in a state by setting the TCB fields, as smoltcp's tests build
/// sockets: no handshake runs first, so a test of one state depends on no other row. The numbers
/// are those of RFC 9293's figures: our ISS is 100, the peer's (IRS) 300, so our first data octet
/// is 101 and the peer's is 301. <see cref="FixtureTests"/> checks each fixture equals what the
/// runtime reaches by the real sequence of events.
/// </summary>
public static class Fixtures
{
    /// <summary>Our initial send sequence number.</summary>
    public const uint Iss = 100;

    /// <summary>The peer's initial sequence number (our IRS).</summary>
    public const uint Irs = 300;

    /// <summary>The window the peer advertises in every segment <see cref="Peer"/> builds.</summary>
    public const ushort PeerWindow = 1024;

    /// <summary>Our receive window: <see cref="TcpConfig.ReceiveWindow"/> of the default configuration.</summary>
    public const ushort Window = 8192;

    /// <summary>Our stream tag: the top byte of the payload tag of the text we send.</summary>
    public const byte Tag = 1;

    /// <summary>The ISN generator after one SelectIss: ISS + <see cref="TcpConfig.IssStep"/>.</summary>
    public static uint NextIss(uint iss = Iss) => iss + TcpConfig.Default.IssStep;

    public static Endpoint Closed(uint iss = Iss) => Endpoint.Create(iss, Tag);

    /// <summary>After a passive OPEN.</summary>
    public static Endpoint Listen(bool foreignSpecified = false, uint iss = Iss)
    {
        var ep = Closed(iss);
        ep.State = TcpState.Listen;
        ep.Flags = Passive | (foreignSpecified ? ForeignSpecified : None);
        ep.RcvWnd = Window;
        return ep;
    }

    /// <summary>After an active OPEN: &lt;SEQ=ISS&gt;&lt;CTL=SYN&gt; sent, SND.UNA = ISS, SND.NXT = ISS + 1.</summary>
    public static Endpoint SynSent(uint iss = Iss)
    {
        var ep = Closed(iss);
        ep.State = TcpState.SynSent;
        ep.Iss = iss;
        ep.NextIss = NextIss(iss);
        ep.SndUna = iss;
        ep.SndNxt = iss + 1;
        ep.RcvWnd = Window;
        ep.Timers = TimerKind.Retransmit;
        return ep;
    }

    /// <summary>LISTEN received &lt;SEQ=IRS&gt;&lt;CTL=SYN&gt; and answered with a SYN,ACK.</summary>
    public static Endpoint SynReceivedPassive(uint iss = Iss, uint irs = Irs) => SynReceived(passive: true, iss, irs);

    /// <summary>SYN-SENT received the peer's crossing SYN (simultaneous open) and answered with a SYN,ACK.</summary>
    public static Endpoint SynReceivedActive(uint iss = Iss, uint irs = Irs) => SynReceived(passive: false, iss, irs);

    private static Endpoint SynReceived(bool passive, uint iss, uint irs)
    {
        var ep = SynSent(iss);
        ep.State = TcpState.SynReceived;
        ep.Irs = irs;
        ep.RcvNxt = irs + 1;
        ep.SndWnd = PeerWindow;
        ep.MaxSndWnd = PeerWindow;
        ep.SndWl1 = irs;
        ep.SndWl2 = 0; // the SYN carried no ACK
        ep.Flags = EndpointFlags.SynReceived | (passive ? Passive : None);
        return ep;
    }

    /// <summary>An active OPEN completed by &lt;SEQ=IRS&gt;&lt;ACK=ISS+1&gt;&lt;CTL=SYN,ACK&gt;; nothing in flight.</summary>
    public static Endpoint Established(uint iss = Iss, uint irs = Irs)
    {
        var ep = SynSent(iss);
        ep.State = TcpState.Established;
        ep.Irs = irs;
        ep.RcvNxt = irs + 1;
        ep.SndUna = iss + 1;
        ep.SndWnd = PeerWindow;
        ep.MaxSndWnd = PeerWindow;
        ep.SndWl1 = irs;
        ep.SndWl2 = iss + 1;
        ep.Flags = EndpointFlags.SynReceived;
        ep.Timers = TimerKind.None;
        return ep;
    }

    /// <summary>ESTABLISHED after CLOSE: our FIN (at ISS + 1) is sent and unacknowledged.</summary>
    public static Endpoint FinWait1(uint iss = Iss, uint irs = Irs)
    {
        var ep = Established(iss, irs);
        ep.State = TcpState.FinWait1;
        ep.Flags |= FinQueued | FinSent;
        ep.SndNxt = iss + 2;
        ep.Timers = TimerKind.Retransmit;
        return ep;
    }

    /// <summary>FIN-WAIT-1 after &lt;SEQ=IRS+1&gt;&lt;ACK=ISS+2&gt;&lt;CTL=ACK&gt;: our FIN is acknowledged.</summary>
    public static Endpoint FinWait2(uint iss = Iss, uint irs = Irs)
    {
        var ep = FinWait1(iss, irs);
        ep.State = TcpState.FinWait2;
        ep.SndUna = iss + 2;
        ep.SndWl1 = irs + 1;
        ep.SndWl2 = iss + 2;
        ep.Timers = TimerKind.None;
        return ep;
    }

    /// <summary>ESTABLISHED after the peer's &lt;SEQ=IRS+1&gt;&lt;ACK=ISS+1&gt;&lt;CTL=FIN,ACK&gt;.</summary>
    public static Endpoint CloseWait(uint iss = Iss, uint irs = Irs)
    {
        var ep = Established(iss, irs);
        ep.State = TcpState.CloseWait;
        ep.RcvNxt = irs + 2;
        ep.Flags |= FinReceived;
        ep.SndWl1 = irs + 1;
        ep.SndWl2 = iss + 1;
        return ep;
    }

    /// <summary>FIN-WAIT-1 after the peer's FIN crossed ours (it does not acknowledge our FIN).</summary>
    public static Endpoint Closing(uint iss = Iss, uint irs = Irs)
    {
        var ep = FinWait1(iss, irs);
        ep.State = TcpState.Closing;
        ep.RcvNxt = irs + 2;
        ep.Flags |= FinReceived;
        ep.SndWl1 = irs + 1;
        ep.SndWl2 = iss + 1;
        return ep;
    }

    /// <summary>CLOSE-WAIT after CLOSE: our FIN (at ISS + 1) is sent and unacknowledged.</summary>
    public static Endpoint LastAck(uint iss = Iss, uint irs = Irs)
    {
        var ep = CloseWait(iss, irs);
        ep.State = TcpState.LastAck;
        ep.Flags |= FinQueued | FinSent;
        ep.SndNxt = iss + 2;
        ep.Timers = TimerKind.Retransmit;
        return ep;
    }

    /// <summary>FIN-WAIT-2 after the peer's FIN: the 2 MSL timer runs.</summary>
    public static Endpoint TimeWait(uint iss = Iss, uint irs = Irs)
    {
        var ep = FinWait2(iss, irs);
        ep.State = TcpState.TimeWait;
        ep.RcvNxt = irs + 2;
        ep.Flags |= FinReceived;
        ep.Timers = TimerKind.TimeWait;
        return ep;
    }

    /// <summary>The fixture for <paramref name="state"/> (SYN-RECEIVED: after a passive OPEN).</summary>
    public static Endpoint In(TcpState state) => state switch
    {
        TcpState.Closed => Closed(),
        TcpState.Listen => Listen(),
        TcpState.SynSent => SynSent(),
        TcpState.SynReceived => SynReceivedPassive(),
        TcpState.Established => Established(),
        TcpState.FinWait1 => FinWait1(),
        TcpState.FinWait2 => FinWait2(),
        TcpState.CloseWait => CloseWait(),
        TcpState.Closing => Closing(),
        TcpState.LastAck => LastAck(),
        TcpState.TimeWait => TimeWait(),
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>The endpoint with <paramref name="octets"/> received in order and not yet read by the user.</summary>
    public static Endpoint WithBuffered(this Endpoint ep, uint octets)
    {
        ep.RcvBuffered = octets;
        return ep;
    }
}
