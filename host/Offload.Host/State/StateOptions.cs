namespace Offload.Host.State;

/// <summary>Configuration section <c>State</c>: where offloadd keeps its desired state and its audit log.</summary>
public sealed class StateOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "State";

    /// <summary>Default desired-state file.</summary>
    public const string DefaultPath = "/var/lib/offload/state.json";

    /// <summary>Default audit log.</summary>
    public const string DefaultAuditLogPath = "/var/lib/offload/audit.jsonl";

    /// <summary>Desired-state file (<c>State:Path</c>); its last good copy is kept next to it as <c>.bak</c>.</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>Audit log, JSON lines, appended on every mutating API call (<c>State:AuditLogPath</c>).</summary>
    public string AuditLogPath { get; set; } = DefaultAuditLogPath;
}
