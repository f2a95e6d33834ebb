using System.Runtime.InteropServices;

namespace Offload.Nic.Nvme.Transport;

/// <summary>sendmsg(2) with an iovec for the poll group's zero-copy sends: C2HData headers from the send buffer and
/// read data straight from the namespace's memory in one call (Linux x86-64, like <see cref="EpollNative"/>).</summary>
internal static partial class SendNative
{
    /// <summary>MSG_DONTWAIT | MSG_NOSIGNAL: never block the poll thread, never raise SIGPIPE on a reset peer.</summary>
    internal const int DontWaitNoSignal = 0x40 | 0x4000;
    internal const int WouldBlock = 11; // EAGAIN
    internal const int Interrupted = 4; // EINTR

    /// <summary>At most this many iovecs per call (Linux UIO_MAXIOV is 1024).</summary>
    internal const int MaxIovecs = 1024;

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    internal static unsafe partial nint SendMessage(int socket, MessageHeader* message, int flags);
}
