namespace Offload.Nic.Datapath;

/// <summary>Configuration section <c>Datapath</c>: the switch ports nic-fw forwards between.</summary>
public sealed class NicDatapathOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Datapath";

    /// <summary>The ports; with none, no poll loop runs.</summary>
    public IList<DatapathPortOptions> Ports { get; } = [];

    /// <summary>Upcalls queued for the mailbox before new misses are dropped as QueueFull.</summary>
    public int UpcallQueueLength { get; set; } = 4096;

    /// <summary>Upcalls per second the datapath may send (token bucket rate).</summary>
    public double UpcallRatePerSecond { get; set; } = 100_000;

    /// <summary>Flow table limit.</summary>
    public int FlowLimit { get; set; } = 200_000;
}
