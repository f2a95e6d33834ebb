using System.Net;
using Offload.Contracts.Messages;
using Offload.Nic.Nvme;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Nvme.Tests.Support;
using Offload.Nic.Telemetry;
using Offload.Testing.Time;
using QueueOccupancy = Offload.Nic.Nvme.Scheduler.QueueOccupancy;

namespace Offload.Host.Tests.Loop;

/// <summary>Per-connection (5-tuple) flow records from the real NVMe/TCP target over real sockets.</summary>
public sealed class FlowMetadataSamplerConnectionTests
{
    private const string Nqn = "nqn.2026-01.io.offload:flows5t";

    [Fact]
    public async Task Sample_TwoConnectionsOfOneApplication_TwoConnectionRecordsWithTheir5TuplesSummingToTheApplication()
    {
        var config = TargetConfig.Parse($$"""{ "subsystems": [ { "nqn": "{{Nqn}}", "allowAnyHost": true, "namespaces": [ { "nsid": 1, "size": 1048576, "blockSize": 512 } ] } ] }""");
        await using var target = new NvmeTcpTarget(config, TimeProvider.System);
        target.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var time = new SimulatedTimeProvider();
        var apps = new AppDirectory();
        var sampler = new FlowMetadataSampler(target, apps, time, connections: target);
        using var admin1 = new HostInitiator(target.LocalEndPoint!);
        using var io1 = Connect(admin1, target);
        using var admin2 = new HostInitiator(target.LocalEndPoint!);
        using var io2 = Connect(admin2, target);
        sampler.Sample(default);

        var data = new byte[4096];
        for (int i = 0; i < 30; i++)
        {
            Assert.True(io1.Read(1, 0, data, 512).Status.IsSuccess);
        }

        for (int i = 0; i < 10; i++)
        {
            Assert.True(io1.Write(1, 8, data, 512, inCapsule: true).Status.IsSuccess);
        }

        for (int i = 0; i < 5; i++)
        {
            Assert.True(io2.Read(1, 0, data, 512).Status.IsSuccess);
        }

        time.Advance(TimeSpan.FromSeconds(1));
        var batch = Decoded(sampler.Sample(default));

        var app = Assert.Single(batch.Flows, f => f.Kind == FlowRecordKind.Application);
        var connections = batch.Flows.Where(f => f.Kind == FlowRecordKind.Connection).OrderBy(f => f.ReadRateWindow).ToList();
        Assert.Equal(2, connections.Count);
        var (small, big) = (connections[0], connections[1]);
        foreach (var (record, io) in new[] { (small, io2), (big, io1) })
        {
            Assert.Equal(app.Application, record.Application);
            Assert.NotEqual(0UL, record.FlowId & FlowRecord.ConnectionFlowIdBit);
            Assert.Equal(("127.0.0.1", (ushort)io.LocalEndPoint.Port, "127.0.0.1", (ushort)target.LocalEndPoint!.Port, (byte)6),
                (record.Source.ToString(), record.SourcePort, record.Destination.ToString(), record.DestinationPort, record.Protocol));
            Assert.InRange(record.LatencyP50Nanos, 1u, uint.MaxValue);
            Assert.Equal(31u, record.SqDepth + 31u); // idle now: nothing outstanding
        }

        Assert.NotEqual(small.FlowId, big.FlowId);
        Assert.Equal((5f, 0f, 1f), (small.ReadRateWindow, small.WriteRateWindow, small.ReadWriteRatio));
        Assert.Equal((30f, 10f, 0.75f), (big.ReadRateWindow, big.WriteRateWindow, big.ReadWriteRatio));
        Assert.Equal((30f * 4096, 10f * 4096), (big.ReadBytesRate, big.WriteBytesRate));
        Assert.Equal(40f, big.PacketRate);

        // The application record is the sum of its connections (one way to aggregate, never both).
        Assert.Equal(app.ReadRateWindow, small.ReadRateWindow + big.ReadRateWindow);
        Assert.Equal(app.WriteRateWindow, small.WriteRateWindow + big.WriteRateWindow);
        Assert.Equal(app.ReadBytesRate, small.ReadBytesRate + big.ReadBytesRate);
        Assert.Equal(app.WriteBytesRate, small.WriteBytesRate + big.WriteBytesRate);
        Assert.Equal(app.PacketRate, small.PacketRate + big.PacketRate);
        Assert.Equal(app.BitRate, small.BitRate + big.BitRate, app.BitRate * 1e-5f);
        Assert.Equal(app.SharedMemorySize, small.SharedMemorySize + big.SharedMemorySize);
        Assert.InRange((double)(small.CpuNanosPerSecond + big.CpuNanosPerSecond), app.CpuNanosPerSecond * 0.99, (app.CpuNanosPerSecond * 1.01) + 10);
        Assert.InRange(app.CpuNanosPerSecond, 1UL, ulong.MaxValue);
    }

