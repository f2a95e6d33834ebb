namespace Offload.Host.Network;

/// <summary>Configuration section <c>NetworkController</c>: offloadd as a minimal network controller.</summary>
internal sealed class NetworkControllerOptions
{
    public const string SectionName = "NetworkController";

    /// <summary>Aggregate the NetworkSummary messages of every connected NIC into <c>GET /v1/network/demand</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>A node whose last summary is older than this is left out of the aggregate.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(5);
}
