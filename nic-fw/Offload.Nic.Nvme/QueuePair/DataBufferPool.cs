namespace Offload.Nic.Nvme.QueuePair;

/// <summary>
/// Target-wide pool of write staging buffers, each MDTS bytes. Grows on demand (bounded by outstanding requests),
/// keeps up to <see cref="MaxCached"/> for reuse. <see cref="Outstanding"/> returns to its baseline when every
/// request has completed or its connection has been torn down.
/// </summary>
public sealed class DataBufferPool(int bufferSize, int maxCached = 1024)
{
    private readonly Stack<byte[]> _free = new();
    private readonly Lock _lock = new();
    private int _outstanding;

    public int BufferSize { get; } = bufferSize;

    public int MaxCached { get; } = maxCached;

    public int Outstanding => Volatile.Read(ref _outstanding);

    public int Cached
    {
        get
        {
            lock (_lock)
            {
                return _free.Count;
            }
        }
    }

    public byte[] Rent()
    {
        lock (_lock)
        {
            _outstanding++;
            if (_free.TryPop(out var buffer))
            {
                return buffer;
            }
        }

        return GC.AllocateUninitializedArray<byte>(BufferSize);
    }

    public void Return(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        lock (_lock)
        {
            _outstanding--;
            if (_free.Count < MaxCached)
            {
                _free.Push(buffer);
            }
        }
    }
}
