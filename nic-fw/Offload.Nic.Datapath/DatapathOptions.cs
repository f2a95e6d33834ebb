namespace Offload.Nic.Datapath;

/// <summary>Datapath tunables. Defaults follow OVS where OVS has an equivalent.</summary>
public sealed class DatapathOptions
{
    /// <summary>Maximum megaflows (OVS flow-limit default 200,000).</summary>
    public int FlowLimit { get; init; } = 200_000;

    /// <summary>Flows idle at least this long may be evicted when the table is full.</summary>
    public TimeSpan EvictionMinIdle { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Exact-match cache entries per poll thread (power of two).</summary>
    public int EmcEntries { get; init; } = 8192;

    /// <summary>1 in N megaflow hits is inserted into the EMC (OVS emc-insert-inv-prob default 100; 1 = always; 0 = EMC disabled).</summary>
    public int EmcInsertInverseProbability { get; init; } = 100;

    /// <summary>Sustained upcalls per second.</summary>
    public double UpcallRatePerSecond { get; init; } = 10_000;

    /// <summary>Upcall burst.</summary>
    public double UpcallBurst { get; init; } = 1_000;

    /// <summary>Packets held while their upcall is outstanding.</summary>
    public int HeldPacketCapacity { get; init; } = 1024;

    /// <summary>How long a held packet waits for a FlowInstall before it is dropped.</summary>
    public TimeSpan UpcallTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Bytes of the packet sent with a miss upcall.</summary>
    public int PacketHeadSize { get; init; } = 128;

    /// <summary>TCP port of the NVMe/TCP target for the capsule peek (0 disables).</summary>
    public ushort NvmeTcpPort { get; init; } = 4420;

    /// <summary>Largest frame handled; larger frames are dropped as <see cref="DropReason.FrameTooLarge"/>.</summary>
    public int MaxFrameSize { get; init; } = 2048;

    /// <summary>Flows checked for timeouts per sweep (at most one sweep per millisecond).</summary>
    public int SweepBudget { get; init; } = 1024;
}