    [Fact]
    public async Task Sample_ConnectionClosed_RecordGoneApplicationKeepsItsHistory()
    {
        var config = TargetConfig.Parse($$"""{ "subsystems": [ { "nqn": "{{Nqn}}", "allowAnyHost": true, "namespaces": [ { "nsid": 1, "size": 1048576, "blockSize": 512 } ] } ] }""");
        await using var target = new NvmeTcpTarget(config, TimeProvider.System);
        target.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var time = new SimulatedTimeProvider();
        var sampler = new FlowMetadataSampler(target, new AppDirectory(), time, connections: target);
        using var admin = new HostInitiator(target.LocalEndPoint!);
        var io = Connect(admin, target);
        var data = new byte[4096];
        Assert.True(io.Read(1, 0, data, 512).Status.IsSuccess);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, Decoded(sampler.Sample(default)).Flows.Count);

        io.Dispose();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (target.ConnectionCount > 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        time.Advance(TimeSpan.FromSeconds(1));
        var batch = Decoded(sampler.Sample(default));

        Assert.DoesNotContain(batch.Flows, f => f.Kind == FlowRecordKind.Connection);
        Assert.Equal(0, sampler.PendingConnections);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sample_TenThousandConnections_FirstBatchFullRestInOneContinuationPartNoPerRecordAllocation(bool packed)
    {
        var time = new SimulatedTimeProvider();
        var source = new ConnectionSource(10_000);
        var sampler = new FlowMetadataSampler(source, new AppDirectory(), time, connections: source) { PackConnections = packed };
        for (int round = 0; round < 12; round++)
        {
            source.Advance();
            time.Advance(TimeSpan.FromMilliseconds(10));
            Drain(sampler);
        }

        long allocated = 0;
        for (int round = 0; round < 3; round++)
        {
            source.Advance();
            time.Advance(TimeSpan.FromMilliseconds(10));
            long before = GC.GetAllocatedBytesForCurrentThread();
            sampler.Sample(default);
            while (sampler.TryNextPart(out _))
            {
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        source.Advance();
        time.Advance(TimeSpan.FromMilliseconds(10));
        var (first, parts, records, sum) = Drain(sampler);

        // Packed: 7168 records per batch, less room for the application record and its name in the first one, rounded
        // down to whole CRC blocks (7,040).
        int room = FlowMetadataSampler.MaxPackedPerBatch - 2;
        Assert.Equal(packed ? 1 + (room - (room % FlowMetadataSampler.CrcBlockRecords)) : FlowMetadataBatch.MaxFlows, first);
        Assert.Equal(1, parts);
        Assert.Equal(10_000, records);
        Assert.Equal(10_000 * 100f, sum, 1f); // one read per connection per 10 ms
        Assert.True(allocated < 1024, $"{allocated} B allocated in one steady-state period of 10,000 connections"); // none per record
    }

    [Fact]
    public void Sample_PackedAndMessagePackRecords_HostDecodesIdenticalConnectionRecords()
    {
        var time = new SimulatedTimeProvider();
        var source = new ConnectionSource(300, latencies: true);
        var packed = new FlowMetadataSampler(source, new AppDirectory(), time, connections: source);
        var plain = new FlowMetadataSampler(source, new AppDirectory(), time, connections: source) { PackConnections = false };
        for (int round = 0; round < 25; round++)
        {
            source.Advance(round);
            time.Advance(TimeSpan.FromMilliseconds(10));
            var a = Decoded(packed.Sample(default)).Flows.Where(f => f.Kind == FlowRecordKind.Connection).ToList();
            var b = Decoded(plain.Sample(default)).Flows.Where(f => f.Kind == FlowRecordKind.Connection).ToList();

            Assert.Equal(300, a.Count);
            Assert.Equal(b, a); // every field, the 5-tuple, rates, occupancy and percentiles
        }

        Assert.Contains(Decoded(packed.Sample(default)).Flows, f => f.LatencyP99Nanos > 0);
    }

    /// <summary>With a mailbox, the occupancy reporter measures the period's connection records inside its own level
    /// sweep (one pass over the lines): the packed records are byte for byte those a sampler sweeping on its own makes,
    /// over periods with activity, queue depths moving and latency windows closing.</summary>
    [Fact]
    public void Sample_RecordsMeasuredInTheReportersSweep_SameBytesAsTheSamplersOwnSweep()
    {
        var time = new SimulatedTimeProvider();
        var source = new ConnectionSource(2_500, latencies: true);
        using var directory = new Offload.Testing.Processes.TempDirectory();
        var device = IdleMailboxDevice.Create(directory.Path);
        using var reporter = new OccupancyReporter(source, new AppDirectory(), device, time, Microsoft.Extensions.Options.Options.Create(new TelemetryOptions()), source);
        var own = new FlowMetadataSampler(source, new AppDirectory(), time, connections: source);
        for (int round = 0; round < 30; round++)
        {
            source.Advance(round);
            for (int i = round; i < source.Connections.Length; i += 7)
            {
                new QueueOccupancy(source.Telemetry.Time, source.Connections[i].Cell, completion: (i & 1) == 1, 32).Set((i + round) % 33);
            }

            time.Advance(TimeSpan.FromMilliseconds(10));
            Assert.True(reporter.Sample());
            Assert.True(reporter.PeriodDue);
            var swept = Packed(reporter.Flows!, reporter.Flows!.Sample(reporter.Message.Totals));
            var alone = Packed(own, own.Sample(default));

            Assert.Equal(2_500 * PackedFlowRecord.Size, swept.Length);
            Assert.Equal(alone, swept);
        }
    }

    /// <summary>Every batch carries the CRC register of exactly its packed records (computed block by block while the
    /// records were measured; a session frames the batch with it and never reads the records again): counts around the
    /// 128-record block, and 10,000 connections over three batches, on the sampler's own sweep and the reporter's.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(129)]
    [InlineData(10_000)]
    public void Sample_EveryBatch_CarriesTheCrcRegisterOfItsRecords(int connections)
    {
        Assert.Equal(0, FlowMetadataSampler.MaxPackedPerBatch % FlowMetadataSampler.CrcBlockRecords);
        var time = new SimulatedTimeProvider();
        var source = new ConnectionSource(connections, latencies: connections < 1000);
        using var directory = new Offload.Testing.Processes.TempDirectory();
        using var reporter = SweepingReporter(source, time, directory.Path);
        var own = new FlowMetadataSampler(source, new AppDirectory(), time, connections: source);
        for (int round = 0; round < 3; round++)
        {
            source.Advance(round);
            time.Advance(TimeSpan.FromMilliseconds(10));
            Assert.True(reporter.Sample());
            int swept = Packed(reporter.Flows!, reporter.Flows!.Sample(reporter.Message.Totals)).Length / PackedFlowRecord.Size;
            int alone = Packed(own, own.Sample(default)).Length / PackedFlowRecord.Size;
            Assert.Equal((connections, connections), (swept, alone));
        }
    }

    /// <summary>Records of idle connections are kept from the previous period instead of measured again: over 160
    /// periods of 3,000 connections -- a third never active after the first period, a third active now and then, a
    /// third every other period, queue depths moving on some idle ones, connections replaced on reused lines, latency
    /// windows closing -- the packed bytes and the batches' CRC registers are those of a sampler measuring every record,
    /// on the sampler's own sweep and on the reporter's; and records are in fact kept.</summary>
    [Fact]
    public void Sample_IdleRecordsKept_SameBytesAndRegistersAsMeasuringEveryRecord()
    {
        var time = new SimulatedTimeProvider();
        var source = new ConnectionSource(3_000, latencies: true);
        using var directory = new Offload.Testing.Processes.TempDirectory();
        using var reporter = SweepingReporter(source, time, directory.Path);
        var keeping = new FlowMetadataSampler(source, new AppDirectory(), time, connections: source);
        var measuring = new FlowMetadataSampler(source, new AppDirectory(), time, connections: source) { KeepUnchanged = false };
        for (int round = 0; round < 160; round++)
        {
            int r = round;
            source.Advance(round, i => r == 0 || (i % 3 == 1 && (i + r) % 37 == 0) || (i % 3 == 2 && r % 2 == 0));
            for (int i = round % 11; i < source.Connections.Length; i += 53)
            {
                new QueueOccupancy(source.Telemetry.Time, source.Connections[i].Cell, completion: (i & 1) == 1, 32).Set((i + round) % 9);
            }

            if (round % 40 == 39)
            {
                source.Replace(round % 3_000);
                source.Replace((round * 7) % 3_000);
            }

            time.Advance(TimeSpan.FromMilliseconds(10));
            Assert.True(reporter.Sample());
            var swept = Packed(reporter.Flows!, reporter.Flows!.Sample(reporter.Message.Totals));
            var kept = Packed(keeping, keeping.Sample(default));
            var measured = Packed(measuring, measuring.Sample(default));

            Assert.Equal(measured, kept);
            Assert.Equal(measured, swept);
        }

        Assert.True(keeping.KeptRecords > 50_000, $"{keeping.KeptRecords} records kept");
        Assert.True(reporter.Flows!.KeptRecords > 50_000, $"{reporter.Flows!.KeptRecords} records kept in the reporter's sweep");
        Assert.Equal(0, measuring.KeptRecords);
    }

    /// <summary>The benchmarks' decomposition switch (<see cref="OccupancyReporter.Parts"/>) leaves out what it names and
    /// nothing else: without connection records the period still lists every queue pair, without lines it lists none, and
    /// back to all the records return.</summary>
    [Fact]
    public void Parts_LeaveOutWhatTheyName()
    {
        var time = new SimulatedTimeProvider();
        var source = new ConnectionSource(300, latencies: true);
        using var directory = new Offload.Testing.Processes.TempDirectory();
        using var reporter = SweepingReporter(source, time, directory.Path);
        (int Records, int Queues) Period(SweepParts parts, int round)
        {
            reporter.Parts = parts;
            source.Advance(round);
            time.Advance(TimeSpan.FromMilliseconds(10));
            reporter.Sample();
            return (Packed(reporter.Flows!, reporter.Flows!.Sample(reporter.Message.Totals)).Length / PackedFlowRecord.Size, reporter.Message.Entries.Count);
        }

        Assert.Equal((300, 300), Period(SweepParts.All, 0));
        Assert.Equal((0, 300), Period(SweepParts.NoConnectionRecords, 1));
        Assert.Equal((0, 0), Period(SweepParts.NoLines, 2));
        Assert.Equal((300, 300), Period(SweepParts.All, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => reporter.Parts = (SweepParts)7);
    }

    /// <summary>A reporter with a mailbox (one that never listens), so its period sweep measures the connection records.</summary>
    private static OccupancyReporter SweepingReporter(ConnectionSource source, TimeProvider time, string directory) =>
        new(source, new AppDirectory(), IdleMailboxDevice.Create(directory), time,
            Microsoft.Extensions.Options.Options.Create(new TelemetryOptions()), source);

    /// <summary>The period's packed records over all its batches, each batch checked against the CRC register it
    /// carries.</summary>
    private static byte[] Packed(FlowMetadataSampler sampler, FlowMetadataBatch first)
    {
        var bytes = new List<byte>();
        for (var batch = first; batch is not null; batch = sampler.TryNextPart(out var part) ? part : null)
        {
            Assert.Equal(Offload.Contracts.Mailbox.Crc32C.Append(0, batch.PackedConnections.Span), batch.TailCrcRegister);
            bytes.AddRange(batch.PackedConnections.ToArray());
        }

        return [.. bytes];
    }

    /// <summary>Connections replaced mid-run (a close, and a new connection on the freed line) under latency windows
    /// and occupancy: the packed and MessagePack paths still agree, and the new line's records are its own.</summary>
    [Fact]
    public void Sample_LineReusedMidRun_RecordsOfTheNewConnectionOnly()
    {
        var time = new SimulatedTimeProvider();
        var source = new ConnectionSource(300, latencies: true);
        var packed = new FlowMetadataSampler(source, new AppDirectory(), time, connections: source);
        var plain = new FlowMetadataSampler(source, new AppDirectory(), time, connections: source) { PackConnections = false };
        long oldId = source.Connections[7].Id;
        ConnectionCounters? fresh = null;
        for (int round = 0; round < 25; round++)
        {
            source.Advance(round);
            if (round == 12)
            {
                fresh = source.Replace(7);
            }

            time.Advance(TimeSpan.FromMilliseconds(10));
            var a = Decoded(packed.Sample(default)).Flows.Where(f => f.Kind == FlowRecordKind.Connection).ToList();
            var b = Decoded(plain.Sample(default)).Flows.Where(f => f.Kind == FlowRecordKind.Connection).ToList();

            Assert.Equal(300, a.Count);
            Assert.Equal(b, a);
            Assert.Equal(round < 12, a.Any(f => f.FlowId == (FlowRecord.ConnectionFlowIdBit | (ulong)oldId)));
        }

        Assert.Equal(7, fresh!.Cell.SlabLine); // the lowest free line
    }

    /// <summary>Each connection's percentiles are those of a window of ConnectionLatencyEvery periods (held in between),
    /// windows are staggered so a period closes about N / every of them, and past 10 x LatencyWindowsPerPeriod
    /// connections (2,500 by default; 300 when set to 10 below) windows widen so that a period closes at most that many.</summary>
    [Theory]
    [InlineData(40, FlowMetadataSampler.DefaultLatencyWindowsPerPeriod, FlowMetadataSampler.ConnectionLatencyEvery)]
    [InlineData(3000, FlowMetadataSampler.DefaultLatencyWindowsPerPeriod, 12)]
    [InlineData(40, 10, FlowMetadataSampler.ConnectionLatencyEvery)]
    [InlineData(400, 10, 40)]
    public void Sample_LatencyWindows_StaggeredAndEveryNPeriods(int connections, int windowsPerPeriod, int every)
    {
        var time = new SimulatedTimeProvider();
        var source = new ConnectionSource(connections);
        var sampler = new FlowMetadataSampler(source, new AppDirectory(), time, connections: source) { LatencyWindowsPerPeriod = windowsPerPeriod };
        var last = new Dictionary<ulong, uint>();
        var changedAt = new Dictionary<ulong, List<int>>();
        for (int period = 0; period < 4 * every; period++)
        {
            // A latency no earlier period recorded, on every connection: a window that closes shows a new p50.
            for (int i = 0; i < connections; i++)
            {
                source.Connections[i].Latency.Record(1_000 * (period + 1));
            }

            source.Advance();
            time.Advance(TimeSpan.FromMilliseconds(10));
            var flows = Decoded(sampler.Sample(default)).Flows.Where(f => f.Kind == FlowRecordKind.Connection).ToList();
            Assert.Equal(connections, flows.Count);
            int closed = 0;
            foreach (var f in flows)
            {
                if (last.TryGetValue(f.FlowId, out uint p50) && p50 != f.LatencyP50Nanos)
                {
                    closed++;
                    (changedAt.TryGetValue(f.FlowId, out var list) ? list : changedAt[f.FlowId] = []).Add(period);
                }

                last[f.FlowId] = f.LatencyP50Nanos;
            }

            if (period >= every)
            {
                Assert.InRange(closed, (connections / every) - 1, (connections / every) + 1);
            }
        }

        Assert.All(changedAt.Values, periods => Assert.All(periods.Zip(periods.Skip(1)), p => Assert.Equal(every, p.Second - p.First)));
        Assert.Equal(connections, changedAt.Count);
    }

    [Fact]
    public void Sample_LatencyWindow_SameP50P99P999AsTheFullHistogram()
    {
        var time = new SimulatedTimeProvider();
        var source = new ConnectionSource(40, latencies: true);
        var sampler = new FlowMetadataSampler(source, new AppDirectory(), time, connections: source);
        source.Advance(7);
        time.Advance(TimeSpan.FromMilliseconds(10));
        var flows = Decoded(sampler.Sample(default)).Flows.Where(f => f.Kind == FlowRecordKind.Connection).ToList();

        // First window of each connection = its whole histogram; the sampler reads only the recorded groups.
        var window = new long[LatencyHistogram.BucketCount];
        for (int i = 0; i < 40; i++)
        {
            source.Connections[i].Latency.Snapshot(window);
            var expected = ((uint)LatencyHistogram.Percentile(window, 0.5), (uint)LatencyHistogram.Percentile(window, 0.99), (uint)LatencyHistogram.Percentile(window, 0.999));
            var f = Assert.Single(flows, r => r.FlowId == (FlowRecord.ConnectionFlowIdBit | (ulong)source.Connections[i].Id));
            Assert.Equal(expected, (f.LatencyP50Nanos, f.LatencyP99Nanos, f.LatencyP999Nanos));
            Assert.NotEqual(expected.Item1, expected.Item3); // spread over several groups, so a wrong group walk shows
        }
    }

    [Fact]
    public void Sample_ConnectionsCloseAndOthersTakeTheirLines_EveryRateFromItsOwnCounters()
    {
        var time = new SimulatedTimeProvider();
        var source = new ConnectionSource(3);
        var sampler = new FlowMetadataSampler(source, new AppDirectory(), time, connections: source);
        source.Advance();
        time.Advance(TimeSpan.FromMilliseconds(10));
        Decoded(sampler.Sample(default));

        // Connection 1 closes (its line is freed) and a brand-new connection takes the line before the next sweep.
        var gone = source.Connections[1];
        var fresh = source.Replace(1);
        for (int i = 0; i < 5; i++)
        {
            fresh.CountRead(4096);
        }

        source.Advance();
        time.Advance(TimeSpan.FromMilliseconds(10));
        var second = Rates(Decoded(sampler.Sample(default)));

        Assert.Equal(3, second.Count);
        Assert.Equal(600f, second[fresh.Id]); // its own 6 reads over 10 ms, not a difference against the freed line's
        Assert.False(second.ContainsKey(gone.Id));
        Assert.Equal(1, gone.ReadCommands); // the closed connection keeps its final counts (on a private line)

        // The line goes free for a sweep, then a third connection takes it.
        source.Close(1);
        source.Advance();
        time.Advance(TimeSpan.FromMilliseconds(10));
        var third = Rates(Decoded(sampler.Sample(default)));
        Assert.Equal(2, third.Count);
        Assert.False(third.ContainsKey(fresh.Id));

        var next = source.Replace(1);
        next.CountRead(4096);
        time.Advance(TimeSpan.FromMilliseconds(10));
        var fourth = Rates(Decoded(sampler.Sample(default)));

        Assert.Equal(3, fourth.Count);
        Assert.Equal(100f, fourth[next.Id]); // all 1 of its reads count as this window's
        Assert.Equal((0f, 0f), (fourth[source.Connections[0].Id], fourth[source.Connections[2].Id]));
    }

    private static Dictionary<long, float> Rates(FlowMetadataBatch batch) => batch.Flows
        .Where(f => f.Kind == FlowRecordKind.Connection)
        .ToDictionary(f => (long)(f.FlowId & ~FlowRecord.ConnectionFlowIdBit), f => f.ReadRateWindow);

    /// <summary>What the host decodes: the batch through the real codec (packed records become connection records).</summary>
    private static FlowMetadataBatch Decoded(FlowMetadataBatch batch) =>
        Assert.IsType<FlowMetadataBatch>(MessageCodec.Decode(MessageType.FlowMetadataBatch, new System.Buffers.ReadOnlySequence<byte>(MessageCodec.Encode(batch))));

    private static (int First, int Parts, int Records, float ReadRateSum) Drain(FlowMetadataSampler sampler)
    {
        var batch = Decoded(sampler.Sample(default));
        int first = batch.Flows.Count, parts = 0, records = 0;
        float sum = 0;
        foreach (var f in batch.Flows)
        {
            if (f.Kind == FlowRecordKind.Connection)
            {
                records++;
                sum += f.ReadRateWindow;
            }
        }

        while (sampler.TryNextPart(out var sent))
        {
            var part = Decoded(sent);
            parts++;
            Assert.Equal(parts, part.Part);
            Assert.Equal(batch.TimestampUnixNanos, part.TimestampUnixNanos);
            foreach (var f in part.Flows)
            {
                Assert.Equal(FlowRecordKind.Connection, f.Kind);
                records++;
                sum += f.ReadRateWindow;
            }
        }

        return (first, parts, records, sum);
    }

    /// <summary>N connections of one application on one slab (as a target keeps them), each doing one 4 KiB read per
    /// <see cref="Advance"/>; SQ and CQ of 32 entries, empty.</summary>
    private sealed class ConnectionSource : IConnectionCounterSource, IApplicationCounterSource
    {
        private static readonly AppId App = new("nqn.2014-08.org.nvmexpress:uuid:many", Guid.Parse("00000000-0000-0000-0000-0000000000aa"));
        private readonly ConnectionCounters?[] _connections;
        private readonly bool _latencies;
        private long _reads;

        public ConnectionSource(int count, bool latencies = false)
        {
            _latencies = latencies;
            _connections = new ConnectionCounters[count];
            for (int i = 0; i < count; i++)
            {
                _connections[i] = Open(i);
            }
        }

        public TelemetrySlab Telemetry { get; } = new(new SimulatedTimeProvider());

        public ConnectionCounters[] Connections => _connections!;

        /// <summary>Closes connection <paramref name="index"/> (if open) and opens a new one in its place.</summary>
        public ConnectionCounters Replace(int index)
        {
            Close(index);
            return (_connections[index] = Open(index))!;
        }

        public void Close(int index)
        {
            _connections[index]?.Release();
            _connections[index] = null;
        }

        private ConnectionCounters Open(int i)
        {
            var c = new ConnectionCounters(Telemetry);
            c.SetEndpoints(new IPEndPoint(IPAddress.Loopback, 4420), new IPEndPoint(IPAddress.Loopback, 20000 + (i % 40000)));
            _ = new QueueOccupancy(Telemetry.Time, c.Cell, completion: false, 32);
            _ = new QueueOccupancy(Telemetry.Time, c.Cell, completion: true, 32);
            c.Describe(App, new ControllerId(1), 1);
            return c;
        }

        public void Advance() => Advance(0);

        /// <summary>One read per connection; with latencies, also a seed-dependent spread of completions (1 us - 4 ms)
        /// and a write on every third connection.</summary>
        public void Advance(int seed) => Advance(seed, _ => true);

        /// <summary><see cref="Advance(int)"/> for the connections <paramref name="active"/> picks only.</summary>
        public void Advance(int seed, Func<int, bool> active)
        {
            var random = new Random(seed);
            for (int i = 0; i < _connections.Length; i++)
            {
                if (_connections[i] is not { } c || !active(i))
                {
                    continue;
                }

                c.CountRead(4096);
                _reads++;
                if (!_latencies)
                {
                    continue;
                }

                if (i % 3 == 0)
                {
                    c.CountWrite(8192);
                }

                for (int k = 0; k < 50; k++)
                {
                    c.Latency.Record((long)(1_000 * Math.Pow(4_000, random.NextDouble())));
                }
            }
        }

        public void CollectApplicationCounters(ICollection<ApplicationCounters> destination) =>
            destination.Add(new ApplicationCounters(App, new ControllerId(1), _reads, 0, _reads * 4096, 0));
    }

    private static HostInitiator Connect(HostInitiator admin, NvmeTcpTarget target)
    {
        admin.Initialize();
        admin.ConnectAndEnable(Nqn);
        var io = new HostInitiator(target.LocalEndPoint!);
        io.Initialize();
        Assert.True(io.Connect(Nqn, 1, 31, cntlid: admin.ControllerId).Status.IsSuccess);
        return io;
    }
}
