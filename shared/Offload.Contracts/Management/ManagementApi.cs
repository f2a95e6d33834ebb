namespace Offload.Contracts.Management;

/// <summary>Routes, schema names and defaults of offloadd's management API, shared by offloadd and offloadctl.</summary>
public static class ManagementApi
{
    /// <summary>Default path of the management Unix domain socket.</summary>
    public const string DefaultSocketPath = "/run/offload/offloadd.sock";

    /// <summary>Environment variable offloadctl reads for the socket path when <c>--socket</c> is not given.</summary>
    public const string SocketEnvironmentVariable = "OFFLOAD_SOCKET";

    /// <summary>Route of the status document.</summary>
    public const string StatusRoute = "/v1/status";

    /// <summary>Schema name carried in <see cref="StatusDocument.Schema"/>.</summary>
    public const string StatusSchema = "offload.status/v1";

    /// <summary>Route of the datapath counters document.</summary>
    public const string DatapathRoute = "/v1/datapath";

    /// <summary>Schema name carried in <see cref="DatapathDocument.Schema"/>.</summary>
    public const string DatapathSchema = "offload.datapath/v1";

    /// <summary>Schema name carried in <see cref="ErrorDocument.Schema"/>.</summary>
    public const string ErrorSchema = "offload.error/v1";

    /// <summary>Route of the desired state: GET reads it, PUT replaces it (audited).</summary>
    public const string StateRoute = "/v1/state";

    /// <summary>Route that compares a desired state with offloadd's (POST, changes nothing).</summary>
    public const string StateDiffRoute = "/v1/state/diff";

    /// <summary>Route of the current per-application rates.</summary>
    public const string RatesRoute = "/v1/rates";

    /// <summary>Schema name of <see cref="DesiredState"/> (the state file and <c>GET /v1/state</c>).</summary>
    public const string StateSchema = "offload.state/v1";

    /// <summary>Schema name of a diff answer.</summary>
    public const string DiffSchema = "offload.diff/v1";

    /// <summary>Schema name of an apply answer.</summary>
    public const string ApplySchema = "offload.apply/v1";

    /// <summary>Schema name of <see cref="RatesDocument"/>.</summary>
    public const string RatesSchema = "offload.rates/v1";

    /// <summary>Schema name of <see cref="TenantsDocument"/>.</summary>
    public const string TenantsSchema = "offload.tenants/v1";

    /// <summary>Schema name of <see cref="TenantDocument"/>.</summary>
    public const string TenantSchema = "offload.tenant/v1";

    /// <summary>Schema name of <see cref="SubsystemsDocument"/>.</summary>
    public const string SubsystemsSchema = "offload.subsystems/v1";

    /// <summary>Schema name of <see cref="PolicyDocument"/>.</summary>
    public const string PolicySchema = "offload.policy/v1";
    /// <summary>Route of the NIC list (<see cref="NicsDocument"/>).</summary>
    public const string NicsRoute = "/v1/nics";

    /// <summary>Schema name carried in <see cref="NicsDocument.Schema"/>.</summary>
    public const string NicsSchema = "offload.nics/v1";

    /// <summary>Route of the SQ/CQ occupancy table (<see cref="QueuesDocument"/>).</summary>
    public const string QueuesRoute = "/v1/queues";

    /// <summary>Schema name carried in <see cref="QueuesDocument.Schema"/>.</summary>
    public const string QueuesSchema = "offload.queues/v1";

    /// <summary>Route of the per-connection (NVMe/TCP 5-tuple) flow table (<see cref="ConnectionsDocument"/>).</summary>
    public const string ConnectionsRoute = "/v1/queues/connections";

    /// <summary>Schema name carried in <see cref="ConnectionsDocument.Schema"/>.</summary>
    public const string ConnectionsSchema = "offload.connections/v1";

    /// <summary>Route of the live per-tenant view (<see cref="LiveDocument"/>), polled by <c>offloadctl watch</c>.</summary>
    public const string LiveRoute = "/v1/tenants/live";

    /// <summary>Schema name carried in <see cref="LiveDocument.Schema"/>.</summary>
    public const string LiveSchema = "offload.live/v1";

    /// <summary>Route of the flow dump (<see cref="FlowsDocument"/>); query: nic, port, tenant, match, max.</summary>
    public const string FlowsRoute = "/v1/flows";

    /// <summary>Schema name carried in <see cref="FlowsDocument.Schema"/>.</summary>
    public const string FlowsSchema = "offload.flows/v1";

    /// <summary>Route of a packet capture (POST; query: nic, port, count, snaplen, timeout); answers a pcap stream.</summary>
    public const string CaptureRoute = "/v1/capture";

    /// <summary>Schema name of <c>offloadctl capture --json</c>'s summary (<see cref="CaptureSummary"/>).</summary>
    public const string CaptureSchema = "offload.capture/v1";

    /// <summary>Route of offloadd's recent log records (<see cref="LogsDocument"/>); query: since, level, max.</summary>
    public const string LogsRoute = "/v1/logs";

    /// <summary>Schema name carried in <see cref="LogsDocument.Schema"/>.</summary>
    public const string LogsSchema = "offload.logs/v1";

    /// <summary>Prometheus text exposition (format 0.0.4), served on the TCP listener only.</summary>
    public const string MetricsRoute = "/metrics";
}
