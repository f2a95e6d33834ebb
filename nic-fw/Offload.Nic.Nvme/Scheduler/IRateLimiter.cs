using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// Per-application admission seam the dequeue path consults before executing an I/O command. The controller
/// (a later issue) sets rates at runtime through <see cref="SetApplicationRate"/>.
/// </summary>
public interface IRateLimiter
{
    /// <summary>Takes one command and <paramref name="size"/> bytes of budget for the app, or says how long to wait.</summary>
    bool TryAcquire(AppId app, int size, out TimeSpan retryAfter);

    /// <summary>Sets the app's limits; values &lt;= 0 mean unlimited for that dimension; IOPS has a floor of 1.</summary>
    void SetApplicationRate(AppId app, long iops, long bytesPerSecond);

    /// <summary>Sets the app's guaranteed rate, hard ceiling and bucket depth. Limiters without ceilings apply the rate
    /// only.</summary>
    void SetApplicationLimits(AppId app, AppRateLimits limits) => SetApplicationRate(app, limits.Iops, limits.BytesPerSecond);

    void ClearApplicationRate(AppId app);

    /// <summary>One command beyond the app's rate (idle capacity lent by a work-conserving scheduler): true when its
    /// ceiling allows it (and takes it from the ceiling). Limiters without ceilings always allow it.</summary>
    bool TryBorrow(AppId app) => true;
}
