namespace Offload.Nic.Nvme.Namespace;

/// <summary>A namespace's window [Start, Start+Size) of the shared memory region.</summary>
internal sealed class RegionNamespaceStore(SharedMemoryRegion region, long start, long size) : INamespaceStore
{
    private const int Chunk = 1 << 30;

    public long Size { get; } = size;

    public void Read(long offset, Span<byte> destination) => region.Slice(start + offset, destination.Length).CopyTo(destination);

    public void Write(long offset, ReadOnlySpan<byte> source) => source.CopyTo(region.Slice(start + offset, source.Length));

    public void Zero(long offset, long size)
    {
        while (size > 0)
        {
            var n = (int)Math.Min(size, Chunk);
            region.Slice(start + offset, n).Clear();
            offset += n;
            size -= n;
        }
    }

    public void Flush() => region.Flush();
}
