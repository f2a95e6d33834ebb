using System.Buffers.Binary;

namespace Offload.Nic.Nvme.Pdu;

/// <summary>
/// CRC32C (Castagnoli) as used by NVMe/TCP HDGST/DDGST: initial value 0xFFFFFFFF, reflected, final XOR 0xFFFFFFFF,
/// stored little-endian on the wire. Check value for "123456789" is 0xE3069283. The arithmetic is the mailbox's
/// <see cref="Offload.Contracts.Mailbox.Crc32C"/>; this type adds the NVMe/TCP digest byte order.
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => Offload.Contracts.Mailbox.Crc32C.Compute(data);

    /// <summary>Raw update without the initial/final inversion (crc starts at 0xFFFFFFFF, finish with ~).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) => Offload.Contracts.Mailbox.Crc32C.Append(crc, data);

    public static bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> digest) =>
        digest.Length == 4 && Compute(data) == BinaryPrimitives.ReadUInt32LittleEndian(digest);

    public static void Write(ReadOnlySpan<byte> data, Span<byte> digest) =>
        BinaryPrimitives.WriteUInt32LittleEndian(digest, Compute(data));
}
