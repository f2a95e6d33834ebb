using System.Net.Sockets;
using System.Runtime.Versioning;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// The shared-memory mailbox (<c>shm:///PATH</c>), the emulation of the PCIe-mapped mailbox: bulk bytes move through
/// a file both processes map, with no system call per write. The device listens on a Unix domain socket at PATH (mode
/// 0660). For each host that connects it creates a ring file next to PATH, maps it, and sends a hello (magic, version,
/// ring size, file size, file path); the host checks the hello, maps the file and answers one byte; the device then
/// unlinks the file, so nothing is left on disk whichever end dies later. The socket stays open for doorbells and
/// end-of-file. Linux only. Put PATH on a tmpfs (for example under /run) so the kernel never writes the rings back to a disk.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class SharedMemoryMailboxTransport : IMailboxTransport
{
    private const string RingSuffix = ".ring";
    private static int s_ringCounter;
    private readonly int _ringSize;
    private readonly TimeSpan _rendezvousTimeout;

    /// <param name="ringSize">Bytes per direction (device end; the host takes what the device offers).</param>
    /// <param name="rendezvousTimeout">How long the hello exchange may take after the socket connects.</param>
    public SharedMemoryMailboxTransport(MailboxEndpoint endpoint, int ringSize, TimeSpan rendezvousTimeout)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Kind != MailboxTransportKind.SharedMemory)
        {
            throw new ArgumentException($"Endpoint {endpoint} is not a shm:// endpoint.", nameof(endpoint));
        }

        if (!SharedMemoryLayout.IsValidRingSize(ringSize))
        {
            throw new ArgumentOutOfRangeException(nameof(ringSize), ringSize, $"The shared-memory ring size must be a power of two from {SharedMemoryLayout.MinRingSize} to {SharedMemoryLayout.MaxRingSize} bytes.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(rendezvousTimeout, TimeSpan.Zero);
        Endpoint = endpoint;
        _ringSize = ringSize;
        _rendezvousTimeout = rendezvousTimeout;
    }

    public MailboxEndpoint Endpoint { get; }

    public ValueTask<IMailboxListener> ListenAsync(CancellationToken cancellationToken)
    {
        string path = Endpoint.Path;
        string directory = Path.GetDirectoryName(path) ?? "/";
        Directory.CreateDirectory(directory);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        RemoveStaleRings(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(Endpoint.ToEndPoint());
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            socket.Listen(16);
            return ValueTask.FromResult<IMailboxListener>(new Listener(this, socket));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask<MailboxLink> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        SharedMemoryMapping? mapping = null;
        try
        {
            await socket.ConnectAsync(Endpoint.ToEndPoint(), cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_rendezvousTimeout);
            try
            {
                byte[] fixedPart = new byte[SharedMemoryHello.FixedSize];
                await ReceiveExactlyAsync(socket, fixedPart, timeout.Token).ConfigureAwait(false);
                int pathSize = SharedMemoryHello.ReadFixed(fixedPart, out int ringSize, out long fileSize);
                byte[] pathBytes = new byte[pathSize];
                await ReceiveExactlyAsync(socket, pathBytes, timeout.Token).ConfigureAwait(false);
                string ringPath = CheckRingPath(System.Text.Encoding.UTF8.GetString(pathBytes));
                mapping = SharedMemoryMapping.Open(ringPath, ringSize, fileSize);
                await socket.SendAsync(new[] { SharedMemoryLayout.MappedAnswer }, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"The device at {Endpoint} did not complete the shared-memory hello within {_rendezvousTimeout.TotalMilliseconds:F0} ms.");
            }

            return new MailboxLink(new SharedMemoryRingStream(socket, mapping, deviceEnd: false), Endpoint.ToString());
        }
        catch
        {
            mapping?.Dispose();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Device end: offers a fresh ring file to a connected host; the file is unlinked whatever happens.</summary>
    private async ValueTask<MailboxLink> OfferRingAsync(Socket socket, CancellationToken cancellationToken)
    {
        string ringPath = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Endpoint.Path}.{Environment.ProcessId}.{Interlocked.Increment(ref s_ringCounter)}{RingSuffix}");
        SharedMemoryMapping? mapping = null;
        try
        {
            mapping = SharedMemoryMapping.Create(ringPath, _ringSize);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_rendezvousTimeout);
            try
            {
                byte[] hello = new SharedMemoryHello(_ringSize, SharedMemoryLayout.FileSize(_ringSize), ringPath).ToBytes();
                await socket.SendAsync(hello, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                byte[] answer = new byte[1];
                await ReceiveExactlyAsync(socket, answer, timeout.Token).ConfigureAwait(false);
                if (answer[0] != SharedMemoryLayout.MappedAnswer)
                {
                    throw new IOException($"The host answered the shared-memory hello with 0x{answer[0]:X2}, expected 0x{SharedMemoryLayout.MappedAnswer:X2}.");
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"A host on {Endpoint} did not answer the shared-memory hello within {_rendezvousTimeout.TotalMilliseconds:F0} ms.");
            }

            return new MailboxLink(new SharedMemoryRingStream(socket, mapping, deviceEnd: true), Endpoint.ToString());
        }
        catch
        {
            mapping?.Dispose();
            socket.Dispose();
            throw;
        }
        finally
        {
            TryDelete(ringPath);
        }
    }

    /// <summary>The host maps only a file the device may have made: in the endpoint's directory, named PATH.*.ring.</summary>
    private string CheckRingPath(string ringPath)
    {
        string directory = Path.GetDirectoryName(Endpoint.Path) ?? "/";
        string name = Path.GetFileName(ringPath);
        string prefix = Path.GetFileName(Endpoint.Path) + ".";
        bool inDirectory = string.Equals(Path.GetDirectoryName(ringPath), directory, StringComparison.Ordinal);
        if (!inDirectory || !name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(RingSuffix, StringComparison.Ordinal)
            || name.Contains("..", StringComparison.Ordinal) || ringPath.Contains('\0', StringComparison.Ordinal))
        {
            throw new IOException($"The device offered ring file '{ringPath}', which is not {Endpoint.Path}.*{RingSuffix}; refusing to map it.");
        }

        return ringPath;
    }

    /// <summary>Ring files a crashed device left between creating and unlinking them.</summary>
    private static void RemoveStaleRings(string path)
    {
        string directory = Path.GetDirectoryName(path) ?? "/";
        foreach (string stale in Directory.EnumerateFiles(directory, Path.GetFileName(path) + ".*" + RingSuffix))
        {
            TryDelete(stale);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // best effort: a stale ring file is removed at the next listen
        }
    }

    private static async ValueTask ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            int received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                throw new IOException("The peer closed the shared-memory mailbox socket during the hello.");
            }

            buffer = buffer[received..];
        }
    }

    private sealed class Listener(SharedMemoryMailboxTransport transport, Socket socket) : IMailboxListener
    {
        /// <summary>Accepts one host and completes the hello; a failed hello throws <see cref="IOException"/> (the listener stays usable).</summary>
        public async ValueTask<MailboxLink> AcceptAsync(CancellationToken cancellationToken)
        {
            var accepted = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            return await transport.OfferRingAsync(accepted, cancellationToken).ConfigureAwait(false);
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            TryDelete(transport.Endpoint.Path);
            return ValueTask.CompletedTask;
        }
    }
}
