using Offload.Contracts.Ids;
using Offload.Contracts.Messages;
using Offload.Controller.Telemetry;

namespace Offload.Controller.Tests.Policy;

/// <summary>Builds telemetry snapshots for policy tests.</summary>
internal static class PolicyFixture
{
    public static TelemetrySnapshot Snap(params (uint App, double Reads, double Writes, double SqAverage, OccupancyLevel Sq, OccupancyLevel Cq)[] apps)
    {
        var s = new TelemetrySnapshot { PeriodNanos = 10_000_000 };
        foreach (var a in apps)
        {
            var x = s.GetOrAdd(new AppId(a.App));
            x.ReadRate = a.Reads;
            x.WriteRate = a.Writes;
            x.SqAverage = a.SqAverage;
            x.SqLevel = a.Sq;
            x.CqLevel = a.Cq;
        }

        return s;
    }

    /// <summary>An app that is backlogged (SQ high, CQ low) and completed <paramref name="reads"/> reads/s.</summary>
    public static (uint, double, double, double, OccupancyLevel, OccupancyLevel) Backlogged(uint app, double reads)
        => (app, reads, 0, 8, OccupancyLevel.High, OccupancyLevel.Low);

    /// <summary>An app that is not backlogged.</summary>
    public static (uint, double, double, double, OccupancyLevel, OccupancyLevel) Light(uint app, double reads)
        => (app, reads, 0, 0.1, OccupancyLevel.Low, OccupancyLevel.Low);
}
