using Offload.Contracts.Management;
using Offload.Host.Datapath;

namespace Offload.Host.Management;

/// <summary><c>GET /v1/datapath</c>: the latest datapath counters of every NIC that reports them.</summary>
internal static class DatapathEndpoint
{
    internal static IResult Handle(DatapathStatsStore store) =>
        Results.Json(store.Snapshot(), ManagementJsonContext.Default.DatapathDocument);
}
