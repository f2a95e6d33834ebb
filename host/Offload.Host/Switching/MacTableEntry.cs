namespace Offload.Host.Switching;

/// <summary>Where an address was last seen, and when (a <see cref="TimeProvider"/> timestamp).</summary>
internal readonly record struct MacTableEntry(ushort Port, long LastSeen);
