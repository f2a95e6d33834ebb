namespace Offload.Host;

/// <summary>Facts about this offloadd process that the management API reports.</summary>
/// <param name="StartedAt">When the process started serving (UTC).</param>
/// <param name="Version">offloadd's version (see <see cref="Offload.Contracts.Management.ProductVersion"/>).</param>
public sealed record DaemonInfo(DateTimeOffset StartedAt, string Version);
