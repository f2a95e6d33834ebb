using System.Buffers.Binary;
using System.Text;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// The device's first bytes on the rendezvous socket: magic (u32), version (u16), path size (u16), ring size (u64),
/// file size (u64), then the ring file's path in UTF-8. Little-endian. The host checks every field before it maps
/// anything.
/// </summary>
internal readonly record struct SharedMemoryHello(int RingSize, long FileSize, string RingPath)
{
    public const int FixedSize = 24;

    /// <summary>A generous cap: the path is the socket path (at most 107 bytes) plus a short suffix.</summary>
    public const int MaxPathSize = 512;

    public byte[] ToBytes()
    {
        int pathSize = Encoding.UTF8.GetByteCount(RingPath);
        if (pathSize > MaxPathSize)
        {
            throw new IOException($"Shared-memory ring path '{RingPath}' is longer than {MaxPathSize} bytes.");
        }

        byte[] bytes = new byte[FixedSize + pathSize];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, SharedMemoryLayout.Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), SharedMemoryLayout.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), (ushort)pathSize);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), RingSize);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), FileSize);
        Encoding.UTF8.GetBytes(RingPath, bytes.AsSpan(FixedSize));
        return bytes;
    }

    /// <summary>Checks the fixed part; returns the size of the path that follows it.</summary>
    public static int ReadFixed(ReadOnlySpan<byte> header, out int ringSize, out long fileSize)
    {
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (magic != SharedMemoryLayout.Magic)
        {
            throw new IOException($"The shared-memory mailbox hello has magic 0x{magic:X8}, expected 0x{SharedMemoryLayout.Magic:X8}; is the endpoint a shm:// device?");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (version != SharedMemoryLayout.Version)
        {
            throw new IOException($"The shared-memory mailbox hello has layout version {version}; this end speaks {SharedMemoryLayout.Version}.");
        }

        int pathSize = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        long size = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        fileSize = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        if (!SharedMemoryLayout.IsValidRingSize(size))
        {
            throw new IOException($"The shared-memory mailbox hello offers a ring of {size} bytes; expected a power of two from {SharedMemoryLayout.MinRingSize} to {SharedMemoryLayout.MaxRingSize}.");
        }

        ringSize = (int)size;
        if (fileSize != SharedMemoryLayout.FileSize(ringSize))
        {
            throw new IOException($"The shared-memory mailbox hello announces a file of {fileSize} bytes; two rings of {ringSize} bytes need {SharedMemoryLayout.FileSize(ringSize)}.");
        }

        if (pathSize is 0 or > MaxPathSize)
        {
            throw new IOException($"The shared-memory mailbox hello announces a ring path of {pathSize} bytes; expected 1 to {MaxPathSize}.");
        }

        return pathSize;
    }
}
