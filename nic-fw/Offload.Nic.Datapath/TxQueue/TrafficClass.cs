namespace Offload.Nic.Datapath.TxQueue;

/// <summary>Transmit priority class.</summary>
public enum TrafficClass
{
    /// <summary>Served first.</summary>
    High = 0,
    /// <summary>Served when high is idle, or when its oldest frame is older than the aging timeout.</summary>
    Low = 1,
}
