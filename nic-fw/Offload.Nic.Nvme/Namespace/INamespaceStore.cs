namespace Offload.Nic.Nvme.Namespace;

/// <summary>Seam over the bytes of one namespace. Offsets/lengths are in bytes and already range-checked.</summary>
public interface INamespaceStore
{
    long Size { get; }

    void Read(long offset, Span<byte> destination);

    void Write(long offset, ReadOnlySpan<byte> source);

    void Zero(long offset, long size);

    void Flush();
}
