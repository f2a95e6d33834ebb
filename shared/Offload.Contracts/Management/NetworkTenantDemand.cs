namespace Offload.Contracts.Management;

/// <summary>One tenant's demand summed across nodes.</summary>
/// <param name="Tenant">Host NQN (or <c>app-N@node</c> when the node did not name it).</param>
/// <param name="Nodes">Nodes the tenant uses.</param>
/// <param name="ReadRate">Read requests/s, all nodes.</param>
/// <param name="WriteRate">Write requests/s, all nodes.</param>
/// <param name="BitRate">Received bits/s, all nodes.</param>
/// <param name="SharedMemorySize">Shared memory used, bytes, all nodes.</param>
/// <param name="MaxSqLevel">Highest SQ level on any node (Low, Medium, High).</param>
public sealed record NetworkTenantDemand(string Tenant, IReadOnlyList<string> Nodes, double ReadRate, double WriteRate, double BitRate, ulong SharedMemorySize, string MaxSqLevel);
