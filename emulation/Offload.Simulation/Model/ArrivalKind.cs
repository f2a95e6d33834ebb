namespace Offload.Simulation.Model;

/// <summary>How a tenant issues requests.</summary>
internal enum ArrivalKind
{
    /// <summary>Keeps exactly QueueDepth requests outstanding (fio iodepth=N).</summary>
    ClosedLoop = 0,

    /// <summary>Poisson arrivals at Rate requests/s; at most QueueDepth outstanding, the rest wait on the host (their wait counts).</summary>
    Poisson = 1,
}
