namespace Offload.Nic.Nvme.Subsystem;

/// <summary>The shared memory region backing every namespace: anonymous when Path is null, else a mapped file.</summary>
public sealed class SharedMemoryConfig
{
    public string? Path { get; set; }

    /// <summary>Region size in bytes; 0 means the sum of the namespace sizes.</summary>
    public long Size { get; set; }
}
