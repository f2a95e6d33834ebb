using Offload.Contracts.Threading;

namespace Offload.Contracts.Tests.Threading;

public sealed class ControlThreadSchedulingTests
{
    // Root (as in CI and on the developer VM) holds CAP_SYS_NICE; elsewhere the call must fall back, never throw.
    private static bool MayRaise => OperatingSystem.IsLinux() && File.ReadAllText("/proc/self/status").Contains("\nUid:\t0\t", StringComparison.Ordinal);

    [Fact]
    public void ApplyToCurrentThread_RealTime_ThreadRunsSchedFifoAndOthersUnchanged()
    {
        ControlThreadPriority applied = default, seen = default, neighbour = default;
        var thread = new Thread(() =>
        {
            applied = ControlThreadScheduling.ApplyToCurrentThread(ControlThreadPriority.RealTime);
            seen = ControlThreadScheduling.CurrentThread();
        });
        thread.Start();
        thread.Join();
        var other = new Thread(() => neighbour = ControlThreadScheduling.CurrentThread());
        other.Start();
        other.Join();

        Assert.Equal(applied, seen);
        if (MayRaise)
        {
            Assert.Equal(ControlThreadPriority.RealTime, applied);
        }

        // Per thread, not per process: a thread created afterwards is still fair-scheduled at nice 0.
        Assert.Equal(ControlThreadPriority.Normal, neighbour);
        Assert.Equal(ControlThreadPriority.Normal, ControlThreadScheduling.CurrentThread());
    }

    [Fact]
    public void ApplyToCurrentThread_High_NiceLoweredNotRealTime()
    {
        ControlThreadPriority applied = default, seen = default;
        var thread = new Thread(() =>
        {
            applied = ControlThreadScheduling.ApplyToCurrentThread(ControlThreadPriority.High);
            seen = ControlThreadScheduling.CurrentThread();
        });
        thread.Start();
        thread.Join();

        Assert.Equal(applied, seen);
        Assert.NotEqual(ControlThreadPriority.RealTime, applied);
        if (MayRaise)
        {
            Assert.Equal(ControlThreadPriority.High, applied);
        }
    }

    [Fact]
    public void ApplyToCurrentThread_Normal_LeavesThreadAlone()
    {
        ControlThreadPriority applied = ControlThreadPriority.RealTime, seen = ControlThreadPriority.RealTime;
        var thread = new Thread(() =>
        {
            applied = ControlThreadScheduling.ApplyToCurrentThread(ControlThreadPriority.Normal);
            seen = ControlThreadScheduling.CurrentThread();
        });
        thread.Start();
        thread.Join();

        Assert.Equal(ControlThreadPriority.Normal, applied);
        Assert.Equal(ControlThreadPriority.Normal, seen);
    }

    [Theory]
    [InlineData(ControlThreadPriority.RealTime)]
    [InlineData(ControlThreadPriority.High)]
    public void ApplyToCurrentThread_ThreadCreatedByARaisedThread_StartsNormal(ControlThreadPriority requested)
    {
        ControlThreadPriority applied = default, child = ControlThreadPriority.RealTime;
        var thread = new Thread(() =>
        {
            applied = ControlThreadScheduling.ApplyToCurrentThread(requested);
            var inner = new Thread(() => child = ControlThreadScheduling.CurrentThread());
            inner.Start();
            inner.Join();
        });
        thread.Start();
        thread.Join();

        if (MayRaise)
        {
            Assert.Equal(requested, applied);
        }

        // Linux threads inherit the creator's policy and nice value unless reset-on-fork is set: a thread-pool worker
        // started from a real-time receive thread would otherwise run real-time too.
        Assert.Equal(ControlThreadPriority.Normal, child);
    }
}
