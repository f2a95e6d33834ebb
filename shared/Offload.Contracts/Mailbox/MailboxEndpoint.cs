using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// Where a mailbox listens or connects: <c>tcp://HOST:PORT</c> or <c>unix:///ABSOLUTE/PATH</c>. A bare
/// <c>HOST:PORT</c> means TCP and a bare absolute path means a Unix domain socket.
/// </summary>
public sealed record MailboxEndpoint(MailboxTransportKind Kind, string Host, int Port, string Path)
{
    public static MailboxEndpoint Tcp(string host, int port) => new(MailboxTransportKind.Tcp, host, port, "");

    public static MailboxEndpoint Unix(string path) => new(MailboxTransportKind.Unix, "", 0, path);

    public static bool TryParse(string? text, [NotNullWhen(true)] out MailboxEndpoint? endpoint, out string error)
    {
        endpoint = null;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty; expected tcp://HOST:PORT or unix:///PATH";
            return false;
        }

        text = text.Trim();
        if (text.StartsWith("unix://", StringComparison.OrdinalIgnoreCase))
        {
            text = text["unix://".Length..];
            return TryParseUnix(text, out endpoint, out error);
        }

        if (text.StartsWith('/'))
        {
            return TryParseUnix(text, out endpoint, out error);
        }

        if (text.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
        {
            text = text["tcp://".Length..];
        }

        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"'{text}' has no port; expected tcp://HOST:PORT or unix:///PATH";
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

    public EndPoint ToEndPoint()
    {
        if (Kind == MailboxTransportKind.Unix)
        {
            return new System.Net.Sockets.UnixDomainSocketEndPoint(Path);
        }

        return IPAddress.TryParse(Host, out var ip) ? new IPEndPoint(ip, Port) : new DnsEndPoint(Host, Port);
    }

    public override string ToString() => Kind == MailboxTransportKind.Unix
        ? $"unix://{Path}"
        : string.Create(CultureInfo.InvariantCulture, $"tcp://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}");

    private static bool TryParseUnix(string path, [NotNullWhen(true)] out MailboxEndpoint? endpoint, out string error)
    {
        endpoint = null;
        error = "";
        if (!path.StartsWith('/'))
        {
            error = $"unix socket path '{path}' must be absolute";
            return false;
        }

        if (System.Text.Encoding.UTF8.GetByteCount(path) > 107)
        {
            error = $"unix socket path '{path}' is longer than the 107 bytes sun_path allows";
            return false;
        }

        endpoint = Unix(path);
        return true;
    }
}
