namespace Offload.Nic.Datapath;

/// <summary>Configuration section <c>Datapath</c>: the switch ports nic-fw forwards between.</summary>
public sealed class NicDatapathOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Datapath";

    /// <summary>The ports; with none, no poll loop runs.</summary>
    public IList<DatapathPortOptions> Ports { get; } = [];

    /// <summary>Stamping state of applications at startup (congestion flag, advertised rate).</summary>
    public IList<DatapathApplicationOptions> Applications { get; } = [];

    /// <summary>Upcalls queued for the mailbox before new misses are dropped as QueueFull.</summary>
    public int UpcallQueueLength { get; set; } = 4096;

    /// <summary>Upcalls per second the datapath may send (token bucket rate).</summary>
    public double UpcallRatePerSecond { get; set; } = 100_000;

    /// <summary>Flow table limit.</summary>
    public int FlowLimit { get; set; } = 200_000;

    /// <summary>Period of the DatapathStats report to the host, in milliseconds (default 1000).</summary>
    public int StatsPeriodMilliseconds { get; set; } = 1000;
}
