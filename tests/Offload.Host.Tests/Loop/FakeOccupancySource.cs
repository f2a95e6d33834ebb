using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Host.Tests.Loop;

/// <summary>One app's queue pairs (controller 1, queues 1..N; one unless told) on a telemetry slab, as a target keeps
/// them, whose SQ and CQ depths the test sets (one writer at a time). Like the target's queues, a depth that changes the
/// instantaneous level raises the attached <see cref="OccupancySignal"/>. The queues' clock stands still, so their
/// time-averaged depth stays 0 and a level is the instantaneous depth's.</summary>
internal sealed class FakeOccupancySource : IOccupancySource, IOccupancySignalSource
{
    private readonly QueueOccupancy[] _sq;
    private readonly QueueOccupancy[] _cq;

    public FakeOccupancySource(AppId app, int queueSize = 128, int pairs = 1)
    {
        App = app;
        Telemetry = new TelemetrySlab(new Offload.Testing.Time.SimulatedTimeProvider());
        _sq = new QueueOccupancy[pairs];
        _cq = new QueueOccupancy[pairs];
        for (int i = 0; i < pairs; i++)
        {
            var connection = new ConnectionCounters(Telemetry);
            _sq[i] = new QueueOccupancy(Telemetry.Time, connection.Cell, completion: false, queueSize);
            _cq[i] = new QueueOccupancy(Telemetry.Time, connection.Cell, completion: true, queueSize);
            connection.Describe(app, new ControllerId(1), (ushort)(1 + i));
        }
    }

    public AppId App { get; }

    public TelemetrySlab Telemetry { get; }

    /// <summary>The first queue pair's SQ depth.</summary>
    public int SqDepth
    {
        get => _sq[0].Depth;
        set => _sq[0].Set(value);
    }

    /// <summary>The first queue pair's CQ depth.</summary>
    public int CqDepth
    {
        get => _cq[0].Depth;
        set => _cq[0].Set(value);
    }

    /// <summary>Sets queue pair <paramref name="pair"/>'s SQ depth.</summary>
    public void SetSq(int pair, int depth) => _sq[pair].Set(depth);

    public void AttachSignal(OccupancySignal signal)
    {
        foreach (var q in _sq.Concat(_cq))
        {
            q.Signal = signal;
        }
    }
}
