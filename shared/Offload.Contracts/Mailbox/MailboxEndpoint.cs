using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// Where a mailbox listens or connects: <c>tcp://HOST:PORT</c>, <c>unix:///ABSOLUTE/PATH</c> or
/// <c>shm:///ABSOLUTE/PATH</c> (the shared-memory ring, Linux only; PATH is its rendezvous Unix socket and its ring
/// files are created next to it). A bare <c>HOST:PORT</c> means TCP and a bare absolute path means a Unix domain socket.
/// Unix and shared-memory paths must be absolute and at most 107 bytes of UTF-8 (sun_path).
/// </summary>
public sealed record MailboxEndpoint(MailboxTransportKind Kind, string Host, int Port, string Path)
{
    /// <summary>The longest Unix socket path, in bytes of UTF-8 (sun_path is 108 bytes with its terminating NUL).</summary>
    public const int MaxSocketPathSize = 107;

    public static MailboxEndpoint Tcp(string host, int port) => new(MailboxTransportKind.Tcp, host, port, "");

    public static MailboxEndpoint Unix(string path) => new(MailboxTransportKind.Unix, "", 0, path);

    /// <summary>A shared-memory ring whose rendezvous socket is at <paramref name="path"/> (absolute, at most 107 bytes).</summary>
    public static MailboxEndpoint SharedMemory(string path) =>
        TryParsePath(MailboxTransportKind.SharedMemory, path, out var endpoint, out string error) ? endpoint : throw new ArgumentException($"Mailbox endpoint {error}", nameof(path));

    public static bool TryParse(string? text, [NotNullWhen(true)] out MailboxEndpoint? endpoint, out string error)
    {
        endpoint = null;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty; expected tcp://HOST:PORT, unix:///PATH or shm:///PATH";
            return false;
        }

        text = text.Trim();
        if (text.StartsWith("unix://", StringComparison.OrdinalIgnoreCase))
        {
            text = text["unix://".Length..];
            return TryParsePath(MailboxTransportKind.Unix, text, out endpoint, out error);
        }

        if (text.StartsWith("shm://", StringComparison.OrdinalIgnoreCase))
        {
            text = text["shm://".Length..];
            return TryParsePath(MailboxTransportKind.SharedMemory, text, out endpoint, out error);
        }

        if (text.StartsWith('/'))
        {
            return TryParsePath(MailboxTransportKind.Unix, text, out endpoint, out error);
        }

        if (text.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
        {
            text = text["tcp://".Length..];
        }

        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"'{text}' has no port; expected tcp://HOST:PORT, unix:///PATH or shm:///PATH";
            return false;
        }

        string host = text[..colon].Trim('[', ']');
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            error = $"port '{text[(colon + 1)..]}' is not a number from 1 to 65535";
            return false;
        }

        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            error = $"host '{host}' is not a valid host name or IP address";
            return false;
        }

        endpoint = Tcp(host, port);
        return true;
    }

    public static MailboxEndpoint Parse(string text) =>
        TryParse(text, out var endpoint, out string error) ? endpoint : throw new FormatException($"Mailbox endpoint {error}");

    /// <summary>The socket address: for <see cref="MailboxTransportKind.SharedMemory"/> the rendezvous Unix socket.</summary>
    public EndPoint ToEndPoint()
    {
        if (Kind is MailboxTransportKind.Unix or MailboxTransportKind.SharedMemory)
        {
            return new System.Net.Sockets.UnixDomainSocketEndPoint(Path);
        }

        return IPAddress.TryParse(Host, out var ip) ? new IPEndPoint(ip, Port) : new DnsEndPoint(Host, Port);
    }

    public override string ToString() => Kind switch
    {
        MailboxTransportKind.Unix => $"unix://{Path}",
        MailboxTransportKind.SharedMemory => $"shm://{Path}",
        _ => string.Create(CultureInfo.InvariantCulture, $"tcp://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}"),
    };

    private static bool TryParsePath(MailboxTransportKind kind, string path, [NotNullWhen(true)] out MailboxEndpoint? endpoint, out string error)
    {
        endpoint = null;
        error = "";
        string what = kind == MailboxTransportKind.Unix ? "unix socket path" : "shared-memory rendezvous socket path";
        if (!path.StartsWith('/'))
        {
            error = $"{what} '{path}' must be absolute";
            return false;
        }

        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxSocketPathSize)
        {
            error = $"{what} '{path}' is longer than the {MaxSocketPathSize} bytes sun_path allows";
            return false;
        }

        endpoint = new MailboxEndpoint(kind, "", 0, path);
        return true;
    }
}
