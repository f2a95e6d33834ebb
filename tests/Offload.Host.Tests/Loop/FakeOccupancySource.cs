using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Host.Tests.Loop;

/// <summary>One app, one queue pair (controller 1, queue 1) on a telemetry slab, as a target keeps it, whose SQ and CQ
/// depths the test sets (one writer at a time). Like the target's queues, a depth that changes the instantaneous level
/// raises the attached <see cref="OccupancySignal"/>. The queues' clock stands still, so their time-averaged depth stays
/// 0 and a level is the instantaneous depth's.</summary>
internal sealed class FakeOccupancySource : IOccupancySource, IOccupancySignalSource
{
    private readonly QueueOccupancy _sq;
    private readonly QueueOccupancy _cq;

    public FakeOccupancySource(AppId app, int queueSize = 128)
    {
        App = app;
        Telemetry = new TelemetrySlab(new Offload.Testing.Time.SimulatedTimeProvider());
        var connection = new ConnectionCounters(Telemetry);
        _sq = new QueueOccupancy(Telemetry.Time, connection.Cell, completion: false, queueSize);
        _cq = new QueueOccupancy(Telemetry.Time, connection.Cell, completion: true, queueSize);
        connection.Describe(app, new ControllerId(1), 1);
    }

    public AppId App { get; }

    public TelemetrySlab Telemetry { get; }

    public int SqDepth
    {
        get => _sq.Depth;
        set => _sq.Set(value);
    }

    public int CqDepth
    {
        get => _cq.Depth;
        set => _cq.Set(value);
    }

    public void AttachSignal(OccupancySignal signal) => (_sq.Signal, _cq.Signal) = (signal, signal);
}
