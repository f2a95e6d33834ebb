namespace Offload.Contracts.Mailbox;

/// <summary>Outcome of trying to take one frame off a byte stream.</summary>
public enum FrameStatus
{
    /// <summary>A whole, valid frame was taken.</summary>
    Complete,

    /// <summary>More bytes are needed; nothing was consumed.</summary>
    Incomplete,

    /// <summary>The length field exceeds the configured cap. Detected from the first 4 bytes, before buffering.</summary>
    Oversize,

    /// <summary>The length field is smaller than header + CRC.</summary>
    Undersize,

    /// <summary>The header does not start with the magic.</summary>
    BadMagic,

    /// <summary>The CRC-32C does not match header and payload.</summary>
    BadCrc,
}
