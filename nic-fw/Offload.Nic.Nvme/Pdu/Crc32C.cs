using System.Buffers.Binary;
using System.Numerics;

namespace Offload.Nic.Nvme.Pdu;

/// <summary>
/// CRC32C (Castagnoli) as used by NVMe/TCP HDGST/DDGST: initial value 0xFFFFFFFF, reflected, final XOR 0xFFFFFFFF,
/// stored little-endian on the wire. Check value for "123456789" is 0xE3069283.
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFFFFFFu, data);

    /// <summary>Raw update without the initial/final inversion (crc starts at 0xFFFFFFFF, finish with ~).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        if (data.Length >= 4)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    public static bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> digest) =>
        digest.Length == 4 && Compute(data) == BinaryPrimitives.ReadUInt32LittleEndian(digest);

    public static void Write(ReadOnlySpan<byte> data, Span<byte> digest) =>
        BinaryPrimitives.WriteUInt32LittleEndian(digest, Compute(data));
}
