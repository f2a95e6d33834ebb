using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Offload.Host.Management;

/// <summary>
/// Owns the management socket file around Kestrel's lifetime: prepares the path before Kestrel binds,
/// makes the socket mode 0660 (and optionally group-owned) right after, and removes it on shutdown.
/// </summary>
/// <remarks>
/// <see cref="PreparePath"/> runs before the host starts. As an <see cref="IHostedLifecycleService"/>,
/// <see cref="StartingAsync"/> happens before Kestrel binds and <see cref="StartedAsync"/> after. Between the two
/// the process umask is 0117, so the kernel creates the socket as 0660 and there is no window in which it is more
/// permissive; the explicit chmod afterwards makes the mode independent of how the socket was created. All calls
/// come from the host's start/stop sequence, one at a time.
/// </remarks>
internal sealed partial class ManagementSocket : IHostedLifecycleService
{
    /// <summary>Mode of the socket file: owner and group may connect, nobody else.</summary>
    internal const UnixFileMode SocketMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>umask that turns the kernel's default socket mode 0777 into <see cref="SocketMode"/>.</summary>
    private const uint BindUmask = 0x4F; // 0117 octal

    private readonly ManagementOptions _options;
    private readonly ILogger<ManagementSocket> _logger;
    private uint? _savedUmask;

    public ManagementSocket(IOptions<ManagementOptions> options, ILogger<ManagementSocket> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>
    /// Creates the socket's directory and removes a stale socket left by a crashed offloadd. Called by
    /// <see cref="OffloaddRunner"/> before the host starts, so a refusal is one line on stderr, not a host failure.
    /// </summary>
    /// <exception cref="ManagementStartupException">The path is not a socket, or another offloadd is serving it.</exception>
    internal void PreparePath()
    {
        var path = _options.SocketPath;
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ManagementStartupException(
                    $"Management:SocketPath='{path}': cannot create directory {directory} ({ex.Message}); run as root or choose another path.", ex);
            }

            LogDirectoryCreated(_logger, directory);
        }

        if (Path.Exists(path))
        {
            RemoveStaleSocket(path);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _savedUmask = NativeMethods.SetUmask(BindUmask);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        RestoreUmask();
        var path = _options.SocketPath;
        File.SetUnixFileMode(path, SocketMode);
        if (_options.SocketGroup is { } group)
        {
            ApplyGroup(path, group);
        }

        LogReady(_logger, path, _options.SocketGroup ?? "(owner's)", _options.TcpPort);
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        RestoreUmask();
        var path = _options.SocketPath;
        if (NativeMethods.IsSocket(path))
        {
            File.Delete(path);
            LogSocketRemoved(_logger, path);
        }

        return Task.CompletedTask;
    }

    private void RemoveStaleSocket(string path)
    {
        if (!NativeMethods.IsSocket(path))
        {
            throw new ManagementStartupException(
                $"Management:SocketPath='{path}' exists and is not a socket; remove it or choose another path.");
        }

        if (IsSomeoneListening(path))
        {
            throw new ManagementStartupException(
                $"Management:SocketPath='{path}' is in use by another running offloadd; stop it first (systemctl stop offloadd) or choose another path.");
        }

        File.Delete(path);
        LogStaleSocketRemoved(_logger, path);
    }

    private static void ApplyGroup(string path, string group)
    {
        if (!NativeMethods.TryResolveGroup(group, out var gid))
        {
            throw new ManagementStartupException(
                $"Management:SocketGroup='{group}' is invalid: no such group; create it (groupadd {group}) or leave the key unset.");
        }

        if (!NativeMethods.TryChangeGroup(path, gid, out var errno))
        {
            throw new ManagementStartupException(
                $"Management:SocketGroup='{group}' could not be applied to {path} (errno {errno}); offloadd must run as root or as a member of that group.");
        }
    }

    private void RestoreUmask()
    {
        if (_savedUmask is { } saved)
        {
            _ = NativeMethods.SetUmask(saved);
            _savedUmask = null;
        }
    }

    private static bool IsSomeoneListening(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
