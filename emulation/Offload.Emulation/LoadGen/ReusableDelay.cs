using System.Threading.Tasks.Sources;

namespace Offload.Emulation.LoadGen;

/// <summary>A per-worker, allocation-free delay: one <see cref="ITimer"/> re-armed for each wait, completing a
/// reusable value-task source. One waiter at a time.</summary>
internal sealed class ReusableDelay : IValueTaskSource, IDisposable
{
    private readonly ITimer _timer;
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

    public ReusableDelay() =>
        _timer = TimeProvider.System.CreateTimer(static s => ((ReusableDelay)s!)._core.SetResult(true), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    public ValueTask WaitAsync(TimeSpan delay)
    {
        _core.Reset();
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
        return new ValueTask(this, _core.Version);
    }

    public void Dispose() => _timer.Dispose();

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
