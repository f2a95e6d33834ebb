using Offload.Contracts.Ids;

namespace Offload.Controller.Prediction;

/// <summary>Per-application demand history (FIG. 4). The only I/O the policy does goes through this seam.</summary>
public interface IHistoryStore
{
    /// <summary>Adds or merges a per-minute rollup.</summary>
    void Append(in HistorySample sample);

    /// <summary>Predicts the application's coming demand from its history.</summary>
    bool TryGetProfile(AppId application, out DemandProfile profile);

    /// <summary>Applies retention and compaction relative to <paramref name="now"/>; returns rows removed or merged.</summary>
    int Compact(DateTimeOffset now);
}
