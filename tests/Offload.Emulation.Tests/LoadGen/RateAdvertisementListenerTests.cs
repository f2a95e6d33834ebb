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

    [Fact]
    public async Task Receive_SegmentsWithRateOption_ReportsEachNewRateOnlyForTheConnection()
    {
        var rates = new List<uint>();
        using var listener = new RateAdvertisementListener(Local, Remote, rate => { lock (rates) { rates.Add(rate); } });
        using var injector = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Tcp);
        injector.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.HeaderIncluded, true);
        await Task.Delay(200); // the listener's first receive is posted

        Send(injector, Segment(Remote, Local, rate: 12_345));
        Send(injector, Segment(Remote, Local, rate: 12_345)); // same rate: not reported again
        Send(injector, Segment(Remote, new IPEndPoint(IPAddress.Loopback, 41_002), rate: 1)); // another connection
        Send(injector, Segment(Remote, Local, rate: null)); // no option
        Send(injector, Segment(Remote, Local, rate: 777));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (listener.Advertisements < 3 || listener.Segments < 4)
        {
            Assert.True(DateTime.UtcNow < deadline, $"seen {listener.Segments} segments, {listener.Advertisements} advertisements");
            await Task.Delay(20);
        }

        lock (rates)
        {
            Assert.Equal([12_345u, 777u], rates);
        }

        Assert.Equal(777u, listener.LastRate);
    }

    [Fact]
    public void TryAccept_TruncatedOrForeignPackets_Rejected()
    {
        using var listener = new RateAdvertisementListener(Local, Remote, _ => { });
        var good = Segment(Remote, Local, rate: 5);

        Assert.True(listener.TryAccept(good, out var rate));
        Assert.Equal(5u, rate);
        for (var length = 0; length < 32; length++)
        {
            Assert.False(listener.TryAccept(good.AsSpan(0, length), out _)); // IHL 7 + ports need 32 bytes
        }

        var reversed = Segment(Local, Remote, rate: 5);
        Assert.False(listener.TryAccept(reversed, out _));
    }

    private static void Send(Socket injector, byte[] packet) => injector.SendTo(packet, new IPEndPoint(IPAddress.Loopback, 0));

    /// <summary>An IPv4 TCP ACK from <paramref name="from"/> to <paramref name="to"/>, with the rate option when given.</summary>
    private static byte[] Segment(IPEndPoint from, IPEndPoint to, uint? rate)
    {
        var ihl = rate is null ? 20 : 28;
        var packet = new byte[ihl + 20];
        packet[0] = (byte)(0x40 | (ihl / 4));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = 6;
        from.Address.TryWriteBytes(packet.AsSpan(12), out _);
        to.Address.TryWriteBytes(packet.AsSpan(16), out _);
        if (rate is { } r)
        {
            packet[20] = 0x9E;
            packet[21] = 8;
            packet[22] = 1;
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(24), r);
        }

        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Checksum(packet.AsSpan(0, ihl)));
        var tcp = packet.AsSpan(ihl);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)from.Port);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], (ushort)to.Port);
        tcp[12] = 0x50;
        tcp[13] = 0x10; // ACK
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 1024);
        return packet;
    }

    private static ushort Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
