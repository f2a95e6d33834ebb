using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Offload.Emulation.LoadGen;

namespace Offload.Emulation.Tests.LoadGen;

/// <summary>
/// The listener on a real raw socket: TCP segments with and without the 0x9E option are injected on loopback with
/// IP_HDRINCL (the kernel delivers a copy to every raw TCP socket). Needs root.
/// </summary>
public sealed class RateAdvertisementListenerTests
{
    private static readonly IPEndPoint Local = new(IPAddress.Loopback, 41_001);
    private static readonly IPEndPoint Remote = new(IPAddress.Loopback, 4420);

    /// <remarks>A raw socket also receives every other TCP segment on the host; when the other test assemblies push
    /// GB/s over loopback, the kernel can still drop the injected segments despite the listener's large buffer. So
    /// the whole sequence is tried on up to three fresh connections (new local port, new listener), and one attempt
    /// must see all of it.</remarks>
    [Fact]
    public async Task Receive_SegmentsWithRateOption_ReportsEachNewRateOnlyForTheConnection()
    {
        string seen = string.Empty;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var local = new IPEndPoint(IPAddress.Loopback, Local.Port + (attempt * 10));
            var rates = new List<uint>();
            using var listener = new RateAdvertisementListener(local, Remote, rate => { lock (rates) { rates.Add(rate); } });
            using var injector = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Tcp);
            injector.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.HeaderIncluded, true);
            await Task.Delay(200); // the listener's first receive is posted

            RateSegments.Send(injector, RateSegments.Segment(Remote, local, rate: 12_345));
            RateSegments.Send(injector, RateSegments.Segment(Remote, local, rate: 12_345)); // same rate: not reported again
            RateSegments.Send(injector, RateSegments.Segment(Remote, new IPEndPoint(IPAddress.Loopback, 41_002 + (attempt * 10)), rate: 1)); // another connection
            RateSegments.Send(injector, RateSegments.Segment(Remote, local, rate: null)); // no option
            RateSegments.Send(injector, RateSegments.Segment(Remote, local, rate: 777));

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((listener.Advertisements < 3 || listener.Segments < 4) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            seen += $"attempt {attempt + 1}: {listener.Segments} segments, {listener.Advertisements} advertisements; ";
            if (listener.Advertisements < 3 || listener.Segments < 4)
            {
                continue; // segments dropped under other traffic: a fresh connection
            }

            lock (rates)
            {
                Assert.Equal([12_345u, 777u], rates);
            }

            Assert.Equal(777u, listener.LastRate);
            Assert.Equal(4L, listener.Segments);
            return;
        }

        Assert.Fail(seen);
    }

    [Fact]
    public void TryAccept_TruncatedOrForeignPackets_Rejected()
    {
        using var listener = new RateAdvertisementListener(Local, Remote, _ => { });
        var good = RateSegments.Segment(Remote, Local, rate: 5);

        Assert.True(listener.TryAccept(good, out var rate));
        Assert.Equal(5u, rate);
        for (var length = 0; length < 32; length++)
        {
            Assert.False(listener.TryAccept(good.AsSpan(0, length), out _)); // IHL 7 + ports need 32 bytes
        }

        var reversed = RateSegments.Segment(Local, Remote, rate: 5);
        Assert.False(listener.TryAccept(reversed, out _));
    }
}
