using System.Diagnostics;
using Offload.Nic.Nvme.Scheduler;

namespace Offload.Nic.Nvme.Tests.Scheduler;

/// <summary>
/// The precise timer on its own thread, with the real clock: it fires once per arm and never before its due time, a
/// disarm or a dispose stops it, and bad arguments are refused. Counts and orderings only, no speed.
/// </summary>
public sealed class PreciseTimerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Change_SubMillisecondDue_FiresOncePerArmNeverEarly()
    {
        using var fired = new SemaphoreSlim(0);
        long firedAt = 0;
        using var timer = PreciseTimeProvider.Instance.CreateTimer(_ =>
        {
            Volatile.Write(ref firedAt, Stopwatch.GetTimestamp());
            fired.Release();
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        for (int i = 0; i < 50; i++)
        {
            var due = TimeSpan.FromMicroseconds(300);
            long armedAt = Stopwatch.GetTimestamp();
            Assert.True(timer.Change(due, Timeout.InfiniteTimeSpan));
            Assert.True(fired.Wait(Patience), $"arm {i} fired");
            Assert.True(Stopwatch.GetElapsedTime(armedAt, Volatile.Read(ref firedAt)) >= due, $"arm {i} fired before its due time");
        }

        Assert.False(fired.Wait(TimeSpan.FromMilliseconds(50)), "a one-shot timer fires once per arm");
        Assert.Equal(50, ((PreciseTimer)timer).Fired);
    }

    [Fact]
    public void Change_LongDueThenEarlierRearm_FiresAtTheEarlierTime()
    {
        // The thread waits on its event until the last 2 ms, so a re-arm to an earlier time is seen.
        using var fired = new SemaphoreSlim(0);
        using var timer = PreciseTimeProvider.Instance.CreateTimer(_ => fired.Release(), null, TimeSpan.FromMinutes(10), Timeout.InfiniteTimeSpan);
        Thread.Sleep(20);

        timer.Change(TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);

        Assert.True(fired.Wait(Patience));
    }

    [Fact]
    public void Change_Period_FiresRepeatedlyUntilDisarmed()
    {
        using var fired = new SemaphoreSlim(0);
        using var timer = PreciseTimeProvider.Instance.CreateTimer(_ => fired.Release(), null, TimeSpan.FromMicroseconds(500), TimeSpan.FromMicroseconds(500));
        for (int i = 0; i < 5; i++)
        {
            Assert.True(fired.Wait(Patience), $"tick {i}");
        }

        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        while (fired.Wait(TimeSpan.FromMilliseconds(20)))
        {
            // A tick already due when disarmed may still land; then none.
        }

        Assert.False(fired.Wait(TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public void Dispose_Armed_NeverFiresAndRefusesChanges()
    {
        int fired = 0;
        var timer = PreciseTimeProvider.Instance.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromMilliseconds(30), Timeout.InfiniteTimeSpan);

        timer.Dispose();
        Thread.Sleep(100);

        Assert.Equal(0, Volatile.Read(ref fired));
        Assert.False(timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void Change_NegativeDueOrPeriod_Throws()
    {
        using var timer = PreciseTimeProvider.Instance.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        Assert.Throws<ArgumentOutOfRangeException>(() => timer.Change(TimeSpan.FromMilliseconds(-5), Timeout.InfiniteTimeSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => timer.Change(TimeSpan.Zero, TimeSpan.Zero));
    }
}
