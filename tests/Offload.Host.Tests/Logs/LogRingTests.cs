using Microsoft.Extensions.Logging;
using Offload.Host.Logs;

namespace Offload.Host.Tests.Logs;

public class LogRingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Read_SinceAndLevel_OnlyNewerRecordsAtOrAboveLevel()
    {
        var ring = new LogRing(8);
        ring.Add(T0, LogLevel.Debug, "a", 1, "one", null);
        ring.Add(T0, LogLevel.Warning, "a", 2, "two", null);
        ring.Add(T0, LogLevel.Information, "b", 3, "three", "IOException: gone");

        var all = ring.Read(0, LogLevel.Trace, 100, out long next, out long dropped);
        Assert.Equal(["one", "two", "three"], all.Select(r => r.Message));
        Assert.Equal(4, next);
        Assert.Equal(0, dropped);
        Assert.Equal("IOException: gone", all[2].Exception);

        Assert.Equal(["two"], ring.Read(0, LogLevel.Warning, 100, out _, out _).Select(r => r.Message));
        Assert.Equal(["three"], ring.Read(3, LogLevel.Trace, 100, out _, out _).Select(r => r.Message));
        Assert.Empty(ring.Read(next, LogLevel.Trace, 100, out _, out _));
    }

    [Fact]
    public void Add_BeyondCapacity_OldestOverwrittenAndReaderToldHowManyItMissed()
    {
        var ring = new LogRing(4);
        for (int i = 1; i <= 10; i++)
        {
            ring.Add(T0, LogLevel.Information, "c", i, "m" + i, null);
        }

        var rows = ring.Read(2, LogLevel.Trace, 100, out long next, out long dropped);
        Assert.Equal(["m7", "m8", "m9", "m10"], rows.Select(r => r.Message));
        Assert.Equal(5, dropped); // 2..6 are gone
        Assert.Equal(11, next);
        Assert.Equal(["m9", "m10"], ring.Read(0, LogLevel.Trace, 2, out _, out _).Select(r => r.Message));
    }

    [Theory]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("information", LogLevel.Information)]
    [InlineData("ERROR", LogLevel.Error)]
    [InlineData(null, LogLevel.Trace)]
    public void TryParseLevel_NamesAndPrefixes_Parsed(string? text, LogLevel expected)
    {
        Assert.True(LogRing.TryParseLevel(text, out var level));
        Assert.Equal(expected, level);
    }

    [Fact]
    public void TryParseLevel_Unknown_False() => Assert.False(LogRing.TryParseLevel("loud", out _));

    [Fact]
    public void Provider_LoggerWrites_RecordInRingWithCategoryAndEventId()
    {
        var ring = new LogRing();
        using var provider = new LogRingProvider(ring, TimeProvider.System);
        provider.CreateLogger("Offload.Test").LogWarning(new EventId(4242), "disk {Name} is full", "sda");
        var record = Assert.Single(ring.Read(0, LogLevel.Trace, 10, out _, out _));
        Assert.Equal(("warning", "Offload.Test", 4242, "disk sda is full"), (record.Level, record.Category, record.EventId, record.Message));
    }
}
