using System.Globalization;
using System.Net;
using TcpSpec.Conformance.Pcap;

namespace TcpSpec.Conformance.Observer;

/// <summary>
/// An endpoint to judge (<c>--endpoint ADDR[:PORT]</c>): an address, and optionally a port. IPv6
/// addresses take a port in brackets, as the report prints them: <c>[2001:db8::1]:80</c>.
/// </summary>
public sealed record EndpointSelector(IPAddress Address, ushort? Port)
{
    public bool Matches(TcpAddress a) => a.Address.Equals(Address) && (Port is null || Port == a.Port);

    public override string ToString() => Port is ushort p ? CapturedSegment.Format(Address, p) : Address.ToString();

    /// <summary>Parses <c>ADDR</c>, <c>ADDR:PORT</c>, <c>[V6ADDR]</c> or <c>[V6ADDR]:PORT</c>; null and the reason when it is none of them.</summary>
    public static EndpointSelector? Parse(string text, out string? error)
    {
        error = null;
        var s = text.Trim();
        string addr;
        string? port = null;
        if (s.StartsWith('['))
        {
            int close = s.IndexOf(']');
            if (close < 0)
            {
                error = $"'{text}': a '[' without its ']'";
                return null;
            }
            addr = s[1..close];
            var rest = s[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    error = $"'{text}': expected ':PORT' after ']'";
                    return null;
                }
                port = rest[1..];
            }
        }
        else if (s.Count(ch => ch == ':') == 1)
        {
            int colon = s.IndexOf(':');
            addr = s[..colon];
            port = s[(colon + 1)..];
        }
        else
        {
            addr = s; // IPv4 without a port, or IPv6 without brackets (and so without a port)
        }
        if (!IPAddress.TryParse(addr, out var ip) || (ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork && ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6))
        {
            error = $"'{text}': '{addr}' is not an IPv4 or IPv6 address";
            return null;
        }
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (port is null) return new EndpointSelector(ip, null);
        if (!ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
        {
            error = $"'{text}': '{port}' is not a port (0 to 65535)";
            return null;
        }
        return new EndpointSelector(ip, p);
    }
}
