using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Scheduler;

public sealed class OccupancySignalTests
{
    [Fact]
    public void Set_DepthMovesWithinALevel_DoesNotRaise_CrossingRaisesOncePerChange()
    {
        var signal = new OccupancySignal(new OccupancyThresholds());
        var q = new QueueOccupancy(new SimulatedTimeProvider(), 32) { Signal = signal };

        q.Set(5);   // Low -> Low
        q.Add(1);
        Assert.Equal(0, signal.Raised);
        q.Set(8);   // Medium (8/32 = 0.25)
        Assert.Equal(1, signal.Raised);
        q.Set(20);  // still Medium
        Assert.Equal(1, signal.Raised);
        q.Set(24);  // High (0.75)
        q.Set(30);
        Assert.Equal(2, signal.Raised);
        q.Set(0);   // High -> Low
        Assert.Equal(3, signal.Raised);
    }

    [Fact]
    public void Set_NoSignalAttached_KeepsCountingDepth()
    {
        var q = new QueueOccupancy(new SimulatedTimeProvider(), 32);
        q.Set(30);
        Assert.Equal(30, q.Depth);
    }

    [Fact]
    public void Wait_RaisedFromAnotherThread_ReturnsTrueBeforeTheTimeout()
    {
        var signal = new OccupancySignal(new OccupancyThresholds());
        var raiser = new Thread(signal.Raise);
        raiser.Start();

        Assert.True(signal.Wait(TimeSpan.FromSeconds(30)));
        raiser.Join();
    }

    [Fact]
    public void Wait_NothingRaised_TimesOutFalse()
    {
        var signal = new OccupancySignal(new OccupancyThresholds());

        Assert.False(signal.Wait(TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public void Raise_ManyTimesBeforeAWait_WakesTheNextWaitAndNeverThrows()
    {
        var signal = new OccupancySignal(new OccupancyThresholds());
        for (int i = 0; i < 1000; i++)
        {
            signal.Raise();
            if (i % 3 == 0)
            {
                signal.Wait(TimeSpan.Zero);
            }
        }

        Assert.Equal(1000, signal.Raised);
        signal.Raise();
        Assert.True(signal.Wait(TimeSpan.Zero));
    }
}
