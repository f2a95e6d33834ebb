using System.Runtime.InteropServices;
using Offload.Contracts.Threading;

namespace Offload.Nic.Nvme.Transport;

/// <summary>epoll(7) and eventfd(2) for the <see cref="PollGroup"/> (Linux x86-64 only: see <see cref="PollGroup.IsSupported"/>).</summary>
internal static partial class EpollNative
{
    internal const int CloseOnExec = 0x80000;
    internal const int EventNonBlockingCloseOnExec = 0x800 | 0x80000;
    internal const int Add = 1;
    internal const int Delete = 2;
    internal const uint In = 0x001;
    internal const uint Out = 0x004;
    internal const uint Error = 0x008;
    internal const uint HangUp = 0x010;
    internal const uint ReadHangUp = 0x2000;
    internal const uint EdgeTriggered = 1u << 31;
    internal const int Interrupted = 4;
    internal const int NotImplemented = 38;

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    internal static partial int Create(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    internal static unsafe partial int Control(int epoll, int operation, int descriptor, byte* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    internal static unsafe partial int Wait(int epoll, byte* events, int maxEvents, int timeoutMilliseconds);

    /// <summary>epoll_wait with a timeout in nanoseconds (Linux 5.11, glibc 2.35); null = no timeout. ENOSYS on older
    /// kernels.</summary>
    [LibraryImport("libc", EntryPoint = "epoll_pwait2", SetLastError = true)]
    internal static unsafe partial int WaitPrecise(int epoll, byte* events, int maxEvents, TimeSpec* timeout, nint signalMask);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventDescriptor(uint initialValue, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static unsafe partial nint Read(int descriptor, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static unsafe partial nint Write(int descriptor, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int descriptor);
}
