namespace Offload.Contracts.Management;

/// <summary>Upcalls: misses sent up, misses dropped before going up (rate limit, full queue), packets held for an answer,
/// held packets that timed out, and controller-action packets (packet-ins).</summary>
public sealed record DatapathUpcallDocument(ulong Sent, ulong Dropped, ulong Held, ulong TimedOut, ulong PacketIns);
