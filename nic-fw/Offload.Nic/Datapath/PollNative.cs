using System.Runtime.InteropServices;

namespace Offload.Nic.Datapath;

/// <summary>poll(2), which the poll loop parks in, and the eventfd(2) that wakes it (Linux).</summary>
internal static partial class PollNative
{
    /// <summary>EFD_NONBLOCK | EFD_CLOEXEC.</summary>
    internal const int EventNonBlockingCloseOnExec = 0x800 | 0x80000;

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static unsafe partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventDescriptor(uint initialValue, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static unsafe partial nint Read(int descriptor, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static unsafe partial nint Write(int descriptor, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int descriptor);
}
