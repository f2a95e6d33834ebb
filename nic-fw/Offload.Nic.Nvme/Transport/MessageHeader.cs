using System.Runtime.InteropServices;

namespace Offload.Nic.Nvme.Transport;

/// <summary><c>struct msghdr</c> (x86-64 Linux) for <see cref="SendNative.SendMessage"/>; only the iovec fields are used.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MessageHeader
{
    public nint Name;
    public uint NameLength;
    public Iovec* Iov;
    public nuint IovLength;
    public nint Control;
    public nuint ControlLength;
    public int Flags;
}
