namespace TcpSpec.Checker.Properties;

/// <summary>
/// The properties that judge what a host sends and how its TCB moves, each written from RFC
/// 9293's text (and RFC 5961, RFC 6298) independently of the table's guards and actions.
/// </summary>
public static class ProtocolProperties
{
    public static IReadOnlyList<IProperty> All { get; } =
    [
        new SegmentShape(),
        new ArrivalAnswered(),
        new AckAndFinProcessing(),
        new ResetProcessing(),
        new Retransmission(),
        new SendProgress(),
        new NoTcbWhenIdle(),
        new Figure5Edges(),
        new DelayedAckBounded(),
    ];
}
