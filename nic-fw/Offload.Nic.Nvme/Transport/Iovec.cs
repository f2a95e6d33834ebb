using System.Runtime.InteropServices;

namespace Offload.Nic.Nvme.Transport;

/// <summary><c>struct iovec</c> (x86-64 Linux): one piece of a gathered send.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Iovec
{
    public nint Base;
    public nuint Length;
}
