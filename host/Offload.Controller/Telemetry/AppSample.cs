using Offload.Contracts.Ids;
using Offload.Contracts.Messages;

namespace Offload.Controller.Telemetry;

/// <summary>
/// One application's telemetry for one control period, aggregated over its flows (FlowRecord) and its
/// queues (QueueOccupancyEntry).
/// </summary>
public sealed class AppSample
{
    /// <summary>Creates an empty sample for <paramref name="application"/>.</summary>
    public AppSample(AppId application) => Application = application;

    /// <summary>The application.</summary>
    public AppId Application { get; }

    /// <summary>Read requests/s over the last window.</summary>
    public double ReadRate { get; set; }

    /// <summary>Write requests/s over the last window.</summary>
    public double WriteRate { get; set; }

    /// <summary>Mean read size in bytes (4 KiB when the telemetry cannot tell).</summary>
    public double ReadSize { get; set; } = 4096;

    /// <summary>Mean write size in bytes.</summary>
    public double WriteSize { get; set; } = 4096;

    /// <summary>Instantaneous SQ entries summed over the application's queues.</summary>
    public uint SqDepth { get; set; }

    /// <summary>Time-averaged SQ depth summed over the application's queues.</summary>
    public double SqAverage { get; set; }

    /// <summary>Mean SQ depth over the last report window (since the NIC's previous periodic report), summed over the
    /// application's queues; 0 from a NIC that does not send it.</summary>
    public double SqWindowAverage { get; set; }

    /// <summary>Highest SQ level over the application's queues.</summary>
    public OccupancyLevel SqLevel { get; set; }

    /// <summary>Instantaneous CQ entries summed over the application's queues.</summary>
    public uint CqDepth { get; set; }

    /// <summary>Time-averaged CQ depth.</summary>
    public double CqAverage { get; set; }

    /// <summary>Highest CQ level over the application's queues.</summary>
    public OccupancyLevel CqLevel { get; set; }

    /// <summary>Worst p99 completion latency of the application's flows, ns.</summary>
    public uint LatencyP99Nanos { get; set; }

    /// <summary>Reads / (reads + writes); 1 when idle.</summary>
    public double ReadFraction => ReadRate + WriteRate > 0 ? ReadRate / (ReadRate + WriteRate) : 1.0;
}
