namespace Offload.Nic.Datapath.Actions;

/// <summary>Token-bucket policer configuration.</summary>
/// <param name="RateBytesPerSecond">Sustained rate in bytes per second.</param>
/// <param name="BurstSize">Bucket depth in bytes.</param>
/// <param name="Band">Action above the rate.</param>
/// <param name="RemarkDscp">DSCP for <see cref="MeterBandType.DscpRemark"/>.</param>
public readonly record struct MeterConfig(long RateBytesPerSecond, long BurstSize, MeterBandType Band, byte RemarkDscp = 0);
