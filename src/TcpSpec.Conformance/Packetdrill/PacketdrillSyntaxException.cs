namespace TcpSpec.Conformance.Packetdrill;

/// <summary>
/// A malformed script: the reader's only exception, whatever the input. <see cref="Line"/> and
/// <see cref="Column"/> are 1-based and point at the offending token.
/// </summary>
public sealed class PacketdrillSyntaxException(int line, int column, string message)
    : Exception($"line {line}, column {column}: {message}")
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>The message without the position.</summary>
    public string Reason { get; } = message;
}
