using System.Buffers;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Tests.Mailbox;
using Offload.Contracts.Threading;

namespace Offload.Contracts.Tests.Threading;

/// <summary>MailboxOptions.ReceiveThreadPriority reaches the thread that runs the handlers, on both ends.</summary>
public sealed class ReceiveThreadPriorityTests
{
    private static bool MayRaise => File.ReadAllText("/proc/self/status").Contains("\nUid:\t0\t", StringComparison.Ordinal);

    [Theory]
    [InlineData(ControlThreadPriority.RealTime)]
    [InlineData(ControlThreadPriority.Normal)]
    public async Task ReceiveThread_ConfiguredPriority_HandlersRunAtIt(ControlThreadPriority requested)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var endpoint = MailboxFixture.NewEndpoint("tcp");
        var options = MailboxFixture.Options(TimeSpan.FromMilliseconds(50));
        options.ReceiveThreadPriority = requested;
        var deviceSeen = new PriorityRecorder();
        var hostSeen = new PriorityRecorder();
        using var cts = new CancellationTokenSource();
        var device = MailboxFixture.Device(endpoint, options, deviceSeen);
        var client = MailboxFixture.Client(endpoint, options, hostSeen);
        var (deviceRun, clientRun) = await MailboxFixture.RunPairAsync(device, client, cts.Token);

        await Eventually.TrueAsync(() => deviceSeen.Seen is not null && hostSeen.Seen is not null, "a heartbeat echo on each end");
        var expected = requested == ControlThreadPriority.Normal || !MayRaise ? ControlThreadPriority.Normal : requested;
        if (requested == ControlThreadPriority.Normal || MayRaise)
        {
            Assert.Equal(expected, deviceSeen.Seen);
            Assert.Equal(expected, hostSeen.Seen);
        }

        await cts.CancelAsync();
        await Task.WhenAll(deviceRun, clientRun);
    }

    private sealed class PriorityRecorder : IMailboxHandler
    {
        private int _seen = -1;

        public ControlThreadPriority? Seen => Volatile.Read(ref _seen) is var s and >= 0 ? (ControlThreadPriority)s : null;

        public void OnHeartbeat(MailboxSession session, TimeSpan roundTrip) =>
            Volatile.Write(ref _seen, (int)ControlThreadScheduling.CurrentThread());

        public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
        {
        }
    }
}
