using Offload.Nic.Nvme.Scheduler;
using NvmeAppId = Offload.Nic.Nvme.Subsystem.AppId;

namespace Offload.Simulation.Engine;

/// <summary>
/// One tenant's I/O submission queue as the real nic-fw <see cref="DequeueScheduler"/> sees it: the commands that
/// already passed the application's token bucket (<see cref="TokenBucketRateLimiter"/>) and wait for the dequeue
/// arbiter, like a parked SQ entry of a queue pair (TcpQueuePair.Arbitration). <see cref="Dequeue"/> sends the
/// head command to the shared memory.
/// </summary>
internal sealed class NicQueue(NvmeAppId app, int headSize, Action dequeue) : ISubmissionQueueSource
{
    public NvmeAppId App { get; } = app;

    /// <summary>Rate-admitted commands waiting for a dequeue grant.</summary>
    public int Depth { get; set; }

    public int HeadSize { get; } = headSize;

    public void Dequeue()
    {
        Depth--;
        dequeue();
    }
}
