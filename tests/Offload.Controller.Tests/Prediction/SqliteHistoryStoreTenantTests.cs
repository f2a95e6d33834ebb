using Offload.Contracts.Ids;
using Offload.Controller.Prediction;

namespace Offload.Controller.Tests.Prediction;

public class SqliteHistoryStoreTenantTests
{
    [Fact]
    public void GetOrAddTenant_SameNameTwiceAndAfterReopen_SameStableId()
    {
        var dir = Directory.CreateTempSubdirectory("offload-history-");
        try
        {
            string cs = $"Data Source={Path.Combine(dir.FullName, "history.db")};Pooling=False";
            AppId a, b;
            using (var store = new SqliteHistoryStore(cs))
            {
                a = store.GetOrAddTenant("nqn.a");
                b = store.GetOrAddTenant("nqn.b");
                Assert.Equal(a, store.GetOrAddTenant("nqn.a"));
                store.Append(new HistorySample(a, 100, 5_000, 2_000, 0.7, 12));
            }

            using var reopened = new SqliteHistoryStore(cs);
            Assert.True(reopened.TryGetTenant("nqn.a", out var again));
            Assert.Equal(a, again);
            Assert.NotEqual(a, b);
            Assert.False(reopened.TryGetTenant("nqn.unknown", out _));
            Assert.True(reopened.TryGetProfile(a, out var profile));
            Assert.Equal(5_000, profile.PredictedPeak, 6);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void ReadRollups_MinutesAndCompactedHours_NewestFirstWithResolution()
    {
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        using var store = new SqliteHistoryStore("Data Source=:memory:", new HistoryRetention(TimeSpan.FromHours(1), TimeSpan.FromDays(1)));
        var app = store.GetOrAddTenant("nqn.a");
        long nowMinute = now.ToUnixTimeSeconds() / 60;
        store.Append(new HistorySample(app, nowMinute - 180, 9_000, 4_000, 0.5, 10)); // 3 h ago: compacted to an hour
        store.Append(new HistorySample(app, nowMinute - 5, 1_000, 800, 1.0, 10));
        store.Append(new HistorySample(app, nowMinute - 1, 2_000, 1_500, 1.0, 10));
        store.Compact(now);

        var rows = store.ReadRollups(app, 10);

        Assert.Equal(3, rows.Count);
        Assert.Equal([false, false, true], rows.Select(r => r.IsHourly));
        Assert.Equal(2_000, rows[0].PeakCostRate);
        Assert.Equal(9_000, rows[2].PeakCostRate);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds((nowMinute - 1) * 60), rows[0].Start);
        Assert.Single(store.ReadRollups(app, 1));
    }
}
