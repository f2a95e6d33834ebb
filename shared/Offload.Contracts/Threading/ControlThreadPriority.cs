namespace Offload.Contracts.Threading;

/// <summary>
/// How a control-path thread (the mailbox receive threads, nic-fw's occupancy reporter) is scheduled. These threads
/// block almost all the time and run for microseconds when a message or a queue crossing arrives; on a machine where
/// the datapath, the NVMe target or a load generator keep every core busy, a normal-priority thread waits for a time
/// slice (observed 1-2 ms on a 2-core box) before it can forward a crossing. Firmware would run them on reserved cores.
/// </summary>
public enum ControlThreadPriority
{
    /// <summary>Leave the thread as created (SCHED_OTHER, nice 0).</summary>
    Normal = 0,

    /// <summary>SCHED_OTHER with nice -10: favoured by the fair scheduler, still time-sliced (needs CAP_SYS_NICE).</summary>
    High = 1,

    /// <summary>SCHED_FIFO at a low real-time priority: runs before every fair-scheduled thread as soon as it is woken
    /// (needs CAP_SYS_NICE; falls back to <see cref="High"/>, then <see cref="Normal"/>). The kernel's real-time
    /// throttling (sched_rt_runtime_us) still bounds it.</summary>
    RealTime = 2,
}
