using Offload.Contracts.Ids;
using Offload.Controller.Prediction;

namespace Offload.Controller.Tests.Prediction;

public class SqliteHistoryStoreTests
{
    private static readonly AppId A = new(1);
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static long Minute(DateTimeOffset t) => t.ToUnixTimeSeconds() / 60;

    [Fact]
    public void Append_SameMinuteTwice_MergesPeakAndMeans()
    {
        using var store = new SqliteHistoryStore("Data Source=:memory:");
        store.Append(new HistorySample(A, 100, 1_000, 500, 1.0, 10));
        store.Append(new HistorySample(A, 100, 3_000, 1_500, 0.0, 10));
        Assert.Equal((1L, 0L), store.CountRows());
        Assert.True(store.TryGetProfile(A, out var profile));
        Assert.Equal(3_000, profile.PredictedPeak, 6);
        Assert.Equal(0.5, profile.ReadFraction, 6);
    }

    [Fact]
    public void TryGetProfile_SeveralMinutes_EwmaWeightsRecentPeaks()
    {
        using var store = new SqliteHistoryStore("Data Source=:memory:", new HistoryRetention(TimeSpan.FromDays(1), TimeSpan.FromDays(2), PeakAlpha: 0.5));
        store.Append(new HistorySample(A, 1, 1_000, 1_000, 1, 1));
        store.Append(new HistorySample(A, 2, 2_000, 2_000, 1, 1));
        store.Append(new HistorySample(A, 3, 4_000, 4_000, 1, 1));
        Assert.True(store.TryGetProfile(A, out var profile));
        Assert.Equal(2_750, profile.PredictedPeak, 6); // oldest first: 1000 -> 1500 -> 2750
    }

    [Fact]
    public void TryGetProfile_UnknownApp_False()
    {
        using var store = new SqliteHistoryStore("Data Source=:memory:");
        Assert.False(store.TryGetProfile(new AppId(42), out _));
    }

    [Fact]
    public void Compact_OldMinutesFoldedIntoHours_OldHoursDeleted()
    {
        using var store = new SqliteHistoryStore("Data Source=:memory:", new HistoryRetention(TimeSpan.FromDays(1), TimeSpan.FromDays(10)));
        store.Append(new HistorySample(A, Minute(Now), 100, 100, 1, 1));                  // kept as a minute
        store.Append(new HistorySample(A, Minute(Now.AddDays(-2)), 500, 400, 1, 2));       // folded
        store.Append(new HistorySample(A, Minute(Now.AddDays(-2)) + 1, 900, 200, 0, 2));   // same hour, folded
        store.Append(new HistorySample(A, Minute(Now.AddDays(-30)), 7_000, 7_000, 1, 1));  // folded then deleted
        int changed = store.Compact(Now);
        Assert.True(changed >= 3);
        Assert.Equal((1L, 1L), store.CountRows());
        Assert.True(store.TryGetProfile(A, out var profile));
        Assert.True(profile.PredictedPeak is > 100 and < 7_000, profile.PredictedPeak.ToString());
        Assert.Equal(2, profile.RollupCount);
    }

    [Fact]
    public void Store_FileBacked_SurvivesReopen()
    {
        string path = Path.Combine(Path.GetTempPath(), $"offload-history-{Guid.NewGuid():N}.db");
        try
        {
            using (var store = new SqliteHistoryStore($"Data Source={path};Pooling=False"))
            {
                store.Append(new HistorySample(A, 5, 12_345, 10_000, 0.7, 3));
            }

            using (var reopened = new SqliteHistoryStore($"Data Source={path};Pooling=False"))
            {
                Assert.True(reopened.TryGetProfile(A, out var profile));
                Assert.Equal(12_345, profile.PredictedPeak, 6);
            }
        }
        finally
        {
            foreach (string f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*"))
            {
                File.Delete(f);
            }
        }
    }
}
