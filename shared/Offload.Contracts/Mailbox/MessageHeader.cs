using Offload.Contracts.Messages;

namespace Offload.Contracts.Mailbox;

/// <summary>The fixed 16-byte header that follows a frame's length prefix.</summary>
/// <param name="SchemaVersion">Protocol schema version the payload is written in.</param>
/// <param name="Type">Message type; unknown values are skipped and counted.</param>
/// <param name="Flags">Reserved, 0.</param>
/// <param name="Sequence">Per-connection, per-direction sequence number starting at 1.</param>
public readonly record struct MessageHeader(ushort SchemaVersion, MessageType Type, ushort Flags, ulong Sequence);
