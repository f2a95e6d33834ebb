namespace Offload.Contracts.Messages;

/// <summary>
/// Message type codes carried in every frame header. A retired code is never reused; receivers skip and count
/// codes they do not know. See docs/PROTOCOL.md.
/// </summary>
public enum MessageType : ushort
{
    None = 0,
    Hello = 1,
    HelloAck = 2,
    Heartbeat = 3,
    Ack = 4,
    Error = 5,
    QueueOccupancy = 16,
    FlowMetadataBatch = 17,
    RateUpdate = 32,
    AllocationUpdate = 33,
    FlowMiss = 48,
    FlowInstall = 49,
    FlowRemove = 50,

    // Reserved for work in progress (2026-11-22); each is documented in docs/PROTOCOL.md when implemented.
    DatapathStats = 51,
    FlowDumpRequest = 52,
    FlowDumpReply = 53,
    CaptureStart = 54,
    CaptureFrames = 55,
    SubsystemSet = 64,
    SubsystemRemove = 65,
    NetworkSummary = 80,
}
