namespace Offload.Controller.Sla;

/// <summary>Service class of an application: decides dequeue priority and queue grants.</summary>
public enum AppClass
{
    /// <summary>Bulk work: gets its weighted share, no priority.</summary>
    Throughput = 0,

    /// <summary>Small, latency-critical I/O: dequeued first while it stays within its rate.</summary>
    LatencySensitive = 1,
}
