namespace Offload.Nic.Datapath.Actions;

/// <summary>What a meter does to packets above its rate.</summary>
public enum MeterBandType
{
    /// <summary>Drop them (counted as <see cref="DropReason.Meter"/>).</summary>
    Drop = 0,
    /// <summary>Re-mark their DSCP to the band's DSCP value and forward them.</summary>
    DscpRemark = 1,
}
