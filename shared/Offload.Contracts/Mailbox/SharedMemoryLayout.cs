using System.Numerics;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// The layout of a shared-memory mailbox file: a 4 KiB header page, then the device-to-host ring, then the
/// host-to-device ring, each <c>RingSize</c> bytes. The header page holds the magic, the version and the ring size, and
/// for each ring four 64-byte cache lines: write position, read position, reader-sleeping flag, writer-sleeping flag.
/// Positions are 64-bit byte counts that only grow; a byte's place in the ring is its position modulo the ring size.
/// All integers are little-endian (the mapped memory is used natively by both ends on the same machine).
/// </summary>
internal static class SharedMemoryLayout
{
    /// <summary>"OFSM" in the first four bytes of the file and of the hello.</summary>
    public const uint Magic = 0x4D53464F;

    public const ushort Version = 1;

    public const int HeaderSize = 4096;

    public const int CacheLineSize = 64;

    public const int MinRingSize = 4 * 1024;

    public const int MaxRingSize = 256 * 1024 * 1024;

    public const int DefaultRingSize = 4 * 1024 * 1024;

    /// <summary>Header offsets: magic (u32), version (u16), ring size (u64).</summary>
    public const int MagicOffset = 0;

    public const int VersionOffset = 4;

    public const int RingSizeOffset = 8;

    /// <summary>The first ring's control block; each ring's block is four cache lines.</summary>
    public const int ControlOffset = 256;

    public const int ControlSize = 4 * CacheLineSize;

    public const int WritePositionLine = 0;

    public const int ReadPositionLine = CacheLineSize;

    public const int ReaderSleepingLine = 2 * CacheLineSize;

    public const int WriterSleepingLine = 3 * CacheLineSize;

    /// <summary>Ring 0 carries device-to-host bytes, ring 1 host-to-device bytes.</summary>
    public const int DeviceToHost = 0;

    public const int HostToDevice = 1;

    /// <summary>Doorbell bytes on the rendezvous socket: data was written for a sleeping reader; space was freed for a sleeping writer.</summary>
    public const byte DataDoorbell = (byte)'D';

    public const byte SpaceDoorbell = (byte)'S';

    /// <summary>The host's one-byte answer to the hello once it has mapped the file.</summary>
    public const byte MappedAnswer = (byte)'A';

    public static bool IsValidRingSize(long size) => size is >= MinRingSize and <= MaxRingSize && BitOperations.IsPow2(size);

    public static long FileSize(int ringSize) => HeaderSize + (2L * ringSize);

    public static int ControlBlock(int ring) => ControlOffset + (ring * ControlSize);

    public static long DataOffset(int ring, int ringSize) => HeaderSize + ((long)ring * ringSize);
}
