using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), initial value 0xFFFFFFFF and final XOR 0xFFFFFFFF,
/// as used by iSCSI (RFC 3720 B.4) and NVMe/TCP digests. Check value for "123456789" is 0xE3069283.
/// Uses the SSE4.2 / ARMv8 CRC32C instructions through <see cref="BitOperations.Crc32C(uint, ulong)"/>.
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFFFFFFu, data);

    public static uint Compute(in ReadOnlySequence<byte> data)
    {
        if (data.IsSingleSegment)
        {
            return Compute(data.FirstSpan);
        }

        uint crc = 0xFFFFFFFFu;
        foreach (var segment in data)
        {
            crc = Append(crc, segment.Span);
        }

        return ~crc;
    }

    /// <summary>Continues a running (non-finalized) CRC. Start with 0xFFFFFFFF and complement the result.</summary>
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

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }
}
