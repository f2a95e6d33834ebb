using System.Runtime.InteropServices;

namespace Offload.Nic.Nvme.Transport;

/// <summary><c>struct epoll_event</c> as x86-64 Linux lays it out (packed: 4-byte events, 8-byte data at offset 4).</summary>
[StructLayout(LayoutKind.Explicit, Size = 12)]
internal struct EpollEvent
{
    [FieldOffset(0)]
    public uint Events;

    [FieldOffset(4)]
    public ulong Data;
}
