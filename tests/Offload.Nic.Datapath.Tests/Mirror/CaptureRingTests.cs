using Offload.Nic.Datapath.Mirror;

namespace Offload.Nic.Datapath.Tests.Mirror;

public class CaptureRingTests
{
    [Fact]
    public void TryWrite_FullRing_DropsAndCountsAndKeepsOldest()
    {
        var ring = new CaptureRing(2, 4);
        Assert.True(ring.TryWrite([1, 2, 3, 4, 5, 6], 10, outbound: false));
        Assert.True(ring.TryWrite([7], 20, outbound: true));
        Assert.False(ring.TryWrite([9], 30, outbound: false));
        Assert.Equal(1, ring.Dropped);

        Assert.True(ring.TryRead(out long t, out int original, out bool outbound, out byte[] data));
        Assert.Equal((10L, 6, false), (t, original, outbound));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, data); // cut at the snap length
        Assert.True(ring.TryRead(out t, out _, out outbound, out data));
        Assert.Equal((20L, true), (t, outbound));
        Assert.Equal(new byte[] { 7 }, data);
        Assert.False(ring.TryRead(out _, out _, out _, out _));
    }

    [Fact]
    public async Task TryWriteTryRead_ConcurrentProducerConsumer_EveryFrameInOrderOrCountedDropped()
    {
        var ring = new CaptureRing(64, 8);
        const int Total = 200_000;
        var producer = Task.Run(() =>
        {
            Span<byte> frame = stackalloc byte[8];
            for (int i = 0; i < Total; i++)
            {
                BitConverter.TryWriteBytes(frame, i);
                ring.TryWrite(frame, i, outbound: false);
            }
        });
        long received = 0, last = -1;
        while (!producer.IsCompleted || ring.Count > 0)
        {
            while (ring.TryRead(out long t, out _, out _, out byte[] data))
            {
                Assert.True(t > last, $"frame {t} after {last}");
                Assert.Equal((int)t, BitConverter.ToInt32(data));
                last = t;
                received++;
            }
        }

        await producer;
        Assert.Equal(Total, received + ring.Dropped);
    }
}
