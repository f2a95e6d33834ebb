using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Telemetry;
using QueueOccupancy = Offload.Nic.Nvme.Scheduler.QueueOccupancy;

namespace Offload.Benchmarks.Telemetry;

/// <summary>
/// One threshold poll of the occupancy reporter (every <c>Telemetry:ThresholdPoll</c>, 1 ms by default, paced by
/// <c>Telemetry:PollCpuBudget</c>; also on every signalled level change) at 1,000 and 10,000 live I/O connections (2
/// queues each): a sweep of the target's telemetry lines, every queue's level checked against the last, and the
/// QueueOccupancy message filled when due (PollAndFill: on every poll, as under steady level changes). Same-run baseline: reading
/// every line's two depths (the memory sweep alone). Mean / poll interval = share of one core.
/// </summary>
[MemoryDiagnoser]
public class OccupancyPollBenchmarks
{
    private static readonly AppId App = new("nqn.2014-08.org.nvmexpress:uuid:bench", Guid.Parse("00000000-0000-0000-0000-0000000000cc"));
    private Source _source = null!;
    private OccupancyReporter _reporter = null!;
    private int _step;

    [Params(1_000, 10_000)]
    public int Connections { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _source = new Source(Connections);
        _reporter = new OccupancyReporter(_source, new AppDirectory(), null, TimeProvider.System, Options.Create(new TelemetryOptions()));
        _reporter.Sample();
    }

    /// <summary>Every line's SQ and CQ depth read in order (the sweep's memory traffic alone).</summary>
    [Benchmark(Baseline = true)]
    public long DepthsOnly()
    {
        long sum = 0;
        int count = _source.Telemetry.LineCount;
        foreach (var chunk in _source.Telemetry.Chunks)
        {
            var lines = chunk.Lines;
            for (int i = 0; i < lines.Length && count-- > 0; i++)
            {
                sum += Volatile.Read(ref lines[i].Submission.Depth) + Volatile.Read(ref lines[i].Completion.Depth);
            }
        }

        return sum;
    }

    /// <summary>A poll with no level change (the message only every 10 ms period).</summary>
    [Benchmark]
    public bool Poll() => _reporter.Sample();

    /// <summary>A poll on a signalled crossing: one queue changes level each time, so the message is filled every time.</summary>
    [Benchmark]
    public bool PollAndFill()
    {
        _source.Flip(++_step);
        return _reporter.Sample();
    }

    /// <summary>N connections of one application on a slab (as the target keeps them), SQ depths 1-32 of 128.</summary>
    internal sealed class Source : IOccupancySource
    {
        private readonly QueueOccupancy[] _submission;

        public Source(int connections)
        {
            Telemetry = new TelemetrySlab(TimeProvider.System);
            _submission = new QueueOccupancy[connections];
            for (int i = 0; i < connections; i++)
            {
                var c = new ConnectionCounters(Telemetry);
                _submission[i] = new QueueOccupancy(TimeProvider.System, c.Cell, completion: false, 128);
                _ = new QueueOccupancy(TimeProvider.System, c.Cell, completion: true, 128);
                _submission[i].Set(1 + (i % 32));
                c.Describe(App, new ControllerId((ushort)(1 + (i / 128))), (ushort)(1 + (i % 128)));
            }
        }

        public TelemetrySlab Telemetry { get; }

        /// <summary>Moves one queue between Low and High (a level change on every call).</summary>
        public void Flip(int step) => _submission[0].Set(step % 2 == 0 ? 1 : 120);
    }
}
