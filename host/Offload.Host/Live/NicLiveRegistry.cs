using System.Collections.Concurrent;

namespace Offload.Host.Live;

/// <summary>One <see cref="NicLiveState"/> per configured NIC mailbox endpoint (created by HostMailboxService).</summary>
/// <remarks>Thread-safe; entries are never removed (endpoints are fixed for the life of offloadd).</remarks>
internal sealed class NicLiveRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, NicLiveState> _states = new(StringComparer.Ordinal);

    /// <summary>Every endpoint's state, ordered by endpoint.</summary>
    public IReadOnlyList<NicLiveState> Snapshot()
    {
        var copy = _states.Values.ToArray();
        Array.Sort(copy, static (a, b) => string.CompareOrdinal(a.Endpoint, b.Endpoint));
        return copy;
    }

    public NicLiveState GetOrCreate(string endpoint) => _states.GetOrAdd(endpoint, e => new NicLiveState(e, time));
}
