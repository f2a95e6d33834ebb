using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Offload.Contracts.Threading;

/// <summary>
/// Blocks the calling thread in poll(2) until a socket is readable (Linux). .NET's synchronous Socket.Receive on a
/// socket that has also been used asynchronously (the mailbox handshake reads through a PipeReader) does not block in
/// the kernel: the runtime's epoll thread, a normal-priority thread, is woken first and then signals the reader. On a
/// busy machine that hop cost about 1 ms per message even with the reader at real-time priority; parking in poll(2)
/// on the reader's own thread lets the kernel wake that thread directly, and the Receive that follows completes at once.
/// </summary>
public static partial class ReadinessWait
{
    private const short PollIn = 0x001;
    private const int Interrupted = 4;

    /// <summary>True where <see cref="WaitReadable"/> blocks in poll(2); elsewhere it returns at once.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Waits until <paramref name="socket"/> has data, an error or a hang-up, or <paramref name="timeout"/>
    /// passes (then false). Returns true at once where poll(2) is not used, so the caller's read blocks instead.</summary>
    public static unsafe bool WaitReadable(Socket socket, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!IsSupported)
        {
            return true;
        }

        var handle = socket.SafeHandle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var descriptor = new PollDescriptor { Descriptor = (int)handle.DangerousGetHandle(), Events = PollIn };
            int milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
            while (true)
            {
                int ready = Poll(&descriptor, 1, milliseconds);
                if (ready >= 0)
                {
                    return ready > 0;
                }

                if (Marshal.GetLastPInvokeError() != Interrupted)
                {
                    return true; // let the read report the error
                }
            }
        }
        catch (ObjectDisposedException)
        {
            return true; // closed: the read reports it
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }
}
