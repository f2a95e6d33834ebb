namespace Offload.Contracts.Mailbox;

/// <summary>
/// Frame layout (all integers big-endian):
/// <code>
/// offset  size  field
/// 0       4     length: bytes that follow this field = 16 + payload + 4
/// 4       2     magic 0x4F46 ("OF")
/// 6       2     schema version
/// 8       2     message type
/// 10      2     flags (0)
/// 12      8     sequence
/// 20      N     payload: one MessagePack map with integer keys
/// 20+N    4     CRC-32C of bytes [4, 20+N): header and payload
/// </code>
/// </summary>
public static class FrameFormat
{
    public const int LengthPrefixSize = 4;
    public const int HeaderSize = 16;
    public const int CrcSize = 4;
    public const ushort Magic = 0x4F46;

    /// <summary>Smallest legal value of the length field: header + empty payload + CRC.</summary>
    public const int MinLength = HeaderSize + CrcSize;

    /// <summary>Default cap on the length field.</summary>
    public const int DefaultMaxFrameSize = 1 << 20;

    /// <summary>Largest cap a deployment may configure.</summary>
    public const int MaxConfigurableFrameSize = 64 << 20;
}
