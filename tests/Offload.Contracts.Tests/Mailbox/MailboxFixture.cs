using Microsoft.Extensions.Logging.Abstractions;
using Offload.Contracts.Mailbox;

namespace Offload.Contracts.Tests.Mailbox;

/// <summary>Endpoints and options for real-socket mailbox tests.</summary>
internal static class MailboxFixture
{
    public static MailboxEndpoint NewEndpoint(string kind)
    {
        if (kind == "unix")
        {
            return MailboxEndpoint.Unix(Path.Combine(Path.GetTempPath(), $"offload-mbx-{Guid.NewGuid():N}.sock"));
        }

        if (kind == "shm")
        {
            // Its own directory: the device creates its ring files next to the socket (unlinked once mapped).
            return MailboxEndpoint.SharedMemory(Path.Combine(Path.GetTempPath(), $"offload-shm-{Guid.NewGuid():N}", "mbx.sock"));
        }

        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        int port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return MailboxEndpoint.Tcp("127.0.0.1", port);
    }

    /// <summary>Removes the directory a shm:// endpoint from <see cref="NewEndpoint"/> lives in.</summary>
    public static void CleanUp(MailboxEndpoint endpoint)
    {
        if (endpoint.Kind == MailboxTransportKind.SharedMemory && Path.GetDirectoryName(endpoint.Path) is { } directory && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    public static MailboxOptions Options(TimeSpan? heartbeat = null) => new()
    {
        // 1 s (the product default): a session is declared lost after 2.5 periods of silence, and at 200 ms a loaded CI
        // machine once stalled a test's peer long enough (500 ms) to drop the session mid-test. Tests about heartbeats
        // pass their own period.
        HeartbeatPeriod = heartbeat ?? TimeSpan.FromSeconds(1),
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(300),
    };

    public static MailboxDevice Device(MailboxEndpoint endpoint, MailboxOptions options, IMailboxHandler handler, TimeProvider? time = null) =>
        new(MailboxTransport.Create(endpoint, options), options, new MailboxIdentity("bf3-test", "1.2.3", ["nvme-tcp", "vswitch"]), handler, NullLogger.Instance, time);

    /// <summary>Runs <paramref name="device"/>, waits until it listens, then runs <paramref name="client"/>; the two run
    /// tasks, for the test to await after cancelling <paramref name="token"/>.</summary>
    public static async Task<(Task Device, Task Client)> RunPairAsync(MailboxDevice device, MailboxClient client, CancellationToken token)
    {
        var deviceRun = device.RunAsync(token);
        await device.Listening;
        return (deviceRun, client.RunAsync(token));
    }

    public static MailboxClient Client(MailboxEndpoint endpoint, MailboxOptions options, IMailboxHandler handler, TimeProvider? time = null) =>
        new(MailboxTransport.Create(endpoint, options), options, new MailboxIdentity("host-test", "0.1.0", ["controller"]), handler, NullLogger.Instance, time);
}
