using Offload.Contracts.Management;

namespace Offload.Host.Management;

/// <summary>Configuration section <c>Management</c>: where offloadd serves its management API.</summary>
public sealed class ManagementOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Management";

    /// <summary>
    /// Unix domain socket path (<c>Management:SocketPath</c>). Absolute, at most 107 bytes (the kernel's
    /// <c>sun_path</c> limit). The directory is created if missing; a stale socket left by a crash is replaced.
    /// </summary>
    public string SocketPath { get; set; } = ManagementApi.DefaultSocketPath;

    /// <summary>
    /// Optional group (name or numeric gid) that owns the socket (<c>Management:SocketGroup</c>). The socket is
    /// mode 0660, so members of this group may use offloadctl without root.
    /// </summary>
    public string? SocketGroup { get; set; }

    /// <summary>Optional TCP port on 127.0.0.1 (<c>Management:TcpPort</c>); 0 (the default) turns TCP off.</summary>
    public int TcpPort { get; set; }
}
