using System.Runtime.InteropServices;

namespace Offload.Nic.Datapath.Port;

/// <summary>The few libc calls the TAP and AF_PACKET ports need (Linux x86-64).</summary>
internal static partial class LibC
{
    public const int ORdWr = 0x2;
    public const int ONonBlock = 0x800;
    public const int OCloExec = 0x80000;
    public const int AfPacket = 17;
    public const int SockRaw = 3;
    public const int SockNonBlock = 0x800;
    public const ushort EthPAllNetworkOrder = 0x0300; // htons(ETH_P_ALL = 0x0003)
    public const int MsgDontWait = 0x40;
    public const int EAgain = 11;
    public const int EIntr = 4;
    public const int ENoBufs = 105;
    public const uint TunSetIff = 0x400454CA; // _IOW('T', 202, int)
    public const short IffTap = 0x0002;
    public const short IffNoPi = 0x1000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static unsafe partial int Ioctl(int fd, nuint request, void* argument);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    public static unsafe partial int Bind(int fd, void* address, uint length);

    [LibraryImport("libc", EntryPoint = "if_nametoindex", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint IfNameToIndex(string name);

    [LibraryImport("libc", EntryPoint = "recvfrom", SetLastError = true)]
    public static unsafe partial nint RecvFrom(int fd, byte* buffer, nuint length, int flags, void* address, uint* addressLength);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static unsafe partial nint Send(int fd, byte* buffer, nuint length, int flags);
}
