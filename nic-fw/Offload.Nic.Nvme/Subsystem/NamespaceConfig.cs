namespace Offload.Nic.Nvme.Subsystem;

public sealed class NamespaceConfig
{
    public uint Nsid { get; set; } = 1;

    /// <summary>Namespace size in bytes (a multiple of the block size).</summary>
    public long Size { get; set; } = 64L * 1024 * 1024;

    public int BlockSize { get; set; } = 512;

    public Guid? Nguid { get; set; }

    public Guid? Uuid { get; set; }
}
