namespace Offload.Nic.Nvme.Namespace;

/// <summary>A namespace's window [Start, Start+Size) of the shared memory region. Every access goes through the
/// store's <see cref="StripeLocks"/>, so each logical block is read and written atomically (AWUN = 0) — also against
/// zero-copy sends that point into the region.</summary>
internal sealed class RegionNamespaceStore : IZeroCopyNamespaceStore
{
    private readonly SharedMemoryRegion _region;
    private readonly long _start;

    public RegionNamespaceStore(SharedMemoryRegion region, long start, long size)
    {
        _region = region;
        _start = start;
        Size = size;
        Stripes = new StripeLocks(size);
    }

    public long Size { get; }

    internal StripeLocks Stripes { get; }

    /// <summary>Copies stripe by stripe; a stripe a writer touched meanwhile is copied again (sequence lock).</summary>
    public void Read(long offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var n = ChunkSize(offset, destination.Length);
            var word = Stripes.WordOf(offset);
            var source = _region.Slice(_start + offset, n);
            while (true)
            {
                var sequence = Stripes.BeginRead(word);
                source.CopyTo(destination);
                if (Stripes.ValidateRead(word, sequence))
                {
                    break;
                }
            }

            offset += n;
            destination = destination[n..];
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        while (!source.IsEmpty)
        {
            var n = ChunkSize(offset, source.Length);
            var word = Stripes.WordOf(offset);
            var destination = _region.Slice(_start + offset, n);
            Stripes.EnterWrite(word);
            source[..n].CopyTo(destination);
            Stripes.ExitWrite(word);
            offset += n;
            source = source[n..];
        }
    }

    public void Zero(long offset, long size)
    {
        while (size > 0)
        {
            var n = ChunkSize(offset, (int)Math.Min(size, int.MaxValue));
            var word = Stripes.WordOf(offset);
            var destination = _region.Slice(_start + offset, n);
            Stripes.EnterWrite(word);
            destination.Clear();
            Stripes.ExitWrite(word);
            offset += n;
            size -= n;
        }
    }

    public void Flush() => _region.Flush();

    public nint Pin(long offset, int size)
    {
        var address = _region.Address(_start + offset, size);
        var end = offset + size;
        for (var o = offset & ~(long)(StripeLocks.StripeSize - 1); o < end; o += StripeLocks.StripeSize)
        {
            Stripes.Pin(Stripes.WordOf(o));
        }

        return address;
    }

    public void Unpin(long offset, int size)
    {
        var end = offset + size;
        for (var o = offset & ~(long)(StripeLocks.StripeSize - 1); o < end; o += StripeLocks.StripeSize)
        {
            Stripes.Unpin(Stripes.WordOf(o));
        }
    }

    /// <summary>Bytes from <paramref name="offset"/> to the end of its stripe, at most <paramref name="remaining"/>.</summary>
    private static int ChunkSize(long offset, int remaining) =>
        (int)Math.Min(remaining, StripeLocks.StripeSize - (offset & (StripeLocks.StripeSize - 1)));
}
