using Offload.Nic.Datapath;
using Offload.Nic.Datapath.Actions;
using WireAppId = Offload.Contracts.Ids.AppId;

namespace Offload.Nic.Enforcement;

/// <summary>
/// <see cref="IApplicationSignals"/> on the switch datapath's public control API. The mailbox application id is the
/// datapath's application slot (CongestionMark/RateAdvertise actions name it) and, below 1024, its meter id: a flow
/// toward application N that carries <c>Meter(N)</c> is policed at the rate the controller allocated to N.
/// Ids outside those ranges are counted and skipped. Thread-safe (the datapath queues meter changes for its poll thread).
/// </summary>
internal sealed class DatapathSignals(NicDatapath datapath) : IApplicationSignals
{
    /// <summary>Rate used to lift a meter (the datapath has no public meter removal): 1 TB/s never polices.</summary>
    private const long UnlimitedBytesPerSecond = 1_000_000_000_000;

    /// <summary>A burst below one jumbo frame would drop every large packet.</summary>
    private const long MinBurstSize = 9216;

    /// <summary>Meter ids the datapath accepts (its meter table holds 1024).</summary>
    private const uint MeterCount = 1024;

    private long _outOfRange;

    /// <summary>Signals skipped because the application id has no datapath slot or meter.</summary>
    public long OutOfRange => Interlocked.Read(ref _outOfRange);

    public void SetCongestion(WireAppId application, bool congested, uint advertisedRate)
    {
        if (application.Value >= AppId.Capacity)
        {
            Interlocked.Increment(ref _outOfRange);
            return;
        }

        var slot = new AppId((ushort)application.Value);
        datapath.Switch.SetAdvertisedRate(slot, advertisedRate);
        datapath.Switch.SetApplicationCongested(slot, congested);
    }

    public void SetMeter(WireAppId application, long bytesPerSecond, long burstSize)
    {
        if (application.Value >= MeterCount)
        {
            Interlocked.Increment(ref _outOfRange);
            return;
        }

        var config = bytesPerSecond <= 0
            ? new MeterConfig(UnlimitedBytesPerSecond, UnlimitedBytesPerSecond, MeterBandType.Drop)
            : new MeterConfig(bytesPerSecond, Math.Max(burstSize, MinBurstSize), MeterBandType.Drop);
        datapath.Switch.SetMeter(new MeterId((ushort)application.Value), config);
        datapath.CommandQueued?.Invoke();
    }

}
