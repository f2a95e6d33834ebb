using System.Net.Sockets;

namespace Offload.Contracts.Mailbox;

/// <summary>TCP or Unix-domain stream sockets. Unix sockets are created with mode 0660.</summary>
internal sealed class SocketMailboxTransport : IMailboxTransport
{
    public SocketMailboxTransport(MailboxEndpoint endpoint)
    {
        Endpoint = endpoint;
    }

    public MailboxEndpoint Endpoint { get; }

    public ValueTask<IMailboxListener> ListenAsync(CancellationToken cancellationToken)
    {
        var socket = CreateSocket();
        try
        {
            if (Endpoint.Kind == MailboxTransportKind.Unix)
            {
                string? dir = System.IO.Path.GetDirectoryName(Endpoint.Path);
                if (!string.IsNullOrEmpty(dir))
                {
                    Directory.CreateDirectory(dir);
                }

                if (File.Exists(Endpoint.Path))
                {
                    File.Delete(Endpoint.Path);
                }
            }
            else
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            socket.Bind(Endpoint.ToEndPoint());
            if (Endpoint.Kind == MailboxTransportKind.Unix && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Endpoint.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            }

            socket.Listen(16);
            return ValueTask.FromResult<IMailboxListener>(new Listener(socket, Endpoint));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask<MailboxLink> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = CreateSocket();
        try
        {
            await socket.ConnectAsync(Endpoint.ToEndPoint(), cancellationToken).ConfigureAwait(false);
            return new MailboxLink(new NetworkStream(socket, ownsSocket: true), Endpoint.ToString());
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private Socket CreateSocket()
    {
        if (Endpoint.Kind == MailboxTransportKind.Unix)
        {
            return new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        return socket;
    }

    private sealed class Listener(Socket socket, MailboxEndpoint endpoint) : IMailboxListener
    {
        public async ValueTask<MailboxLink> AcceptAsync(CancellationToken cancellationToken)
        {
            var accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            if (endpoint.Kind == MailboxTransportKind.Tcp)
            {
                accepted.NoDelay = true;
            }

            string remote = accepted.RemoteEndPoint?.ToString() is { Length: > 0 } r ? r : endpoint.ToString();
            return new MailboxLink(new NetworkStream(accepted, ownsSocket: true), remote);
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            if (endpoint.Kind == MailboxTransportKind.Unix)
            {
                try
                {
                    File.Delete(endpoint.Path);
                }
                catch (IOException)
                {
                    // best effort: a stale socket file is removed at the next bind
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}
