using Offload.Nic.Datapath.Port;
using Offload.Nic.Datapath.TxQueue;
using Xunit.Abstractions;

namespace Offload.Nic.Datapath.Tests.TxQueue;

public class ByteBudgetSchedulerTests(ITestOutputHelper output)
{
    private static readonly SourceId A = new(1);
    private static readonly SourceId B = new(2);

    private static ByteBudgetScheduler Create(long limit, bool budgets = true, long maxLimit = 0, long agingTicks = long.MaxValue / 4) =>
        new(limit, 1500, maxLimit, 512, 2048, agingTicks, 1_000_000, budgets);

    [Fact]
    public void Admit_SourceAtBudget_HoldsItsFramesBack()
    {
        var q = Create(6000);
        q.SetSource(A, 1, TrafficClass.High);
        q.SetSource(B, 1, TrafficClass.High);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(q.TryEnqueue(A, new byte[1000], 0));
        }

        var batch = new FrameBatch();
        Assert.Equal(3, q.Admit(batch, 0)); // A's budget is 3000 bytes
        Assert.Equal(3000, q.CountersOf(A).InflightBytes);
        Assert.Equal(2, q.CountersOf(A).BacklogPackets);

        q.CompleteNext(10);
        batch.Clear();
        Assert.Equal(1, q.Admit(batch, 10));
        Assert.Equal(A.Value, batch.InPort(0).Value);
    }

    [Fact]
    public void TryEnqueue_BacklogFull_DropsAndCountsBudget()
    {
        var q = Create(6000);
        q.SetSource(A, 1, TrafficClass.High, backlogLimit: 2);

        Assert.True(q.TryEnqueue(A, new byte[100], 0));
        Assert.True(q.TryEnqueue(A, new byte[100], 0));
        Assert.False(q.TryEnqueue(A, new byte[100], 0));
        Assert.Equal(1, q.CountersOf(A).BudgetDrops);
    }

    [Fact]
    public void Admit_HighAndLowWaiting_ServesHighFirstUntilLowAges()
    {
        var q = Create(100_000, agingTicks: 1000);
        q.SetSource(A, 1, TrafficClass.High);
        q.SetSource(B, 1, TrafficClass.Low);
        q.TryEnqueue(B, new byte[100], 0);
        q.TryEnqueue(A, new byte[100], 0);
        var batch = new FrameBatch(2048, 1);

        q.Admit(batch, 10);
        Assert.Equal(A.Value, batch.InPort(0).Value);

        q.TryEnqueue(A, new byte[100], 10);
        q.TryEnqueue(B, new byte[100], 1500);
        batch.Clear();
        q.Admit(batch, 1500); // B's first frame (enqueued at 0) is now older than the aging timeout
        Assert.Equal(B.Value, batch.InPort(0).Value);
    }

    [Fact]
    public void CompleteNext_PortStarvedWhileWorkWaits_GrowsLimit()
    {
        var q = Create(2000, maxLimit: 100_000);
        q.SetSource(A, 1, TrafficClass.High);
        for (var i = 0; i < 10; i++)
        {
            q.TryEnqueue(A, new byte[1000], 0);
        }

        var batch = new FrameBatch();
        q.Admit(batch, 0);
        q.CompleteNext(1);
        q.CompleteNext(2);

        Assert.True(q.Limit > 2000);
    }

    [Fact]
    public void Admit_QueueStandsWithSlack_ShrinksLimit()
    {
        var q = Create(50_000, maxLimit: 100_000);
        q.SetSource(A, 1, TrafficClass.High);
        var batch = new FrameBatch();
        for (var t = 0L; t < 5_000_000; t += 100_000)
        {
            q.TryEnqueue(A, new byte[500], t);
            batch.Clear();
            q.Admit(batch, t);
            q.CompleteNext(t);
        }

        Assert.True(q.Limit < 50_000);
        Assert.True(q.Limit >= 1500);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CrossTenant_BulkAAndSmallB_BudgetsBoundBsTimeInQueue(bool budgets)
    {
        const long rate = 125_000_000; // 1 Gbit/s drain in bytes per second; 1 tick = 1 ns
        const int frame = 1500;
        var limit = budgets ? 64 * 1024 : 1000 * frame; // off: a 1000-frame device queue
        var q = new ByteBudgetScheduler(limit, 1500, 0, 1024, 2048, long.MaxValue / 4, 1_000_000, budgets);
        q.SetSource(A, 1, TrafficClass.High, backlogLimit: 1000);
        q.SetSource(B, 1, TrafficClass.High, backlogLimit: 64);
        var device = new Queue<(ushort Source, int Size, long Enqueued)>();
        var bEnqueued = new Queue<long>();
        var bWaits = new List<long>();
        var batch = new FrameBatch();
        double credit = 0;
        for (long now = 0; now < 200_000_000; now += 1_000)
        {
            if (q.CountersOf(A).BacklogPackets == 0)
            {
                for (var i = 0; i < 44; i++)
                {
                    q.TryEnqueue(A, new byte[frame], now); // back-to-back 64 KiB bursts
                }
            }

            if (now % 100_000 == 0)
            {
                q.TryEnqueue(B, new byte[100], now);
                bEnqueued.Enqueue(now);
            }

            do
            {
                batch.Clear();
                q.Admit(batch, now);
                for (var i = 0; i < batch.Count; i++)
                {
                    device.Enqueue((batch.InPort(i).Value, batch.Frame(i).Length, now));
                }
            }
            while (batch.Count > 0);

            credit += rate * 1_000 / 1e9;
            while (device.Count > 0 && device.Peek().Size <= credit)
            {
                var done = device.Dequeue();
                credit -= done.Size;
                q.CompleteNext(now);
                if (done.Source == B.Value)
                {
                    bWaits.Add(now - bEnqueued.Dequeue());
                }
            }

            if (device.Count == 0)
            {
                credit = 0;
            }
        }

        bWaits.Sort();
        var p99 = bWaits[(int)(bWaits.Count * 0.99)];
        var aBudget = q.BudgetOf(A);
        var bound = (aBudget * 1e9 / rate) + (frame * 1e9 / rate) + 2_000;
        output.WriteLine($"budgets={(budgets ? "on" : "off")} limit={q.Limit} A budget={aBudget} B frames={bWaits.Count} " +
            $"B p50={bWaits[bWaits.Count / 2] / 1000.0:F1}us p99={p99 / 1000.0:F1}us max={bWaits[^1] / 1000.0:F1}us bound={bound / 1000.0:F1}us " +
            $"A completed={q.CountersOf(A).CompletedPackets}");
        Assert.True(bWaits.Count > 1800);
        if (budgets)
        {
            Assert.True(p99 <= bound, $"p99 {p99} ns above bound {bound} ns");
            Assert.Equal(q.CountersOf(B).MaxTimeInQueueTicks, bWaits[^1]);
        }
        else
        {
            var boundWithBudgets = (32 * 1024 * 1e9 / rate) + (frame * 1e9 / rate) + 2_000;
            Assert.True(p99 > 10 * boundWithBudgets, "without budgets B queues behind A's whole backlog");
        }

        Assert.True(q.CountersOf(A).CompletedPackets > 15_000, "A still gets most of the port");
    }
}
