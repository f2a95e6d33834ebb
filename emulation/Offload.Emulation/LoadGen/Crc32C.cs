using System.Buffers.Binary;
using System.Numerics;

namespace Offload.Emulation.LoadGen;

/// <summary>CRC32C (Castagnoli), the NVMe/TCP header and data digest (NVMe/TCP 1.0 §3.6.2.x, init and final XOR ~0).</summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFF_FFFFu;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
