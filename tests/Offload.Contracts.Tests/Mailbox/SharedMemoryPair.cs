using Offload.Contracts.Mailbox;
using Offload.Testing.Processes;

namespace Offload.Contracts.Tests.Mailbox;

/// <summary>A device stream and a host stream joined by a real shm:// rendezvous in a temporary directory.</summary>
internal sealed class SharedMemoryPair : IAsyncDisposable
{
    private SharedMemoryPair(TempDirectory directory, MailboxEndpoint endpoint, IMailboxListener listener, Stream device, Stream host)
    {
        Directory = directory;
        Endpoint = endpoint;
        Listener = listener;
        Device = device;
        Host = host;
    }

    public TempDirectory Directory { get; }

    public MailboxEndpoint Endpoint { get; }

    public IMailboxListener Listener { get; }

    public Stream Device { get; }

    public Stream Host { get; }

    public static MailboxOptions Options(int ringSize) => new() { SharedMemoryRingSize = ringSize, HandshakeTimeout = TimeSpan.FromSeconds(10) };

    public static async Task<SharedMemoryPair> CreateAsync(int ringSize)
    {
        var directory = new TempDirectory();
        var endpoint = MailboxEndpoint.SharedMemory(directory.File("mbx.sock"));
        var transport = MailboxTransport.Create(endpoint, Options(ringSize));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var listener = await transport.ListenAsync(timeout.Token);
        var accepting = listener.AcceptAsync(timeout.Token).AsTask();
        var host = await transport.ConnectAsync(timeout.Token);
        var device = await accepting;
        return new SharedMemoryPair(directory, endpoint, listener, device.Stream, host.Stream);
    }

    public async ValueTask DisposeAsync()
    {
        await Device.DisposeAsync();
        await Host.DisposeAsync();
        await Listener.DisposeAsync();
        Directory.Dispose();
    }
}
