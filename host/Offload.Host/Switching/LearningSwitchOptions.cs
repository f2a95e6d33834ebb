using System.ComponentModel.DataAnnotations;

namespace Offload.Host.Switching;

/// <summary>Configuration section <c>Switching</c>: offloadd's learning-switch policy for every NIC datapath.</summary>
public sealed class LearningSwitchOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Switching";

    /// <summary>A learned address is forgotten after this long without a frame from it (802.1Q default 300 s).</summary>
    public TimeSpan MacAgingTime { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Most addresses learned per NIC; when full, stale entries are purged and otherwise new ones are not learned (flooded).</summary>
    [Range(1, 1_000_000)]
    public int MacTableCapacity { get; set; } = 8192;

    /// <summary>Idle timeout of installed forwarding (known unicast) flows.</summary>
    public TimeSpan ForwardIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Idle timeout of installed flood flows (unknown unicast, broadcast, multicast); short so learning is retried.</summary>
    public TimeSpan FloodIdleTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Priority of the installed flows.</summary>
    public int Priority { get; set; } = 100;

    /// <summary>Static rules installed on every NIC above the learned flows; a change revalidates every flow.</summary>
    public IList<StaticRule> Rules { get; } = [];
}
