using System.Buffers.Binary;

namespace Offload.Host.Switching;

/// <summary>
/// The fields of the datapath's 64-byte flow key (docs/PROTOCOL.md, "Flow key") that the learning switch reads and
/// matches: eight little-endian 64-bit words; W0 bits 0..15 = in_port, W1 bits 0..47 = eth_dst, W2 bits 0..47 = eth_src.
/// </summary>
internal static class SwitchFlowKey
{
    /// <summary>Size of the key on the wire.</summary>
    public const int Size = 64;

    private const ulong Mac48 = 0xFFFF_FFFF_FFFFUL;

    /// <summary>Reads in_port, eth_src and eth_dst; false when the key is shorter than <see cref="Size"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> key, out ushort inPort, out MacAddress source, out MacAddress destination)
    {
        if (key.Length < Size)
        {
            inPort = 0;
            source = default;
            destination = default;
            return false;
        }

        inPort = (ushort)BinaryPrimitives.ReadUInt64LittleEndian(key);
        destination = new MacAddress(BinaryPrimitives.ReadUInt64LittleEndian(key[8..]) & Mac48);
        source = new MacAddress(BinaryPrimitives.ReadUInt64LittleEndian(key[16..]) & Mac48);
        return true;
    }

    /// <summary>A match on (in_port, eth_src, eth_dst).</summary>
    public static byte[] Match(ushort inPort, MacAddress source, MacAddress destination)
    {
        var key = new byte[Size];
        BinaryPrimitives.WriteUInt64LittleEndian(key, inPort);
        BinaryPrimitives.WriteUInt64LittleEndian(key.AsSpan(8), destination.Value & Mac48);
        BinaryPrimitives.WriteUInt64LittleEndian(key.AsSpan(16), source.Value & Mac48);
        return key;
    }

    /// <summary>The mask selecting in_port, eth_src and eth_dst.</summary>
    public static byte[] PortAndAddressesMask() => Match(ushort.MaxValue, new MacAddress(Mac48), new MacAddress(Mac48));
}
