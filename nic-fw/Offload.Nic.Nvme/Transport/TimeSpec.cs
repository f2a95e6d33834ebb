using System.Runtime.InteropServices;

namespace Offload.Nic.Nvme.Transport;

/// <summary>struct timespec (64-bit Linux): a duration or a point on a clock, for epoll_pwait2 and clock_nanosleep.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TimeSpec
{
    public long Seconds;
    public long Nanoseconds;

    public static TimeSpec FromNanoseconds(long nanoseconds) =>
        new() { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
}
