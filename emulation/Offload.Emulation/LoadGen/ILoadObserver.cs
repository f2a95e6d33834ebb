namespace Offload.Emulation.LoadGen;

/// <summary>
/// Sees every completed I/O of a load run as it happens (for time series such as per-100 ms IOPS and p99).
/// Called concurrently from the workers; implementations must be thread-safe and must not block or allocate.
/// </summary>
public interface ILoadObserver
{
    /// <summary>One command completed <paramref name="latencyTicks"/> (Stopwatch ticks) after it was sent.</summary>
    void OnCompleted(long completedAt, long latencyTicks, bool isRead, bool succeeded);
}
