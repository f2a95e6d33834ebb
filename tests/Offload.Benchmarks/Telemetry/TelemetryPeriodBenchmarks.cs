using System.Net;
using BenchmarkDotNet.Attributes;
using Offload.Contracts.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Telemetry;
using QueueOccupancy = Offload.Nic.Nvme.Scheduler.QueueOccupancy;

namespace Offload.Benchmarks.Telemetry;

/// <summary>
/// One whole 10 ms telemetry period of nic-fw's reporter thread, in user space, at 1,000 and 10,000 connections: the
/// period's sweep of the telemetry lines (levels, the occupancy report, and -- with a mailbox -- every connection's
/// flow record measured into the packed buffer), the application records, and every frame of the period encoded with
/// its CRC-32C (flow metadata batch and continuation, QueueOccupancy). A stepping clock makes every call a period end,
/// so the call is a period's work and mean × 100 = share of one core at 100 reports/s; the socket or ring write is not
/// in it (`telemetry-loop` measures the thread with the transport). Same-run baseline: framing the same period's
/// messages alone (the wire format's cost). <see cref="WithIo"/> adds a read and an SQ depth change on every connection
/// before the period (subtract <see cref="IoOnly"/>).
/// </summary>
[MemoryDiagnoser]
public class TelemetryPeriodBenchmarks
{
    private static readonly AppId App = new("nqn.2014-08.org.nvmexpress:uuid:period", Guid.Parse("00000000-0000-0000-0000-0000000000dd"));
    private readonly PooledBufferWriter _buffer = new(4 * 1024 * 1024);
    private readonly List<IMailboxMessage> _frames = [];
    private SteppingClock _clock = null!;
    private ConnectionCounters[] _connections = [];
    private QueueOccupancy[] _submission = [];
    private OccupancyReporter _reporter = null!;
    private DirectoryInfo _directory = null!;
    private int _step;

    [Params(1_000, 10_000)]
    public int Connections { get; set; }

    /// <summary>The reporter's per-line work (all of it unless a decomposition leaves parts out).</summary>
    public SweepParts Parts { get; set; } = SweepParts.All;

    [GlobalSetup]
    public void Setup()
    {
        _clock = new SteppingClock();
        var source = new Source(new TelemetrySlab(_clock), Connections);
        _connections = new ConnectionCounters[Connections];
        _submission = new QueueOccupancy[Connections];
        for (int i = 0; i < Connections; i++)
        {
            var c = _connections[i] = new ConnectionCounters(source.Telemetry);
            c.SetEndpoints(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 4420), new IPEndPoint(IPAddress.Parse("10.0.1.2"), 20000 + i));
            _submission[i] = new QueueOccupancy(_clock, c.Cell, completion: false, 128);
            _ = new QueueOccupancy(_clock, c.Cell, completion: true, 128);
            c.Describe(App, new ControllerId((ushort)(1 + (i / 128))), (ushort)(1 + (i % 128)));
            c.CountRead(4096);
            c.Latency.Record(20_000 + i);
        }

        // A mailbox device that never listens: the reporter only needs to know it reports (so the flow records are
        // measured in its sweep); the frames are encoded here instead of written to a session.
        _directory = Directory.CreateTempSubdirectory("offload-period-");
        var device = new MailboxDevice(MailboxTransport.Create(MailboxEndpoint.Unix(Path.Combine(_directory.FullName, "m.sock"))), new MailboxOptions(),
            new MailboxIdentity("bench", "1", []), new NoHandler(), NullLogger.Instance);
        _reporter = new OccupancyReporter(source, new AppDirectory(), device, _clock, Options.Create(new TelemetryOptions()), source) { Parts = Parts };
        for (int i = 0; i < 3; i++)
        {
            Period();
        }

        // The last period's messages, for the baseline (the sampler reuses its batch objects: frame them as they are).
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        _reporter.Sample();
        var flows = _reporter.Flows!;
        _frames.Add(flows.Sample(_reporter.Message.Totals));
        while (flows.TryNextPart(out var part))
        {
            _frames.Add(part);
        }

