using System.Collections.Concurrent;
using Offload.Nic.Nvme.Subsystem;
using WireAppId = Offload.Contracts.Ids.AppId;

namespace Offload.Nic.Telemetry;

/// <summary>
/// Maps an NVMe application (host NQN + host ID) to the numeric application id used on the mailbox, and back.
/// Ids are handed out from 1 in order of first sight and never reused for the life of the process, so a rate the
/// host computed for an id always lands on the same application.
/// </summary>
internal sealed class AppDirectory
{
    private readonly ConcurrentDictionary<AppId, WireAppId> _toWire = new();
    private readonly ConcurrentDictionary<WireAppId, AppId> _fromWire = new();
    private readonly Lock _lock = new();
    private uint _next;

    public int Count => _toWire.Count;

    public WireAppId GetOrAdd(AppId app)
    {
        if (_toWire.TryGetValue(app, out var id))
        {
            return id;
        }

        lock (_lock)
        {
            if (_toWire.TryGetValue(app, out id))
            {
                return id;
            }

            id = new WireAppId(++_next);
            _fromWire[id] = app;
            _toWire[app] = id;
            return id;
        }
    }

    public bool TryGetApp(WireAppId id, out AppId app) => _fromWire.TryGetValue(id, out app);

    /// <summary>Copies every known application (for a full RateUpdate: apps not listed return to unlimited).</summary>
    public void CopyApps(ICollection<AppId> destination)
    {
        foreach (var pair in _toWire)
        {
            destination.Add(pair.Key);
        }
    }
}
