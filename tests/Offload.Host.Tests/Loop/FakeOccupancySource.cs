using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Host.Tests.Loop;

/// <summary>One app, one queue pair whose SQ and CQ depths the test sets (thread-safe). Like the target's queues, a
/// depth that changes the instantaneous level raises the attached <see cref="OccupancySignal"/>.</summary>
internal sealed class FakeOccupancySource(AppId app, int queueSize = 128) : IOccupancySource, IOccupancySignalSource
{
    private int _sqDepth;
    private int _cqDepth;
    private OccupancySignal? _signal;

    public AppId App => app;

    public int SqDepth
    {
        get => Volatile.Read(ref _sqDepth);
        set => SetDepth(ref _sqDepth, value);
    }

    public int CqDepth
    {
        get => Volatile.Read(ref _cqDepth);
        set => SetDepth(ref _cqDepth, value);
    }

    public void AttachSignal(OccupancySignal signal) => Volatile.Write(ref _signal, signal);

    private void SetDepth(ref int depth, int value)
    {
        int old = Interlocked.Exchange(ref depth, value);
        if (Volatile.Read(ref _signal) is { } signal && signal.Thresholds.Classify(old, queueSize) != signal.Thresholds.Classify(value, queueSize))
        {
            signal.Raise();
        }
    }

    public void CollectOccupancy(ICollection<QueueOccupancySnapshot> destination)
    {
        int sq = SqDepth, cq = CqDepth;
        destination.Add(new QueueOccupancySnapshot(app, new ControllerId(1), 1, false, queueSize, sq, sq, OccupancyLevel.Low));
        destination.Add(new QueueOccupancySnapshot(app, new ControllerId(1), 1, true, queueSize, cq, cq, OccupancyLevel.Low));
    }
}
