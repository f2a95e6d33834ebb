using System.Net;
using Offload.Emulation.LoadGen;
using Offload.Emulation.Tests.Scenarios;

namespace Offload.Emulation.Tests.LoadGen;

/// <summary>The load generator's per-I/O path allocates nothing (measured over a real loopback run).</summary>
[Collection(AllocationCollection.Name)]
public sealed class LoadGeneratorAllocationTests
{
    private static LoadGeneratorOptions Options(HostedNvmeTarget target) =>
        new(new IPEndPoint(IPAddress.Loopback, target.Port), HostedNvmeTarget.SubsystemNqn, HostedNvmeTarget.HostNqn)
        {
            HostId = Guid.Parse(HostedNvmeTarget.HostId),
        };

    [Fact]
    public async Task RunAsync_SteadyState_PerIoPathAllocatesNothing()
    {
        await using var target = HostedNvmeTarget.Start(ioccsz: 4 + (8192 / 16));
        var options = Options(target) with { QueueDepth = 4, Duration = TimeSpan.FromSeconds(0.3) };
        await LoadGenerator.RunAsync(options); // warm up: JIT, pooled state machines, thread pool

        var report = await LoadGenerator.RunAsync(options with { QueueDepth = 4, ReadPercent = 50, Verify = true, Duration = TimeSpan.FromSeconds(2) });

        // The whole process (generator and in-process target) over >= thousands of I/Os: a single per-I/O object
        // (a Task, a TaskCompletionSource, a boxed state machine: 64+ bytes) would show as >= 64 B/IO.
        Assert.True(report.Reads + report.Writes > 2000, report.ToString());
        Assert.True(report.AllocatedBytesPerIo < 16, report.ToString());
    }

    [Fact]
    public async Task RunAsync_LargeReadsWithDigests_ZeroCopyPathAllocatesNothing()
    {
        // 128 KiB reads are sent zero-copy by the in-process poll-group target (pins, sendmsg iovecs, data digests over
        // namespace memory): a single object per read would show as >= 64 B/IO (checked: it fails then).
        await using var target = HostedNvmeTarget.Start(ioccsz: 4 + (8192 / 16));
        var options = Options(target) with { QueueDepth = 4, IoSize = 131072, ReadPercent = 80, Verify = true, Digests = true, Duration = TimeSpan.FromSeconds(0.5) };
        await LoadGenerator.RunAsync(options);

        var report = await LoadGenerator.RunAsync(options with { Duration = TimeSpan.FromSeconds(3) });

        Assert.True(report.Reads > 200, report.ToString());
        Assert.Equal(0, report.Errors);
        Assert.Equal(0, report.VerifyFailures);
        Assert.True(report.AllocatedBytesPerIo < 16, report.ToString());
    }

}
