using Offload.Nic.Nvme.Scheduler;

namespace Offload.Nic.Nvme;

/// <summary>Per-connection (per-flow) counters for flow metadata: the connections' lines in <see cref="Telemetry"/>.</summary>
public sealed partial class NvmeTcpTarget : IConnectionCounterSource
{
}
