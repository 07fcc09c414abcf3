namespace TcpSpec.Tests.Scenarios.Harness;

/// <summary>
/// Checks that text arrived exactly once and in order, from the payload tags of the receiver's
/// TextArrived notices: each names the sender's stream tag and the offset of its first octet.
/// </summary>
public static class TextStream
{
    /// <summary>Offsets and lengths of the text <paramref name="to"/> received from <paramref name="from"/>'s current stream.</summary>
    public static IReadOnlyList<(uint Offset, uint Length)> Chunks(Host from, Host to) =>
        to.Notices.Where(n => n.Kind == NoticeKind.TextArrived && (byte)(n.A >> 24) == from.StreamTag)
            .Select(n => (n.A & 0x00FF_FFFF, n.B)).ToList();

    /// <summary>
    /// Asserts that what <paramref name="to"/> received is a prefix of <paramref name="from"/>'s
    /// stream: every octet from offset 0 on once, in order, nothing from anyone else. Returns its length.
    /// </summary>
    public static uint AssertInOrderOnce(Host from, Host to)
    {
        uint next = 0;
        foreach (var n in to.Notices.Where(n => n.Kind == NoticeKind.TextArrived))
        {
            Assert.True(from.StreamTag == (byte)(n.A >> 24), $"{to.Name} got text tagged {n.A >> 24:X}, not {from.Name}'s {from.StreamTag:X}");
            Assert.True(next == (n.A & 0x00FF_FFFF), $"{to.Name} got text at offset {n.A & 0x00FF_FFFF}, expected {next}");
            Assert.True(n.B > 0, "empty TextArrived");
            next += n.B;
        }
        Assert.True(next <= from.Written, $"{to.Name} got {next} octets, {from.Name} wrote {from.Written}");
        return next;
    }

    /// <summary>
    /// Asserts <paramref name="to"/> received exactly the octets <paramref name="from"/>'s user sent:
    /// offsets 0 to <see cref="Host.Written"/>, each once, in order, and nothing from anyone else.
    /// </summary>
    public static void AssertDelivered(Host from, Host to) => Assert.Equal(from.Written, AssertInOrderOnce(from, to));

    /// <summary>Octets the user of <paramref name="h"/> got from RECEIVE.</summary>
    public static uint ReceivedByUser(Host h) =>
        (uint)h.Notices.Where(n => n.Kind == NoticeKind.Delivered).Sum(n => (long)n.B);
}
