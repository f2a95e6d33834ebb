namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// Whether the stage after the rate limiter (the core's dequeue arbiter, the shared memory's dispatch slots) could
/// start one more command right now with nothing already waiting for it. The work-conserving limiter lends a
/// command beyond its application's rate only then, so borrowed commands fill idle capacity and never queue ahead of
/// in-rate ones. Called under the limiter's lock; must be cheap and must not call back into the limiter.
/// </summary>
public interface IIdleCapacity
{
    bool HasIdleCapacity { get; }
}
