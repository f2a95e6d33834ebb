namespace Offload.Emulation.Tests.LoadGen;

/// <summary>Process-wide allocation counts: runs alone (no other test allocating in parallel).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    public const string Name = "Allocation";
}
