namespace TcpSpec.Conformance.Pcap;

/// <summary>
/// A capture file that cannot be read: truncated, corrupt, or in a format or link type the reader
/// does not know. <see cref="ByteOffset"/> is where in the file the problem was found. The readers
/// throw nothing else, whatever the input.
/// </summary>
public sealed class CaptureFormatException : Exception
{
    public CaptureFormatException(long byteOffset, string message)
        : base($"byte {byteOffset}: {message}")
    {
        ByteOffset = byteOffset;
        Reason = message;
    }

    /// <summary>The offset in the file where the problem was found.</summary>
    public long ByteOffset { get; }

    /// <summary>The message without the offset.</summary>
    public string Reason { get; }
}
