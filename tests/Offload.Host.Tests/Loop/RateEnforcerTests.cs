using Microsoft.Extensions.Logging.Abstractions;
using Offload.Contracts.Messages;
using Offload.Nic.Enforcement;
using Offload.Nic.Mailbox;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Telemetry;
using Offload.Testing.Time;
using NvmeAppId = Offload.Nic.Nvme.Subsystem.AppId;

namespace Offload.Host.Tests.Loop;

public sealed class RateEnforcerTests
{
    private static readonly NvmeAppId TenantA = new("nqn.2014-08.org.nvmexpress:uuid:a", Guid.Parse("00000000-0000-0000-0000-00000000000a"));
    private static readonly NvmeAppId TenantB = new("nqn.2014-08.org.nvmexpress:uuid:b", Guid.Parse("00000000-0000-0000-0000-00000000000b"));

    [Fact]
    public async Task OnMessage_RateUpdateOverSocketMailbox_ReachesTokenBucketAndIsAcked()
    {
        var time = new SimulatedTimeProvider();
        var limiter = new TokenBucketRateLimiter(time);
        var apps = new AppDirectory();
        var wireA = apps.GetOrAdd(TenantA);
        var enforcer = new RateEnforcer(limiter, apps, NullLogger<RateEnforcer>.Instance);
        var endpoint = LoopFixture.NewTcpEndpoint();
        var device = LoopFixture.Device(endpoint, new NicMailboxHandler([enforcer]));
        var host = new CapturingHandler();
        var client = LoopFixture.Client(endpoint, host);
        using var stop = new CancellationTokenSource();
        var deviceRun = device.RunAsync(stop.Token);
        await device.Listening;
        var clientRun = client.RunAsync(stop.Token);
        var session = await LoopFixture.WaitForSessionAsync(client);

        Assert.True(Drain(limiter, TenantA, 100) == 100, "unlimited before any RateUpdate");
        var update = new RateUpdate { Epoch = 42, IsFull = true };
        update.Entries.Add(new RateEntry { Application = wireA, IopsLimit = 200 });
        await session.SendAsync(update);
        await LoopFixture.WaitUntilAsync(() => host.Messages.OfType<Ack>().Any());

        var ack = host.Messages.OfType<Ack>().Single();
        Assert.Equal(42UL, ack.Epoch);
        Assert.NotEqual(0UL, ack.AckedSequence);
        Assert.Equal(1, enforcer.Applied);
        Assert.Equal(42UL, enforcer.LastEpoch);
        // 200 IOPS: burst = max(2, 200 * 10 ms) = 2 tokens with the clock frozen.
        Assert.Equal(2, Drain(limiter, TenantA, 100));
        time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal(2, Drain(limiter, TenantA, 100));

        await stop.CancelAsync();
        await Task.WhenAll(deviceRun, clientRun).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Apply_FullUpdateWithoutAnApp_ReturnsThatAppToUnlimited()
    {
        var limiter = new TokenBucketRateLimiter(new SimulatedTimeProvider());
        var apps = new AppDirectory();
        var wireA = apps.GetOrAdd(TenantA);
        var wireB = apps.GetOrAdd(TenantB);
        var enforcer = new RateEnforcer(limiter, apps, NullLogger<RateEnforcer>.Instance);
        var first = new RateUpdate { Epoch = 1, IsFull = true };
        first.Entries.Add(new RateEntry { Application = wireA, IopsLimit = 100 });
        first.Entries.Add(new RateEntry { Application = wireB, IopsLimit = 100 });
        enforcer.Apply(first);
        var second = new RateUpdate { Epoch = 2, IsFull = true };
        second.Entries.Add(new RateEntry { Application = wireA, IopsLimit = 100 });

        enforcer.Apply(second);

        Assert.Equal(2, Drain(limiter, TenantA, 50));
        Assert.Equal(50, Drain(limiter, TenantB, 50));
    }

    [Fact]
    public void Apply_UnknownApplicationId_IsSkippedAndCounted()
    {
        var limiter = new TokenBucketRateLimiter(new SimulatedTimeProvider());
        var enforcer = new RateEnforcer(limiter, new AppDirectory(), NullLogger<RateEnforcer>.Instance);
        var update = new RateUpdate { Epoch = 3 };
        update.Entries.Add(new RateEntry { Application = new Offload.Contracts.Ids.AppId(99), IopsLimit = 1 });

        enforcer.Apply(update);

        Assert.Equal(1, enforcer.UnknownApplications);
        Assert.Equal(3UL, enforcer.LastEpoch);
    }

    [Fact]
    public async Task OnClosed_MailboxLost_LastRatesStayInForce()
    {
        var time = new SimulatedTimeProvider();
        var limiter = new TokenBucketRateLimiter(time);
        var apps = new AppDirectory();
        var wireA = apps.GetOrAdd(TenantA);
        var enforcer = new RateEnforcer(limiter, apps, NullLogger<RateEnforcer>.Instance);
        var endpoint = LoopFixture.NewTcpEndpoint();
        var device = LoopFixture.Device(endpoint, new NicMailboxHandler([enforcer]));
        var host = new CapturingHandler();
        var client = LoopFixture.Client(endpoint, host);
        using var stopDevice = new CancellationTokenSource();
        using var stopClient = new CancellationTokenSource();
        var deviceRun = device.RunAsync(stopDevice.Token);
        await device.Listening;
        var clientRun = client.RunAsync(stopClient.Token);
        var session = await LoopFixture.WaitForSessionAsync(client);
        var update = new RateUpdate { Epoch = 7, IsFull = true };
        update.Entries.Add(new RateEntry { Application = wireA, IopsLimit = 100 });
        await session.SendAsync(update);
        await LoopFixture.WaitUntilAsync(() => host.Messages.OfType<Ack>().Any());

        await stopClient.CancelAsync();
        await clientRun.WaitAsync(TimeSpan.FromSeconds(10));
        await LoopFixture.WaitUntilAsync(() => device.Sessions.Count == 0);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(2, Drain(limiter, TenantA, 50));
        await stopDevice.CancelAsync();
        await deviceRun.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static int Drain(IRateLimiter limiter, NvmeAppId app, int attempts)
    {
        int admitted = 0;
        for (int i = 0; i < attempts; i++)
        {
            if (limiter.TryAcquire(app, 4096, out _))
            {
                admitted++;
            }
        }

        return admitted;
    }
}
