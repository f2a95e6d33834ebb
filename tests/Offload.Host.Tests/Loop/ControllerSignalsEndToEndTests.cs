using Microsoft.Extensions.Logging.Abstractions;
using Offload.Contracts.Messages;
using Offload.Host.Loop;
using Offload.Nic.Datapath;
using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Port;
using Offload.Nic.Datapath.Tests;
using Offload.Nic.Enforcement;
using Offload.Nic.Mailbox;
using TokenBucketRateLimiter = Offload.Nic.Nvme.Scheduler.TokenBucketRateLimiter;
using Offload.Nic.Telemetry;
using Offload.Testing.Time;
using DpAppId = Offload.Nic.Datapath.Actions.AppId;
using FlowAction = Offload.Nic.Datapath.Actions.FlowAction;
using WireAppId = Offload.Contracts.Ids.AppId;

namespace Offload.Host.Tests.Loop;

/// <summary>
/// In-packet signals driven by the controller: the policy flags an application congested (high SQ and high CQ),
/// offloadd's RateUpdate crosses a real TCP mailbox, nic-fw's RateEnforcer flags it on the real switch datapath, and
/// packets toward it leave with ECN CE and the rate advertisement option; once the policy no longer flags it, both stop.
/// Also: the allocation's meter (DatapathSignals) polices the application's flow on the real datapath.
/// </summary>
public sealed class ControllerSignalsEndToEndTests
{
    private static readonly WireAppId App = new(1);

