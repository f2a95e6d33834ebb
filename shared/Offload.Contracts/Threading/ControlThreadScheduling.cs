using System.Runtime.InteropServices;

namespace Offload.Contracts.Threading;

/// <summary>
/// Applies a <see cref="ControlThreadPriority"/> to the calling thread (Linux: sched_setscheduler(2) and
/// setpriority(2) with pid/who 0, which on Linux address the calling thread, not the process). Without the permission
/// (no CAP_SYS_NICE, RLIMIT_RTPRIO 0) or on another OS it falls back to the next lower priority and finally leaves the
/// thread alone; it never throws. Callers log the outcome once. The raised thread's children (threads it creates, e.g.
/// a thread-pool worker started from a handler) start at normal priority (SCHED_RESET_ON_FORK).
/// </summary>
public static partial class ControlThreadScheduling
{
    /// <summary>SCHED_FIFO priority used for <see cref="ControlThreadPriority.RealTime"/> (1..99): low, so kernel
    /// real-time threads (e.g. interrupt threads, at 50) still come first.</summary>
    public const int RealTimePriority = 10;

    /// <summary>Nice value used for <see cref="ControlThreadPriority.High"/>.</summary>
    public const int HighNice = -10;

    private const int SchedOther = 0;
    private const int SchedFifo = 1;

    /// <summary>Threads this thread creates (e.g. thread-pool workers it happens to start) do not inherit the raised
    /// priority or the negative nice value: they start as normal SCHED_OTHER threads.</summary>
    private const int SchedResetOnFork = 0x40000000;
    private const int PrioProcess = 0;

    /// <summary>Sets the calling thread's scheduling; returns what was actually applied.</summary>
    public static ControlThreadPriority ApplyToCurrentThread(ControlThreadPriority requested)
    {
        if (requested == ControlThreadPriority.Normal || !OperatingSystem.IsLinux())
        {
            return ControlThreadPriority.Normal;
        }

        try
        {
            if (requested == ControlThreadPriority.RealTime && SetScheduler(SchedFifo | SchedResetOnFork, RealTimePriority))
            {
                return ControlThreadPriority.RealTime;
            }

            // SCHED_OTHER with the reset-on-fork flag first, so children do not inherit the nice value either.
            if (SetScheduler(SchedOther | SchedResetOnFork, 0) && SetPriority(PrioProcess, 0, HighNice) == 0)
            {
                return ControlThreadPriority.High;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc/musl: leave the thread as it is
        }

        return ControlThreadPriority.Normal;
    }

    /// <summary>The calling thread's current scheduling as a <see cref="ControlThreadPriority"/> (Linux; Normal elsewhere).</summary>
    public static ControlThreadPriority CurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return ControlThreadPriority.Normal;
        }

        try
        {
            int policy = GetScheduler(0) & ~SchedResetOnFork;
            if (policy == SchedFifo)
            {
                return ControlThreadPriority.RealTime;
            }

            return policy == SchedOther && GetPriority(PrioProcess, 0) < 0 ? ControlThreadPriority.High : ControlThreadPriority.Normal;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return ControlThreadPriority.Normal;
        }
    }

    private static unsafe bool SetScheduler(int policy, int priority)
    {
        int param = priority; // struct sched_param { int sched_priority; }
        return SchedSetScheduler(0, policy, &param) == 0;
    }

    [LibraryImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static unsafe partial int SchedSetScheduler(int pid, int policy, int* param);

    [LibraryImport("libc", EntryPoint = "sched_getscheduler", SetLastError = true)]
    private static partial int GetScheduler(int pid);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, uint who, int priority);

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, uint who);
}
