using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Host.Tests.Loop;

/// <summary>One app, one queue pair whose SQ and CQ depths the test sets (thread-safe).</summary>
internal sealed class FakeOccupancySource(AppId app, int queueSize = 128) : IOccupancySource
{
    private int _sqDepth;
    private int _cqDepth;

    public AppId App => app;

    public int SqDepth
    {
        get => Volatile.Read(ref _sqDepth);
        set => Volatile.Write(ref _sqDepth, value);
    }

    public int CqDepth
    {
        get => Volatile.Read(ref _cqDepth);
        set => Volatile.Write(ref _cqDepth, value);
    }

    public void CollectOccupancy(ICollection<QueueOccupancySnapshot> destination)
    {
        int sq = SqDepth, cq = CqDepth;
        destination.Add(new QueueOccupancySnapshot(app, new ControllerId(1), 1, false, queueSize, sq, sq, OccupancyLevel.Low));
        destination.Add(new QueueOccupancySnapshot(app, new ControllerId(1), 1, true, queueSize, cq, cq, OccupancyLevel.Low));
    }
}
