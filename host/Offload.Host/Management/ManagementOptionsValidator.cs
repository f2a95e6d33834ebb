using System.Text;
using Microsoft.Extensions.Options;

namespace Offload.Host.Management;

/// <summary>
/// Validates <see cref="ManagementOptions"/> at startup. Each failure is one line naming the configuration key,
/// the bad value and what is allowed, for example <c>Management:TcpPort=70000 is invalid: must be 0 (off) to 65535.</c>
/// </summary>
internal sealed class ManagementOptionsValidator : IValidateOptions<ManagementOptions>
{
    /// <summary>sizeof(sockaddr_un.sun_path) - 1 for the terminating NUL.</summary>
    internal const int MaxSocketPathSize = 107;

    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        var path = options.SocketPath;
        if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path))
        {
            failures.Add($"{Key(nameof(options.SocketPath))}='{path}' is invalid: must be an absolute path such as /run/offload/offloadd.sock.");
        }
        else if (Encoding.UTF8.GetByteCount(path) > MaxSocketPathSize)
        {
            failures.Add($"{Key(nameof(options.SocketPath))}='{path}' is invalid: longer than {MaxSocketPathSize} bytes, the Unix socket path limit; choose a shorter path.");
        }
        else if (path.EndsWith('/'))
        {
            failures.Add($"{Key(nameof(options.SocketPath))}='{path}' is invalid: names a directory; give the socket file name too.");
        }

        if (options.SocketGroup is { } group && (group.Length == 0 || !NativeMethods.TryResolveGroup(group, out _)))
        {
            failures.Add($"{Key(nameof(options.SocketGroup))}='{group}' is invalid: no such group; create it (groupadd {group}) or leave the key unset.");
        }

        if (options.TcpPort is < 0 or > 65535)
        {
            failures.Add($"{Key(nameof(options.TcpPort))}={options.TcpPort} is invalid: must be 0 (off) to 65535.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Key(string property) => ManagementOptions.SectionName + ":" + property;
}
