namespace Offload.Nic.Nvme.Namespace;

/// <summary>One namespace: NSID, LBA format (512 or 4096), identifiers and its backing store.</summary>
public sealed class NvmeNamespace
{
    public NvmeNamespace(NamespaceId id, int blockSize, INamespaceStore store, Guid nguid, Guid uuid)
    {
        if (blockSize is not (512 or 4096))
        {
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "Block size must be 512 or 4096.");
        }

        Id = id;
        BlockSize = blockSize;
        BlockSizeShift = blockSize == 512 ? 9 : 12;
        Store = store;
        BlockCount = (ulong)(store.Size >> BlockSizeShift);
        Nguid = nguid;
        Uuid = uuid;
    }

    public NamespaceId Id { get; }

    public int BlockSize { get; }

    public int BlockSizeShift { get; }

    public ulong BlockCount { get; }

    public Guid Nguid { get; }

    public Guid Uuid { get; }

    public INamespaceStore Store { get; }

    /// <summary>A namespace that is not ready answers I/O with Namespace Not Ready (e.g. while being provisioned).</summary>
    public bool IsReady { get; set; } = true;

    /// <summary>True when [slba, slba+blocks) lies inside the namespace; catches 64-bit wraparound.</summary>
    public bool ContainsRange(ulong slba, ulong blocks) =>
        blocks <= BlockCount && slba <= BlockCount - blocks;
}
