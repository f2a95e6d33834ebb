using System.Threading.Tasks.Sources;

namespace Offload.Nic.Nvme.QueuePair;

/// <summary>
/// A reusable, allocation-free, single-waiter auto-reset signal: the queue pair's loop awaits it while it has work
/// parked (SQ entries waiting for the core's arbiter, a pending receive, AER completions); any thread may
/// <see cref="Set"/> it. A <see cref="Set"/> with nobody waiting is remembered once.
/// </summary>
internal sealed class QueuePairSignal : IValueTaskSource
{
    private const int Idle = 0;
    private const int Signalled = 1;
    private const int Waiting = 2;

    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _state;

    public void Set()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            switch (state)
            {
                case Signalled:
                    return;
                case Idle:
                    if (Interlocked.CompareExchange(ref _state, Signalled, Idle) == Idle)
                    {
                        return;
                    }

                    break;
                default:
                    if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
                    {
                        _core.SetResult(true);
                        return;
                    }

                    break;
            }
        }
    }

    /// <summary>Completes at once if signalled since the last wait, else when <see cref="Set"/> is called.</summary>
    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signalled) == Signalled)
        {
            return ValueTask.CompletedTask;
        }

        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Signalled)
        {
            Volatile.Write(ref _state, Idle);
            return ValueTask.CompletedTask;
        }

        return new ValueTask(this, _core.Version);
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
