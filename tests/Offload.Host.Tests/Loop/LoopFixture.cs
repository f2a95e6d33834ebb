using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;
using Offload.Contracts.Threading;

namespace Offload.Host.Tests.Loop;

internal static class LoopFixture
{
    public static MailboxEndpoint NewTcpEndpoint()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        int port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return MailboxEndpoint.Tcp("127.0.0.1", port);
    }

    public static MailboxOptions Options(ControlThreadPriority priority = ControlThreadPriority.RealTime) => new()
    {
        ReceiveThreadPriority = priority,
        ReceiveInKernelPoll = Environment.GetEnvironmentVariable("OFFLOAD_LOOP_KERNEL_POLL") != "0",
        HeartbeatPeriod = TimeSpan.FromSeconds(1), // lost after 2.5 s of silence: no false "peer lost" on a loaded CI machine
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(300),
    };

    public static MailboxDevice Device(MailboxEndpoint endpoint, IMailboxHandler handler, ControlThreadPriority priority = ControlThreadPriority.RealTime) =>
        new(MailboxTransport.Create(endpoint), Options(priority), new MailboxIdentity("bf3-loop", "1.0.0", ["mailbox-v1"]), handler, NullLogger.Instance);

    public static MailboxClient Client(MailboxEndpoint endpoint, IMailboxHandler handler, ControlThreadPriority priority = ControlThreadPriority.RealTime) =>
        new(MailboxTransport.Create(endpoint), Options(priority), new MailboxIdentity("host-loop", "1.0.0", ["controller-v1"]), handler, NullLogger.Instance);

    public static async Task<MailboxSession> WaitForSessionAsync(MailboxClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (client.Session is { Peer: not null } session)
            {
                return session;
            }

            await Task.Delay(5, timeout.Token);
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(1, timeout.Token);
        }
    }
}

/// <summary>Host-side handler that keeps every decoded message.</summary>
internal sealed class CapturingHandler : IMailboxHandler
{
    private readonly Lock _lock = new();
    private readonly List<IMailboxMessage> _messages = [];
    private long _lastThresholdTimestamp;

    /// <summary>Stopwatch timestamp of the last Threshold-triggered QueueOccupancy received.</summary>
    public long LastThresholdTimestamp => Interlocked.Read(ref _lastThresholdTimestamp);

    public IReadOnlyList<IMailboxMessage> Messages
    {
        get
        {
            lock (_lock)
            {
                return [.. _messages];
            }
        }
    }

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
    {
        if (MessageCodec.Decode(header.Type, payload) is { } message)
        {
            if (message is QueueOccupancy { Trigger: OccupancyTrigger.Threshold })
            {
                Interlocked.Exchange(ref _lastThresholdTimestamp, System.Diagnostics.Stopwatch.GetTimestamp());
            }

            lock (_lock)
            {
                _messages.Add(message);
            }
        }
    }
}
