using Offload.Contracts.Ids;

namespace Offload.Nic.Enforcement;

/// <summary>
/// The datapath side of enforcement for one application (mailbox application id): in-packet signals (ECN CE on its
/// ECT packets, the in-band rate advertisement) and its network meter. Implementations are thread-safe.
/// </summary>
internal interface IApplicationSignals
{
    /// <summary>Flags the application congested (or not) and sets the rate stamped on packets toward it (0 = none).</summary>
    void SetCongestion(AppId application, bool congested, uint advertisedRate);

    /// <summary>Polices the application's meter at <paramref name="bytesPerSecond"/> with a
    /// <paramref name="burstSize"/>-byte budget; 0 bytes/s lifts the meter.</summary>
    void SetMeter(AppId application, long bytesPerSecond, long burstSize);
}
