namespace Offload.Contracts.Management;

/// <summary>One node's latest summary.</summary>
/// <param name="Node">The node (its NIC's board id).</param>
/// <param name="Endpoint">The NIC's mailbox endpoint.</param>
/// <param name="ReceivedAt">When its summary arrived (UTC).</param>
/// <param name="Applications">Applications in the summary.</param>
/// <param name="ReadRate">Read requests/s on the node.</param>
/// <param name="WriteRate">Write requests/s on the node.</param>
/// <param name="SqDepth">SQ entries in use on the node.</param>
/// <param name="SqCapacity">SQ entries on the node.</param>
public sealed record NetworkNodeDemand(string Node, string Endpoint, DateTimeOffset ReceivedAt, int Applications, double ReadRate, double WriteRate, ulong SqDepth, ulong SqCapacity);
