using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Scheduler;

/// <summary>The target's telemetry lines: handed out lowest-free-first, hidden until described, and never carrying a
/// closed connection's counts or queue state into the next connection on the line.</summary>
public sealed class TelemetrySlabTests
{
    private static readonly AppId App = new("nqn.2014-08.org.nvmexpress:uuid:slab", Guid.Parse("00000000-0000-0000-0000-0000000000dd"));

    [Fact]
    public void Rent_ThousandConnectCloseCycles_LinesReusedLowestFirstAndNoneLeaked()
    {
        var slab = new TelemetrySlab(new SimulatedTimeProvider());
        var open = Enumerable.Range(0, 2500).Select(_ => new ConnectionCounters(slab)).ToList();
        Assert.Equal(Enumerable.Range(0, 2500), open.Select(c => c.Cell.SlabLine));
        Assert.Equal(3, slab.Chunks.Length);

        var random = new Random(5);
        for (int cycle = 0; cycle < 1000; cycle++)
        {
            int at = random.Next(open.Count);
            int line = open[at].Cell.SlabLine;
            open[at].Release();
            open[at].Release(); // idempotent
            Assert.Equal(-1, open[at].Cell.SlabLine);
            open[at] = new ConnectionCounters(slab);
            Assert.Equal(line, open[at].Cell.SlabLine); // the only free line, and the lowest
        }

        var freed = open.Where((_, i) => i % 250 == 7).Select(c => c.Cell.SlabLine).ToList();
        foreach (var c in open.Where((_, i) => i % 250 == 7))
        {
            c.Release();
        }

        var again = freed.Select(_ => new ConnectionCounters(slab).Cell.SlabLine).ToList();
        Assert.Equal(freed.Order(), again); // every freed line again, lowest first
        Assert.Equal(2500, slab.LineCount); // no line beyond the high-water mark of live connections
        Assert.Equal(2500, slab.Rented);
    }

    /// <summary>Every line of every chunk starts on a 64-byte boundary (two whole cache lines per connection: a
    /// managed array of lines started 16 bytes into its object and straddled three), lines do not overlap, a count goes
    /// into its own line only, and an index outside the chunk is refused.</summary>
    [Fact]
    public unsafe void Lines_CacheLineAligned_OneLinePerConnection()
    {
        var slab = new TelemetrySlab(new SimulatedTimeProvider());
        var connections = Enumerable.Range(0, 2100).Select(_ => new ConnectionCounters(slab)).ToList();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true); // pinned: the alignment survives a compaction
        foreach (var chunk in slab.Chunks)
        {
            for (int i = 0; i < TelemetrySlab.LinesPerChunk; i++)
            {
                long address = (long)System.Runtime.CompilerServices.Unsafe.AsPointer(ref chunk.Lines[i]);
                Assert.Equal(0, address % 64);
                if (i > 0)
                {
                    Assert.Equal(128, address - (long)System.Runtime.CompilerServices.Unsafe.AsPointer(ref chunk.Lines[i - 1]));
                }
            }

            Assert.Throws<ArgumentOutOfRangeException>(() => chunk.Lines[TelemetrySlab.LinesPerChunk].Id);
            Assert.Throws<ArgumentOutOfRangeException>(() => chunk.Lines[-1].Id);
        }

