using Offload.Nic.Nvme.Namespace;

namespace Offload.Nic.Nvme.Tests.Namespace;

/// <summary>Block atomicity of the shared-memory namespace store (AWUN = 0: one logical block) against concurrent
/// writers, copying readers and zero-copy pins, on real threads.</summary>
public sealed class RegionNamespaceStoreTests
{
    [Fact]
    public async Task Write_WhileRangePinned_WaitsUntilUnpinned()
    {
        using var region = SharedMemoryRegion.CreateAnonymous(1 << 20);
        var store = new RegionNamespaceStore(region, 4096, 512 * 1024);
        var address = store.Pin(8192, 16384);
        Assert.Equal(1, store.Stripes.PinCount(8192));
        Assert.Equal(1, store.Stripes.PinCount(8192 + 16383));
        var data = Enumerable.Repeat((byte)0x5A, 4096).ToArray();
        var write = Task.Run(() => store.Write(12288, data));
        await Task.Delay(200);
        Assert.False(write.IsCompleted, "a write into a pinned block did not wait for the pin");
        Assert.Equal(0, ReadAt(address, 4096));
        store.Unpin(8192, 16384);
        await write.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0x5A, ReadAt(address, 4096));
        Assert.Equal(0, store.Stripes.PinCount(8192));
    }

    [Fact]
    public async Task Write_OutsidePinnedStripes_DoesNotWait()
    {
        using var region = SharedMemoryRegion.CreateAnonymous(1 << 20);
        var store = new RegionNamespaceStore(region, 0, 1 << 20);
        store.Pin(0, 8192);
        await Task.Run(() => store.Write(8192, new byte[4096])).WaitAsync(TimeSpan.FromSeconds(10));
        store.Unpin(0, 8192);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(512)]
    public async Task Read_ConcurrentWritersOfWholeBlocks_EveryBlockIsOneWritersImage(int blockSize)
    {
        using var region = SharedMemoryRegion.CreateAnonymous(1 << 20);
        var store = new RegionNamespaceStore(region, blockSize, 256 * 1024);
        const int Size = 64 * 1024;
        using var stop = new CancellationTokenSource();
        var writers = new Task[2];
        for (var w = 0; w < writers.Length; w++)
        {
            var value = (byte)(0x11 * (w + 1));
            writers[w] = Task.Factory.StartNew(() =>
            {
                var data = Enumerable.Repeat(value, Size).ToArray();
                while (!stop.IsCancellationRequested)
                {
                    store.Write(0, data);
                }
            }, TaskCreationOptions.LongRunning);
        }

        var back = new byte[Size];
        var torn = 0;
        for (var i = 0; i < 4000; i++)
        {
            store.Read(0, back);
            for (var block = 0; block < Size; block += blockSize)
            {
                var span = back.AsSpan(block, blockSize);
                if (span.IndexOfAnyExcept(span[0]) >= 0)
                {
                    torn++;
                }
            }
        }

        stop.Cancel();
        await Task.WhenAll(writers);
        Assert.Equal(0, torn);
    }

    private static unsafe byte ReadAt(nint address, int offset) => ((byte*)address)[offset];
}