        _frames.Add(_reporter.Message);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reporter.Dispose();
        _directory.Delete(recursive: true);
    }

    /// <summary>The period's messages (already built) framed: header, payload copy, CRC-32C.</summary>
    [Benchmark(Baseline = true)]
    public int FrameOnly()
    {
        _buffer.Reset();
        int n = 0;
        uint sequence = 0;
        foreach (var message in _frames)
        {
            n += FrameWriter.Write(_buffer, new MessageHeader(1, message.Type, 0, ++sequence), message);
        }

        return n;
    }

    /// <summary>A whole period on idle connections: sweep, records, every frame as a mailbox session frames it -- each
    /// flow metadata batch's head and CRC (<see cref="FrameWriter.WriteHead"/>: the packed records stay in the sampler's
    /// buffer for the transport, and their CRC comes from the blocks' registers taken during the sweep), then the
    /// occupancy report whole.</summary>
    [Benchmark]
    public int Period() => RunPeriod(wholeFrames: false);

    /// <summary>The same period with every record measured again (idle records not kept from the previous period),
    /// split frames as in <see cref="Period"/>: the same-run baseline of keeping idle records.</summary>
    [Benchmark]
    public int PeriodMeasuringEveryRecord()
    {
        var flows = _reporter.Flows!;
        flows.KeepUnchanged = false;
        try
        {
            return RunPeriod(wholeFrames: false);
        }
        finally
        {
            flows.KeepUnchanged = true;
        }
    }

    /// <summary>The same period with every batch framed whole (<see cref="FrameWriter.Write"/>: the records copied into
    /// the frame buffer and read again for the CRC), as sessions did before the split frames. Neither this nor
    /// <see cref="Period"/> includes the transport write, which copies the records once in both.</summary>
    [Benchmark]
    public int PeriodWholeFrames() => RunPeriod(wholeFrames: true);

    private int RunPeriod(bool wholeFrames)
    {
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        if (!_reporter.Sample() || !_reporter.PeriodDue)
        {
            throw new InvalidOperationException("The period did not end.");
        }

        _buffer.Reset();
        var flows = _reporter.Flows!;
        uint sequence = 0;
        int n = Frame(flows.Sample(_reporter.Message.Totals), ++sequence, wholeFrames);
        while (flows.TryNextPart(out var part))
        {
            n += Frame(part, ++sequence, wholeFrames);
        }

        return n + FrameWriter.Write(_buffer, new MessageHeader(1, MessageType.QueueOccupancy, 0, ++sequence), _reporter.Message);
    }

    private int Frame(FlowMetadataBatch batch, uint sequence, bool whole)
    {
        var header = new MessageHeader(1, MessageType.FlowMetadataBatch, 0, sequence);
        return whole ? FrameWriter.Write(_buffer, header, batch) : FrameWriter.WriteHead(_buffer, header, batch) + batch.Tail.Length;
    }

    /// <summary>A read and an SQ depth change on every connection (written from this core), then a period.</summary>
    [Benchmark]
    public int WithIo() => IoOnly() + Period();

    /// <summary>The simulated I/O alone (part of <see cref="WithIo"/>; subtract it).</summary>
    [Benchmark]
    public int IoOnly()
    {
        int step = ++_step & 7;
        for (int i = 0; i < _connections.Length; i++)
        {
            _connections[i].CountRead(4096);
            _submission[i].Set(1 + ((i + step) % 32));
        }

        return _connections.Length;
    }

    private sealed class Source(TelemetrySlab slab, int connections) : IConnectionCounterSource, IApplicationCounterSource
    {
        public TelemetrySlab Telemetry => slab;

        public void CollectApplicationCounters(ICollection<ApplicationCounters> destination) =>
            destination.Add(new ApplicationCounters(App, new ControllerId(1), connections, 0, connections * 4096L, 0));
    }

    private sealed class NoHandler : IMailboxHandler
    {
        public void OnMessage(MailboxSession session, in MessageHeader header, in System.Buffers.ReadOnlySequence<byte> payload)
        {
        }
    }

    /// <summary>A clock that moves only when told (every call of the benchmark is a period's end).</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long _now = global::System.Diagnostics.Stopwatch.GetTimestamp();

        public override long TimestampFrequency => global::System.Diagnostics.Stopwatch.Frequency;

        public override long GetTimestamp() => _now;

        public void Advance(TimeSpan by) => _now += (long)(by.TotalSeconds * TimestampFrequency);
    }
}
