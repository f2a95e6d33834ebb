using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Offload.Nic.Datapath;
using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.FlowKeys;
using Offload.Nic.Datapath.Port;
using Offload.Nic.Metrics;

namespace Offload.Host.Tests.NicFw.Metrics;

public class NicMetricsTests
{
    [Fact]
    public void Observe_FramesThroughRealDatapath_PacketsLookupsAndDropsReported()
    {
        var upcalls = new UpcallQueue(16);
        var datapath = new NicDatapath(new SwitchDatapath(new DatapathOptions(), upcalls, TimeProvider.System), upcalls);
        var one = new InMemoryPortPair("p1");
        var two = new InMemoryPortPair("p2");
        datapath.Switch.AddPort(new PortNo(1), one.SwitchSide);
        datapath.Switch.AddPort(new PortNo(2), two.SwitchSide);
        var any = default(FlowKey);
        any.InPort = 0xFFFF;
        var fromOne = default(FlowKey);
        fromOne.InPort = 1;
        datapath.Switch.InstallFlow(fromOne, any, 1, [FlowAction.Output(new PortNo(2))], TimeSpan.Zero, TimeSpan.Zero);
        datapath.Switch.Poll();
        var frame = new byte[60];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800); // IPv4 ethertype, header missing: dropped as malformed
        var good = new byte[60];
        BinaryPrimitives.WriteUInt16BigEndian(good.AsSpan(12), 0x88B5); // local experimental ethertype: switched
        for (int i = 0; i < 5; i++)
        {
            Assert.True(one.TryInject(good));
        }

        Assert.True(one.TryInject(frame));
        datapath.Switch.Poll();

        using var metrics = new NicMetrics(datapath, new ServiceCollection().BuildServiceProvider());
        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string key = instrument.Name + string.Concat(tags.ToArray().Select(t => "|" + t.Value));
            seen[key] = value;
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => seen[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(6, seen["offload.nic.datapath.packets|receive"]);
        Assert.Equal(5, seen["offload.nic.datapath.packets|transmit"]);
        Assert.Equal(1, seen["offload.nic.datapath.flows"]);
        Assert.Equal(5, seen["offload.nic.datapath.lookups|emc_hit"] + seen["offload.nic.datapath.lookups|megaflow_hit"]);
        Assert.Contains(seen, kv => kv.Key.StartsWith("offload.nic.datapath.drops|", StringComparison.Ordinal) && kv.Value == 1);
        Assert.DoesNotContain(seen.Keys, k => k.StartsWith("offload.nic.nvme.", StringComparison.Ordinal)); // no NVMe target here
    }
}
