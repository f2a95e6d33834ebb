using Microsoft.Extensions.Options;
using Offload.Contracts.Ids;
using Offload.Controller.Prediction;

namespace Offload.Host.History;

/// <summary>
/// offloadd's one history database, shared by every NIC's policy and the management API. Tenants are keyed by host
/// NQN (a stable id from the database), not by the per-NIC mailbox application id. Every call is serialised by a lock
/// (SQLite connections are single-threaded); calls are rare (a rollup per tenant per minute, a lookup per connect).
/// </summary>
internal sealed class TenantHistory : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SqliteHistoryStore _store;
    private readonly TimeProvider _time;

    public TenantHistory(IOptions<HistoryOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        Path = System.IO.Path.GetFullPath(o.Path);
        _time = time;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            _store = new SqliteHistoryStore($"Data Source={Path};Pooling=False;Default Timeout=5",
                new HistoryRetention(o.MinuteRetention, o.HourRetention));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new InvalidOperationException(
                $"History:Path: cannot open the history database '{Path}': {ex.Message}. Point History:Path at a writable file (for example --History:Path=/var/lib/offload/history.db) or set History:Enabled=false.", ex);
        }
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    public AppId GetOrAddTenant(string name)
    {
        lock (_lock)
        {
            return _store.GetOrAddTenant(name);
        }
    }

    public bool TryGetTenant(string name, out AppId id)
    {
        lock (_lock)
        {
            return _store.TryGetTenant(name, out id);
        }
    }

    public void Append(in HistorySample sample)
    {
        lock (_lock)
        {
            _store.Append(sample);
        }
    }

    public bool TryGetProfile(AppId tenant, out DemandProfile profile)
    {
        lock (_lock)
        {
            return _store.TryGetProfile(tenant, out profile);
        }
    }

    public IReadOnlyList<HistoryRollup> ReadRollups(AppId tenant, int count)
    {
        lock (_lock)
        {
            return _store.ReadRollups(tenant, count);
        }
    }

    /// <summary>Applies retention and compaction now; returns rows removed or merged.</summary>
    public int Compact()
    {
        lock (_lock)
        {
            return _store.Compact(_time.GetUtcNow());
        }
    }

    public (long Minutes, long Hours) CountRows()
    {
        lock (_lock)
        {
            return _store.CountRows();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _store.Dispose();
        }
    }
}
