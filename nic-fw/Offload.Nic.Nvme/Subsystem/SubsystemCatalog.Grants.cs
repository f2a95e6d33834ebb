namespace Offload.Nic.Nvme.Subsystem;

public sealed partial class SubsystemCatalog
{
    /// <summary>Per-application grants from the host controller (I/O queue count, dequeue weight).</summary>
    public ApplicationGrants Grants { get; } = new();
}
