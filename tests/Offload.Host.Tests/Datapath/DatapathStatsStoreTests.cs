using Offload.Contracts.Messages;
using Offload.Host.Datapath;

namespace Offload.Host.Tests.Datapath;

public sealed class DatapathStatsStoreTests
{
    [Fact]
    public void ToDocument_SignalCounters_CarriedIntoSignals()
    {
        var report = new DatapathStats { PeriodMilliseconds = 1000, CongestionMarked = 12, RateAdvertised = 34, RateNotAdvertised = 3, ExactMatchHits = 5 };

        var document = DatapathStatsStore.ToDocument("bf3-a", report, DateTimeOffset.UnixEpoch);

        Assert.Equal(12UL, document.Signals.CongestionMarked);
        Assert.Equal(34UL, document.Signals.RateAdvertised);
        Assert.Equal(3UL, document.Signals.RateNotAdvertised);
        Assert.Equal(5UL, document.Lookups.ExactMatchHits);
    }
}
