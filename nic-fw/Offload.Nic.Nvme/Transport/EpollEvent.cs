using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Offload.Nic.Nvme.Transport;

/// <summary>
/// <c>struct epoll_event</c> (a 4-byte event mask and an 8-byte data word) in the process's own layout. The kernel's
/// uapi header packs it on x86-64 only (12 bytes, data at offset 4); every other 64-bit architecture, the BlueField's
/// arm64 among them, aligns the data word (16 bytes, data at offset 8). A fixed 12-byte struct made an arm64 nic-fw read
/// each ready descriptor's token from the wrong bytes. 32-bit x86 aligns 8-byte members to 4, so it has the packed
/// layout too.
/// </summary>
internal static class EpollEvent
{
    /// <summary>Bytes per event in this process.</summary>
    public static readonly int Size = SizeOf(RuntimeInformation.ProcessArchitecture);

    /// <summary>Offset of the data word in this process.</summary>
    public static readonly int DataOffset = DataOffsetOf(RuntimeInformation.ProcessArchitecture);

    /// <summary>The largest event of any architecture: stack buffers sized with it fit every layout.</summary>
    public const int MaxSize = 16;

    public static int SizeOf(Architecture architecture) => IsPacked(architecture) ? 12 : 16;

    public static int DataOffsetOf(Architecture architecture) => IsPacked(architecture) ? 4 : 8;

    /// <summary>Writes event <paramref name="index"/> of <paramref name="buffer"/>.</summary>
    public static unsafe void Write(byte* buffer, int index, uint events, ulong data)
    {
        byte* at = buffer + (index * Size);
        Unsafe.WriteUnaligned(at, events);
        if (DataOffset > sizeof(uint))
        {
            Unsafe.WriteUnaligned(at + sizeof(uint), 0u); // the alignment padding
        }

        Unsafe.WriteUnaligned(at + DataOffset, data);
    }

    /// <summary>The data word of event <paramref name="index"/> of <paramref name="buffer"/>.</summary>
    public static unsafe ulong DataAt(byte* buffer, int index) => Unsafe.ReadUnaligned<ulong>(buffer + (index * Size) + DataOffset);

    private static bool IsPacked(Architecture architecture) => architecture is Architecture.X64 or Architecture.X86;
}
