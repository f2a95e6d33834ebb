using Offload.Contracts.Ids;
using Offload.Controller.Prediction;

namespace Offload.Host.History;

/// <summary>
/// One NIC policy's view of the shared <see cref="TenantHistory"/>: translates the NIC's mailbox application ids to
/// stable tenant ids through the names the NIC reported. An application whose name is not known yet has no history
/// (nothing stored, nothing predicted). Compaction is run by <see cref="HistoryCompactionService"/>, not per NIC.
/// </summary>
internal sealed class NicHistoryView(TenantHistory history, Func<AppId, string?> nameOf) : IHistoryStore
{
    private long _unnamed;

    /// <summary>Rollups or lookups skipped because the application had no name yet.</summary>
    public long Unnamed => Interlocked.Read(ref _unnamed);

    public void Append(in HistorySample sample)
    {
        if (nameOf(sample.Application) is not { } name)
        {
            Interlocked.Increment(ref _unnamed);
            return;
        }

        history.Append(sample with { Application = history.GetOrAddTenant(name) });
    }

    public bool TryGetProfile(AppId application, out DemandProfile profile)
    {
        profile = default;
        if (nameOf(application) is not { } name)
        {
            Interlocked.Increment(ref _unnamed);
            return false;
        }

        return history.TryGetTenant(name, out var tenant) && history.TryGetProfile(tenant, out profile);
    }

    public int Compact(DateTimeOffset now) => 0;
}
