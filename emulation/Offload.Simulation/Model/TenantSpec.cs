using Offload.Contracts.Ids;
using Offload.Controller.Sla;

namespace Offload.Simulation.Model;

/// <summary>A tenant of a scenario: its workload and its SLA.</summary>
internal sealed record TenantSpec(string Name, AppId Application, ArrivalKind Arrival, int QueueDepth, double Rate = 0,
    int BlockSize = 4096, double ReadFraction = 1.0, double Weight = 1.0, double Reservation = 0,
    double Limit = double.PositiveInfinity, AppClass Class = AppClass.Throughput)
{
    /// <summary>Active periods [start, end) in seconds of virtual time; empty = always on.</summary>
    public IReadOnlyList<(double Start, double End)> OnPeriods { get; init; } = [];

    /// <summary>How long before each on-period the tenant connects (NVMe-oF Connect precedes I/O).</summary>
    public double ConnectLeadSeconds { get; init; } = 0.02;

    /// <summary>The SLA the controller is given.</summary>
    public AppSla ToSla() => new(Application, Weight, Reservation, Limit, Class);
}
