using System.Diagnostics;
using Offload.Emulation.Qos;

namespace Offload.Emulation.Tests.Qos;

public sealed class WindowRecorderTests
{
    private static long Micros(double us) => (long)(us * Stopwatch.Frequency / 1e6);

    [Fact]
    public void OnCompleted_BeforeOriginAfterLastWindowOrFailed_NotCounted()
    {
        var recorder = new WindowRecorder(windows: 3, windowSeconds: 0.1);
        recorder.OnCompleted(1_000, Micros(50), isRead: true, succeeded: true); // no origin yet
        var origin = 10 * Stopwatch.Frequency;
        recorder.SetOrigin(origin);
        recorder.OnCompleted(origin - 1, Micros(50), true, true);
        recorder.OnCompleted(origin + Micros(350_000), Micros(50), true, true); // window 3 of 0..2
        recorder.OnCompleted(origin + Micros(10), Micros(50), true, succeeded: false);

        Assert.Equal(0, recorder.Count(0) + recorder.Count(1) + recorder.Count(2));
        Assert.Equal(1, recorder.Errors);
    }

    [Fact]
    public void MeanIopsAndPercentile_KnownCompletions_PerWindowAndMerged()
    {
        var recorder = new WindowRecorder(windows: 2, windowSeconds: 0.1);
        var origin = 10 * Stopwatch.Frequency;
        recorder.SetOrigin(origin);
        for (var i = 0; i < 99; i++)
        {
            recorder.OnCompleted(origin + Micros(1_000), Micros(100), true, true);
        }

        recorder.OnCompleted(origin + Micros(2_000), Micros(10_000), true, true);
        for (var i = 0; i < 50; i++)
        {
            recorder.OnCompleted(origin + Micros(150_000), Micros(1_000), false, true);
        }

        Assert.Equal(1000, recorder.Iops(0), 6);
        Assert.Equal(500, recorder.Iops(1), 6);
        Assert.Equal(750, recorder.MeanIops(0, 2), 6);
        var p50 = recorder.PercentileMicros(0, 1, 0.50);
        Assert.InRange(p50, 100, 110); // 10% buckets, upper bound
        Assert.InRange(recorder.PercentileMicros(0, 1, 0.999), 10_000, 11_000);
        Assert.InRange(recorder.PercentileMicros(1, 2, 0.99), 1_000, 1_100);
        Assert.True(double.IsNaN(new WindowRecorder(1).PercentileMicros(0, 1, 0.99)));
    }

    [Fact]
    public void Jain_EqualAndOneTakesAll_OneAndOneOverN()
    {
        Assert.Equal(1.0, RtStats.Jain([5, 5, 5, 5]), 9);
        Assert.Equal(0.25, RtStats.Jain([8, 0, 0, 0]), 9);
    }
}
