using System.Globalization;

namespace Offload.Contracts.MessagePack;

/// <summary>
/// The one exception type the codec raises for malformed, truncated or over-limit input.
/// <see cref="Offset"/> is the byte offset (from the start of the reader's input) of the value that failed.
/// </summary>
public sealed class MessagePackSerializationException : Exception
{
    public MessagePackSerializationException(string reason, long offset)
        : base(string.Create(CultureInfo.InvariantCulture, $"at byte {offset}: {reason}"))
    {
        Reason = reason;
        Offset = offset;
    }

    public MessagePackSerializationException()
        : this("unspecified MessagePack error", 0)
    {
    }

    public MessagePackSerializationException(string message)
        : this(message, 0)
    {
    }

    public MessagePackSerializationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>Byte offset of the offending value from the start of the input.</summary>
    public long Offset { get; }

    /// <summary>What was wrong, without the offset.</summary>
    public string Reason { get; } = string.Empty;
}
