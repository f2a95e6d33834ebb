using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Offload.Host.Nics;

/// <summary>
/// The set of NICs offloadd currently has a mailbox session with, keyed by board id (ordinal).
/// </summary>
/// <remarks>
/// Thread-safe: mailbox sessions write concurrently (one writer per board id in practice), the management API
/// reads snapshots. Entries are immutable <see cref="NicInfo"/> records replaced atomically, so a reader never
/// sees a half-updated NIC. Nothing here blocks.
/// </remarks>
public sealed class NicRegistry
{
    private readonly ConcurrentDictionary<string, NicInfo> _nics = new(StringComparer.Ordinal);

    /// <summary>Number of connected NICs.</summary>
    public int Count => _nics.Count;

    /// <summary>Adds the NIC or replaces the entry with the same board id (a reconnect).</summary>
    public void Upsert(NicInfo nic)
    {
        ArgumentNullException.ThrowIfNull(nic);
        _nics[nic.BoardId] = nic;
    }

    /// <summary>Removes the NIC; false when no NIC with that board id is registered.</summary>
    public bool TryRemove(string boardId)
    {
        ArgumentNullException.ThrowIfNull(boardId);
        return _nics.TryRemove(boardId, out _);
    }

    /// <summary>
    /// Records the latest heartbeat round-trip time; false when the board id is not registered (for example
    /// a heartbeat that raced with a disconnect), in which case nothing is added.
    /// </summary>
    public bool TryUpdateRtt(string boardId, TimeSpan rtt)
    {
        ArgumentNullException.ThrowIfNull(boardId);
        ArgumentOutOfRangeException.ThrowIfLessThan(rtt, TimeSpan.Zero);
        while (_nics.TryGetValue(boardId, out var current))
        {
            if (_nics.TryUpdate(boardId, current with { HeartbeatRtt = rtt }, current))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns the NIC with <paramref name="boardId"/>, if registered.</summary>
    public bool TryGet(string boardId, [NotNullWhen(true)] out NicInfo? nic)
    {
        ArgumentNullException.ThrowIfNull(boardId);
        return _nics.TryGetValue(boardId, out nic);
    }

    /// <summary>A point-in-time copy of all registered NICs, ordered by board id.</summary>
    public IReadOnlyList<NicInfo> Snapshot()
    {
        var copy = _nics.Values.ToArray();
        Array.Sort(copy, static (a, b) => string.CompareOrdinal(a.BoardId, b.BoardId));
        return copy;
    }
}
