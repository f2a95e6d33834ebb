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

}
