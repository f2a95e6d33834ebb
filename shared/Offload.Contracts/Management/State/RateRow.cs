namespace Offload.Contracts.Management;

/// <summary>One application's current rate on one NIC.</summary>
/// <param name="Nic">NIC mailbox endpoint.</param>
/// <param name="Application">The NIC's application number.</param>
/// <param name="Tenant">Tenant name from the desired state, or null when no tenant declares this application.</param>
/// <param name="IopsLimit">IOPS limit last sent to the NIC (0 = unlimited).</param>
/// <param name="BytesPerSecondLimit">Bytes/s limit last sent (0 = unlimited).</param>
/// <param name="Pinned">True when the operator pinned this rate.</param>
/// <param name="Rule">The controller rule that set it (<c>pinned</c> when pinned).</param>
public sealed record RateRow(string Nic, uint Application, string? Tenant, ulong IopsLimit, ulong BytesPerSecondLimit, bool Pinned, string Rule);
