using Offload.Simulation.Model;

namespace Offload.Simulation.Engine;

internal sealed partial class DiscreteEventSimulator
{
    private int DeviceOutstanding => _busyChannels + _deviceQueue.Count;

    private void DeviceSubmit(SimRequest r)
    {
        for (int c = 0; c < _channels.Length; c++)
        {
            if (_channels[c] is null)
            {
                Start(c, r);
                return;
            }
        }

        _deviceQueue.Enqueue(r);
    }

    private void Start(int channel, SimRequest r)
    {
        AccountBusy();
        _channels[channel] = r;
        _busyChannels++;
        double factor = 0.5 - (0.5 * Math.Log(1 - _rng.NextDouble()));
        long service = Math.Max(1, (long)(r.DeviceCost * _device.NanosPerCost * factor));
        Schedule(Now + service, new SimEvent(EventKind.ChannelDone, r.Tenant, channel, null));
    }

    private void OnChannelDone(int channel)
    {
        var r = _channels[channel]!;
        AccountBusy();
        _channels[channel] = null;
        _busyChannels--;
        var t = _tenants[r.Tenant];
        if (r.IsWrite)
        {
            t.PeriodWrites++;
        }
        else
        {
            t.PeriodReads++;
        }

        t.PeriodDeviceCost += r.DeviceCost;
        Schedule(Now + _device.BaseLatencyNanos, new SimEvent(EventKind.HostComplete, r.Tenant, 0, r));
        if (_deviceQueue.TryDequeue(out var next))
        {
            Start(channel, next);
        }

        TryDispatch();
    }

    private void AccountBusy()
    {
        if (Now > _warmupNanos)
        {
            long from = Math.Max(_busyChangedNanos, _warmupNanos);
            _busyIntegral += _busyChannels * (double)(Now - from);
        }

        _busyChangedNanos = Now;
    }
}