        connections[1500].CountRead(4096);
        Assert.Equal(1, slab.Chunks[1].Lines[1500 - TelemetrySlab.LinesPerChunk].ReadCommands);
        Assert.Equal(0, slab.Chunks[1].Lines[1499 - TelemetrySlab.LinesPerChunk].ReadCommands);
        Assert.Equal(0, slab.Chunks[1].Lines[1501 - TelemetrySlab.LinesPerChunk].ReadCommands);
    }

    [Fact]
    public void Describe_LineVisibleUnderTheConnectionIdOnlyWhileDescribed()
    {
        var slab = new TelemetrySlab(new SimulatedTimeProvider());
        var c = new ConnectionCounters(slab);
        ref var line = ref slab.Chunks[0].Lines[0];
        Assert.Equal(0, line.Id);
        Assert.Same(c, slab.Chunks[0].Owners[0]);

        c.Describe(App, new ControllerId(3), 2);
        Assert.Equal(c.Id, line.Id);
        Assert.Equal((App, new ControllerId(3), (ushort)2), (c.App, c.Controller, c.QueueId));

        c.Withdraw();
        Assert.Equal(0, line.Id);
        c.Describe(App, new ControllerId(3), 2);
        c.Release();
        Assert.Equal(0, line.Id);
        Assert.Null(slab.Chunks[0].Owners[0]);
    }

    /// <summary>A closed connection keeps its final counts and queue state (readers still holding it see them); the next
    /// connection on its line starts from zero, and the closed one's late updates do not reach the line.</summary>
    [Fact]
    public void Release_NextConnectionOnTheLineStartsFromZeroAndTheOldKeepsItsValues()
    {
        var time = new SimulatedTimeProvider();
        var slab = new TelemetrySlab(time);
        var old = new ConnectionCounters(slab);
        var sq = new QueueOccupancy(time, old.Cell, completion: false, 64);
        var cq = new QueueOccupancy(time, old.Cell, completion: true, 64);
        old.CountRead(4096);
        old.CountWrite(512);
        old.CountPdu();
        old.AddCpuTicks(1000);
        sq.Set(5);
        cq.Set(2);
        ref var line = ref slab.Chunks[0].Lines[0];
        Assert.Equal((1, 4096, 1, 512, 1), (line.ReadCommands, line.BytesRead, line.WriteCommands, line.BytesWritten, line.Pdus));
        Assert.Equal((5, 64, 2, 64), (line.Submission.Depth, line.Submission.QueueSize, line.Completion.Depth, line.Completion.QueueSize));

        time.Advance(TimeSpan.FromMilliseconds(500));
        double average = sq.AverageDepth;
        old.Release();

        var next = new ConnectionCounters(slab);
        Assert.Equal(0, next.Cell.SlabLine);
        Assert.Equal((0, 0, 0, 0, 0L), (line.ReadCommands, line.WriteCommands, line.Pdus, line.CpuTicks, (long)line.Submission.Depth));

        // The old connection's objects now count privately.
        Assert.Equal((1L, 4096L, 1L, 512L, 1L), (old.ReadCommands, old.BytesRead, old.WriteCommands, old.BytesWritten, old.Pdus));
        Assert.Equal((5, 2, 64), (sq.Depth, cq.Depth, sq.QueueSize));
        Assert.Equal(average, sq.AverageDepth, 1e-12);
        old.CountRead(4096);
        sq.Set(9);
        Assert.Equal((2L, 9), (old.ReadCommands, sq.Depth));
        Assert.Equal((0L, 0), (line.ReadCommands, line.Submission.Depth));
        Assert.Equal(0, next.ReadCommands);
    }

    /// <summary>The static average a sweep computes from a line equals the queue object's own reading.</summary>
    [Fact]
    public void AverageAt_FromTheLine_SameAsTheQueuesReading()
    {
        var time = new SimulatedTimeProvider();
        var slab = new TelemetrySlab(time);
        var c = new ConnectionCounters(slab);
        var sq = new QueueOccupancy(time, c.Cell, completion: false, 128);
        for (int i = 0; i < 50; i++)
        {
            sq.Set(i % 7 * 10);
            time.Advance(TimeSpan.FromMilliseconds(3 + i));
        }

        long now = time.GetTimestamp();
        Assert.Equal(sq.AverageDepthAt(now),
            QueueOccupancy.AverageAt(ref slab.Chunks[0].Lines[0].Submission, now, QueueOccupancy.ConstantsPerTick(time)), 1e-12);
    }
}
