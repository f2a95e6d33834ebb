using Offload.Contracts.Messages;

namespace Offload.Host.Switching;

/// <summary>
/// The learning-switch policy for one NIC datapath (the OVS <c>NORMAL</c> / <c>ovs-controller</c> learning switch).
/// For each upcall it learns the source address on the input port, then answers with a flow on (in_port, eth_src,
/// eth_dst): known unicast destination: output(port) with the forward idle timeout; destination on the input port: drop;
/// group (broadcast/multicast) or unknown or aged destination: flood with the short flood idle timeout.
/// Installed flows carry the cookie of their destination (<see cref="CookieFor"/>); when an address is learned for the
/// first time or moves, the flows toward it (stale floods, old output port) are removed by that cookie first.
/// Pure and deterministic: state is the address table, time comes from the <see cref="TimeProvider"/>.
/// Not thread-safe: one instance per NIC, called from that NIC's mailbox receive loop.
/// </summary>
internal sealed partial class LearningSwitch
{
    private const ulong CookieTag = 1UL << 48;

    private readonly LearningSwitchOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<MacAddress, MacTableEntry> _table = [];

    public LearningSwitch(LearningSwitchOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
    }

    /// <summary>Addresses currently in the table (including aged ones not yet purged).</summary>
    public int Count => _table.Count;

    /// <summary>Upcalls answered.</summary>
    public long Misses { get; private set; }

    /// <summary>Upcalls whose key could not be read (ignored).</summary>
    public long Malformed { get; private set; }

    /// <summary>The cookie of flows whose destination is <paramref name="destination"/> (never 0).</summary>
    public static ulong CookieFor(MacAddress destination) => CookieTag | destination.Value;

    /// <summary>The port <paramref name="address"/> was learned on, if it has not aged out.</summary>
    public bool TryLookup(MacAddress address, out ushort port)
    {
        if (_table.TryGetValue(address, out var entry) && !IsAged(entry))
        {
            port = entry.Port;
            return true;
        }

        port = 0;
        return false;
    }

    /// <summary>Removes aged entries; returns how many.</summary>
    public int Purge()
    {
        int removed = 0;
        foreach (var (mac, entry) in _table)
        {
            if (IsAged(entry))
            {
                _table.Remove(mac);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Decides what to do with one upcall.</summary>
    /// <param name="miss">The upcall.</param>
    /// <param name="install">The flow answering the upcall.</param>
    /// <param name="invalidate">Sent before <paramref name="install"/> when the source is new or moved: removes flows toward it.</param>
    /// <returns>False when the key is malformed (nothing to send).</returns>
    public bool TryDecide(FlowMiss miss, out FlowInstall install, out FlowRemove? invalidate)
    {
        ArgumentNullException.ThrowIfNull(miss);
        invalidate = null;
        if (!SwitchFlowKey.TryRead(miss.Key.Span, out ushort inPort, out var source, out var destination))
        {
            Malformed++;
            install = null!;
            return false;
        }

        Misses++;
        if (Learn(source, inPort))
        {
            invalidate = new FlowRemove { Cookie = CookieFor(source) };
            _learnedCookies.Remove(invalidate.Cookie);
        }

        FlowAction action;
        TimeSpan idle;
        if (!destination.IsGroup && TryLookup(destination, out ushort outPort))
        {
            action = outPort == inPort ? new FlowAction(FlowActionKind.Drop, 0) : new FlowAction(FlowActionKind.Output, outPort);
            idle = _options.ForwardIdleTimeout;
        }
        else
        {
            action = new FlowAction(FlowActionKind.Flood, 0);
            idle = _options.FloodIdleTimeout;
        }

        install = new FlowInstall
        {
            UpcallId = miss.UpcallId,
            Match = SwitchFlowKey.Match(inPort, source, destination),
            Mask = SwitchFlowKey.PortAndAddressesMask(),
            Priority = _options.Priority,
            Actions = [action],
            IdleTimeoutMs = (uint)Math.Clamp(idle.TotalMilliseconds, 0, uint.MaxValue),
            Cookie = CookieFor(destination),
        };
        _learnedCookies.Add(install.Cookie);
        return true;
    }

    /// <summary>Records <paramref name="source"/> on <paramref name="port"/>; true when it is new, had aged out, or moved.</summary>
    private bool Learn(MacAddress source, ushort port)
    {
        if (source.IsGroup)
        {
            return false; // a group address is never a source (IEEE 802.1Q 8.7)
        }

        long now = _time.GetTimestamp();
        if (_table.TryGetValue(source, out var entry))
        {
            _table[source] = new MacTableEntry(port, now);
            return entry.Port != port || IsAged(entry);
        }

        if (_table.Count >= _options.MacTableCapacity && Purge() == 0)
        {
            return false;
        }

        _table[source] = new MacTableEntry(port, now);
        return true;
    }

    private bool IsAged(MacTableEntry entry) => _time.GetElapsedTime(entry.LastSeen) > _options.MacAgingTime;
}
