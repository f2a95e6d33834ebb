using System.Collections.Concurrent;
using Offload.Contracts.Ids;
using Offload.Nic.Enforcement;

namespace Offload.Host.Tests.Loop;

/// <summary>Keeps the last congestion signal and meter set per application.</summary>
internal sealed class RecordingApplicationSignals : IApplicationSignals
{
    public ConcurrentDictionary<AppId, (bool Congested, uint Rate)> Congestion { get; } = new();

    public ConcurrentDictionary<AppId, (long BytesPerSecond, long Burst)> Meters { get; } = new();

    public void SetCongestion(AppId application, bool congested, uint advertisedRate) => Congestion[application] = (congested, advertisedRate);

    public void SetMeter(AppId application, long bytesPerSecond, long burstSize) => Meters[application] = (bytesPerSecond, burstSize);
}
