namespace Offload.Nic.Nvme;

/// <summary><c>Nvme:Listen</c>: where the NVMe/TCP target accepts connections (ADDR:PORT).</summary>
internal sealed class NvmeListenOptions
{
    public string Listen { get; set; } = NvmeTargetServiceCollectionExtensions.DefaultListen;
}
