using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Offload.Emulation.LoadGen;

namespace Offload.Emulation.Tests.LoadGen;

/// <summary>Hand-made IPv4 TCP segments carrying the datapath's rate option (0x9E), injected on loopback through a raw
/// socket, for the rate-advertisement listener and the load generator that follows it.</summary>
internal static class RateSegments
{
    internal static void Send(Socket injector, byte[] packet) => injector.SendTo(packet, new IPEndPoint(IPAddress.Loopback, 0));

    /// <summary>An IPv4 TCP ACK from <paramref name="from"/> to <paramref name="to"/>, with the rate option when given.</summary>
    internal static byte[] Segment(IPEndPoint from, IPEndPoint to, uint? rate)
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

    internal static ushort Checksum(ReadOnlySpan<byte> header)
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
