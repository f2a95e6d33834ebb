namespace Offload.Nic.Nvme.Namespace;

/// <summary>NSID (NVMe Base 2.0, 3.2.1). 0 and 0xFFFFFFFF are not valid I/O namespace IDs.</summary>
public readonly record struct NamespaceId(uint Value)
{
    public bool IsValidIo => Value != 0 && Value != uint.MaxValue;
}
