using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Telemetry;
using QueueOccupancy = Offload.Nic.Nvme.Scheduler.QueueOccupancy;

namespace Offload.Benchmarks.Telemetry;

/// <summary>
/// One threshold poll of the occupancy reporter (every <c>Telemetry:ThresholdPoll</c>, 1 ms by default, while any
/// queue exists; also on every signalled level change) at 1,000 and 10,000 live I/O connections (2 queues each): the
/// source's snapshots (NvmeTcpTarget.CollectOccupancy's work over real QueueOccupancy objects), every queue's level
/// checked against the last, and the QueueOccupancy message filled. Same-run baseline: the snapshots alone.
/// Mean / poll interval = share of one core.
/// </summary>
[MemoryDiagnoser]
public class OccupancyPollBenchmarks
{
    private static readonly AppId App = new("nqn.2014-08.org.nvmexpress:uuid:bench", Guid.Parse("00000000-0000-0000-0000-0000000000cc"));
    private readonly List<QueueOccupancySnapshot> _scratch = [];
    private Source _source = null!;
    private OccupancyReporter _reporter = null!;

    [Params(1_000, 10_000)]
    public int Connections { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _source = new Source(Connections);
        _reporter = new OccupancyReporter(_source, new AppDirectory(), null, TimeProvider.System, Options.Create(new TelemetryOptions()));
        _reporter.Sample();
    }

    /// <summary>Reading every queue's snapshot (the source's part of a poll).</summary>
    [Benchmark(Baseline = true)]
    public int SnapshotsOnly()
    {
        _scratch.Clear();
        _source.CollectOccupancy(_scratch);
        return _scratch.Count;
    }

    /// <summary>A whole poll: snapshots, level check of every queue, the message filled when due.</summary>
    [Benchmark]
    public bool Poll() => _reporter.Sample();

    internal sealed class Source : IOccupancySource
    {
        private static readonly OccupancyThresholds Thresholds = new();
        private readonly QueueOccupancy[] _submission;
        private readonly QueueOccupancy[] _completion;

        public Source(int connections)
        {
            _submission = new QueueOccupancy[connections];
            _completion = new QueueOccupancy[connections];
            for (int i = 0; i < connections; i++)
            {
                _submission[i] = new QueueOccupancy(TimeProvider.System, 128);
                _completion[i] = new QueueOccupancy(TimeProvider.System, 128);
                _submission[i].Set(1 + (i % 32));
            }
        }

        /// <summary>Passes so far (CollectOccupancy calls).</summary>
        public long Collected => Interlocked.Read(ref _collected);

        private long _collected;

        public void CollectOccupancy(ICollection<QueueOccupancySnapshot> destination)
        {
            Interlocked.Increment(ref _collected);
            long now = TimeProvider.System.GetTimestamp();
            for (int i = 0; i < _submission.Length; i++)
            {
                var controller = new ControllerId((ushort)(1 + (i / 128)));
                var queue = (ushort)(1 + (i % 128));
                destination.Add(QueueOccupancySnapshot.Of(App, controller, queue, false, _submission[i], now, Thresholds));
                destination.Add(QueueOccupancySnapshot.Of(App, controller, queue, true, _completion[i], now, Thresholds));
            }
        }
    }
}
