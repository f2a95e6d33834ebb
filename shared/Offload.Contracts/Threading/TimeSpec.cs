using System.Runtime.InteropServices;

namespace Offload.Contracts.Threading;

/// <summary>struct timespec (64-bit Linux): a duration or a point on a clock, for epoll_pwait2, clock_nanosleep and
/// clock_gettime.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct TimeSpec
{
    public long Seconds;
    public long Nanoseconds;

    public readonly long TotalNanoseconds => (Seconds * 1_000_000_000) + Nanoseconds;

    public static TimeSpec FromNanoseconds(long nanoseconds) =>
        new() { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
}
