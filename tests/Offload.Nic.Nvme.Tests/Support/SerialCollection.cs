namespace Offload.Nic.Nvme.Tests.Support;

/// <summary>Tests that measure process-wide memory/handles run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