    [Fact]
    public async Task PolicyFlagsCongested_DatapathMarksCeAndStampsRate_ClearedWhenNoLongerCongested()
    {
        var (datapath, ports) = NewDatapath(new SimulatedTimeProvider());
        var signals = new DatapathSignals(datapath);
        var enforcer = new RateEnforcer(new TokenBucketRateLimiter(TimeProvider.System), new AppDirectory(), NullLogger<RateEnforcer>.Instance, signals);
        var endpoint = LoopFixture.NewTcpEndpoint();
        var device = LoopFixture.Device(endpoint, new NicMailboxHandler([enforcer]));
        var host = new CapturingHandler();
        var client = LoopFixture.Client(endpoint, host);
        using var stop = new CancellationTokenSource();
        var deviceRun = device.RunAsync(stop.Token);
        await device.Listening;
        var clientRun = client.RunAsync(stop.Token);
        var session = await LoopFixture.WaitForSessionAsync(client);
        datapath.Switch.InstallFlow(default, default, 1,
            [FlowAction.CongestionMark(new DpAppId(1)), FlowAction.RateAdvertise(new DpAppId(1)), FlowAction.Output(new PortNo(2))],
            TimeSpan.Zero, TimeSpan.Zero);
        var loop = new NicControlLoop("test", new ControlLoopOptions { RequireFlowMetadata = false, InitialCapacity = 10_000 }, new SimulatedTimeProvider(), NullLogger.Instance);
        loop.OnFlowMetadata(Flows(5_000));

        var congested = loop.Evaluate(Occupancy(OccupancyLevel.High, OccupancyLevel.High));
        Assert.NotNull(congested);
        var entry = Assert.Single(congested.Entries);
        Assert.True(entry.Congested);
        await SendAndWaitForAckAsync(session, host, congested);
        var marked = Forward(datapath, ports, TestFrames.Ipv4Tcp(tos: 0b10));
        var original = TestFrames.Ipv4Tcp(tos: 0b10);

        Assert.Equal(0b11, marked[15] & 3);
        Assert.Equal(original.Length + RateOption.Size, marked.Length);
        Assert.True(RateOption.TryRead(marked.AsSpan(14), out uint advertised));
        Assert.Equal((uint)Math.Min(entry.AdvertisedRate, uint.MaxValue), advertised);

        RateUpdate? relieved = null;
        for (int i = 0; i < 5 && relieved is null; i++)
        {
            relieved = loop.Evaluate(Occupancy(OccupancyLevel.Low, OccupancyLevel.Low));
        }

        Assert.NotNull(relieved);
        Assert.False(Assert.Single(relieved.Entries).Congested);
        await SendAndWaitForAckAsync(session, host, relieved);
        var clear = Forward(datapath, ports, TestFrames.Ipv4Tcp(tos: 0b10));

        Assert.Equal(0b10, clear[15] & 3);
        Assert.Equal(original.Length, clear.Length);
        Assert.False(RateOption.TryRead(clear.AsSpan(14), out _));
        await stop.CancelAsync();
        await Task.WhenAll(deviceRun, clientRun).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void SetMeter_AllocatedRate_PolicesFlowAboveBudgetAndLiftsOnZero()
    {
        var (datapath, ports) = NewDatapath(new SimulatedTimeProvider());
        var signals = new DatapathSignals(datapath);
        datapath.Switch.InstallFlow(default, default, 1, [FlowAction.Meter(new MeterId(5)), FlowAction.Output(new PortNo(2))], TimeSpan.Zero, TimeSpan.Zero);

        signals.SetMeter(new WireAppId(5), 1000, 12_000); // 12,000-byte budget; the clock does not move
        int passed = Burst(datapath, ports, 300);
        signals.SetMeter(new WireAppId(5), 0, 0);
        int passedUnmetered = Burst(datapath, ports, 300);

        Assert.Equal(12_000 / 60, passed);
        Assert.Equal(300, passedUnmetered);
    }

    [Fact]
    public void SetCongestion_IdBeyondDatapathSlots_CountedAndSkipped()
    {
        var (datapath, _) = NewDatapath(new SimulatedTimeProvider());
        var signals = new DatapathSignals(datapath);

        signals.SetCongestion(new WireAppId(DpAppId.Capacity), true, 10);
        signals.SetMeter(new WireAppId(1024), 10, 10);

        Assert.Equal(2, signals.OutOfRange);
    }

    private static (NicDatapath Datapath, InMemoryPortPair[] Ports) NewDatapath(TimeProvider time)
    {
        var upcalls = new UpcallQueue(64);
        var sw = new SwitchDatapath(new DatapathOptions(), upcalls, time);
        var ports = new InMemoryPortPair[3];
        for (int i = 1; i <= 2; i++)
        {
            ports[i] = new InMemoryPortPair($"p{i}", 1024);
            sw.AddPort(new PortNo((ushort)i), ports[i].SwitchSide);
        }

        return (new NicDatapath(sw, upcalls), ports);
    }

    private static int Burst(NicDatapath datapath, InMemoryPortPair[] ports, int count)
    {
        datapath.Switch.Poll(); // apply queued control commands
        int passed = 0;
        for (int i = 0; i < count; i++)
        {
            Assert.True(ports[1].TryInject(TestFrames.Ipv4Udp()));
            datapath.Switch.Poll();
            passed += ports[2].Drain();
        }

        return passed;
    }

    private static byte[] Forward(NicDatapath datapath, InMemoryPortPair[] ports, byte[] frame)
    {
        datapath.Switch.Poll();
        Assert.True(ports[1].TryInject(frame));
        datapath.Switch.Poll();
        return ports[2].Take() ?? throw new InvalidOperationException("the datapath forwarded nothing");
    }

    private static async Task SendAndWaitForAckAsync(Offload.Contracts.Mailbox.MailboxSession session, CapturingHandler host, RateUpdate update)
    {
        await session.SendAsync(update);
        await LoopFixture.WaitUntilAsync(() => host.Messages.OfType<Ack>().Any(a => a.Epoch == update.Epoch), TimeSpan.FromSeconds(20));
    }

    private static QueueOccupancy Occupancy(OccupancyLevel sq, OccupancyLevel cq)
    {
        var m = new QueueOccupancy { Trigger = OccupancyTrigger.Threshold };
        m.Entries.Add(new QueueOccupancyEntry
        {
            Application = App, Queue = new Offload.Contracts.Ids.QueueId(1), SqSize = 128, SqDepth = sq == OccupancyLevel.High ? 120U : 0U, SqLevel = sq,
            CqSize = 128, CqDepth = cq == OccupancyLevel.High ? 120U : 0U, CqLevel = cq,
        });
        return m;
    }

    private static FlowMetadataBatch Flows(float readRate)
    {
        var b = new FlowMetadataBatch { PeriodNanos = 10_000_000 };
        b.Flows.Add(new FlowRecord { FlowId = 1, Application = App, ReadRateWindow = readRate, ReadRate = readRate, ReadWriteRatio = 1 });
        return b;
    }
}
