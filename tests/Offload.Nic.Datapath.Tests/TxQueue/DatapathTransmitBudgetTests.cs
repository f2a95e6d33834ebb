using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Port;
using Offload.Nic.Datapath.Tests.Switching;
using Offload.Nic.Datapath.TxQueue;

namespace Offload.Nic.Datapath.Tests.TxQueue;

public class DatapathTransmitBudgetTests
{
    [Fact]
    public void Poll_OutputPortWithBudgets_KnownSourcePassesUnknownDropsAsBudget()
    {
        var sw = new SwitchFixture(3);
        var scheduler = new ByteBudgetScheduler(64 * 1024, 1500, 0, 256, 2048, 1_000_000, 1_000_000);
        scheduler.SetSource(new SourceId(1), 1, TrafficClass.High);
        sw.Datapath.SetTransmitBudget(new PortNo(3), scheduler);
        sw.Datapath.InstallFlow(default, default, 1, [FlowAction.Output(new PortNo(3))], TimeSpan.Zero, TimeSpan.Zero);
        sw.Datapath.Poll();

        sw.Send(1, TestFrames.Ipv4Udp());
        sw.Send(2, TestFrames.Ipv4Udp());
        sw.Datapath.Poll();

        Assert.Equal(1, sw.Ports[3].Drain());
        Assert.Equal(1, sw.Datapath.Stats.Drops[DropReason.Budget]);
        Assert.Equal(1, scheduler.CountersOf(new SourceId(1)).CompletedPackets);
        Assert.Equal(0, scheduler.OutstandingBytes);
    }

    [Fact]
    public void Poll_BurstAboveSourceBacklog_ExcessDroppedAsBudget()
    {
        var sw = new SwitchFixture(2);
        var scheduler = new ByteBudgetScheduler(64 * 1024, 1500, 0, 256, 2048, 1_000_000, 1_000_000);
        scheduler.SetSource(new SourceId(1), 1, TrafficClass.High, backlogLimit: 10);
        sw.Datapath.SetTransmitBudget(new PortNo(2), scheduler);
        sw.Datapath.InstallFlow(default, default, 1, [FlowAction.Output(new PortNo(2))], TimeSpan.Zero, TimeSpan.Zero);
        sw.Datapath.Poll();
        for (var i = 0; i < 32; i++)
        {
            sw.Send(1, TestFrames.Ipv4Udp());
        }

        sw.Datapath.Poll();

        Assert.Equal(10, sw.Ports[2].Drain());
        Assert.Equal(22, sw.Datapath.Stats.Drops[DropReason.Budget]);
        Assert.Equal(22, scheduler.CountersOf(new SourceId(1)).BudgetDrops);
    }
}
